package dev.agentetl.consolidate;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One known layout of a legacy learner table: its columns as the legacy code created them, its key, the
 * columns holding JSON text or times, and what its transform writes per source row into which targets.
 */
record LegacyTable(String name, String layout, List<Column> columns, List<String> keyColumns, Set<String> optionalColumns,
                   Set<String> jsonColumns, Set<String> localTimeColumns, Set<String> julianDayColumns,
                   Set<String> epochColumns, Map<String, Integer> fanOut, String learner, String learnerColumn) {

    static final String DEFAULT_LAYOUT = "default";

    record Column(String name, String declaredType) {
        /** PostgreSQL type of the staged column, lossless for SQLite's storage classes. */
        String stagedType() {
            String t = declaredType.toUpperCase(java.util.Locale.ROOT);
            if (t.contains("INT")) return "bigint";
            if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB")) return "double precision";
            return "text";
        }
    }

    /** The transform's section in transforms.sql. */
    String transformKey() {
        return layout.equals(DEFAULT_LAYOUT) ? name : name + "__" + layout;
    }

    /** Target rows one accepted source row becomes, over all targets. */
    int rowsPerSourceRow() {
        return fanOut.values().stream().mapToInt(Integer::intValue).sum();
    }

    Set<String> requiredColumns() {
        Set<String> out = new java.util.LinkedHashSet<>();
        columns.forEach(c -> out.add(c.name()));
        out.removeAll(optionalColumns);
        return out;
    }
}

package dev.agentetl.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An exportable relation: a table or view of the public schema, its columns and its time column (the
 * one --since/--until and --incremental work on). Names come from the catalog, never from user text.
 */
public record Dataset(String name, List<Column> columns, Optional<String> timeColumn) {

    private static final List<String> TIME_COLUMNS = List.of("created_at", "started_at", "timestamp", "changed_at", "updated_at");

    /** Looks a dataset up by name; unknown names are refused with the list of what exists. */
    public static Dataset lookup(Connection c, String name) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname, t.typname,
                       CASE WHEN t.typname = 'numeric' AND a.atttypmod > 0 THEN ((a.atttypmod - 4) >> 16) END,
                       CASE WHEN t.typname = 'numeric' AND a.atttypmod > 0 THEN ((a.atttypmod - 4) & 65535) END
                FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = r.relnamespace
                JOIN pg_type t ON t.oid = a.atttypid
                WHERE n.nspname = 'public' AND r.relname = ? AND r.relkind IN ('r', 'v', 'm', 'p')
                  AND a.attnum > 0 AND NOT a.attisdropped AND r.relname NOT LIKE 'qrtz\\_%' AND r.relname <> 'flyway_schema_history'
                ORDER BY a.attnum""")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3), (Integer) rs.getObject(4)));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; datasets are the tables and views: " + String.join(", ", names(c)));
        }
        Optional<String> time = TIME_COLUMNS.stream()
                .filter(t -> columns.stream().anyMatch(col -> col.name().equals(t) && (col.isTimestampTz() || col.isTimestamp())))
                .findFirst();
        return new Dataset(name, columns, time);
    }

    static List<String> names(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT relname FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
                WHERE n.nspname = 'public' AND relkind IN ('r', 'v', 'm', 'p') AND relname NOT LIKE 'qrtz\\_%'
                  AND relname <> 'flyway_schema_history' ORDER BY relname""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) names.add(rs.getString(1));
        }
        return names;
    }

    Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}

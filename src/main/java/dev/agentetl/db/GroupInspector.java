package dev.agentetl.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads, without changing anything, whether a group's tables are where it is configured and in what shape. */
public final class GroupInspector {

    /** A difference between an adopted table and the seed's DDL. */
    public record Problem(String table, String column, String expected, String found) {
        @Override
        public String toString() {
            return column == null ? table + ": " + found
                    : table + "." + column + ": expected " + expected + ", found " + found;
        }
    }

    public enum Presence { PRESENT, PARTIAL, ABSENT }

    /** What is there: which of the group's tables exist, shape problems of those that do, and their rows. */
    public record Findings(Layout.Place place, Presence presence, List<String> missingTables, List<Problem> problems,
                           Map<String, Long> rows) {
        public boolean usable() {
            return presence == Presence.PRESENT && problems.isEmpty();
        }
    }

    private GroupInspector() {
    }

    public static Findings inspect(Connection c, Layout.Place place, boolean countRows) throws SQLException {
        GroupContract contract = GroupContract.of(place.group());
        Map<String, Map<String, String[]>> catalog = columns(c, place.schema(), contract.tables());
        List<String> missing = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : contract.tables()) {
            Map<String, String[]> found = catalog.get(table);
            if (found == null) {
                missing.add(table);
                continue;
            }
            for (GroupContract.Column col : contract.columns(table)) {
                String[] type = found.get(col.name());
                if (type == null) {
                    problems.add(new Problem(table, col.name(), col.family().name().toLowerCase(), "no such column"));
                } else if (!GroupContract.compatible(col.family(), type[0], "A".equals(type[1]))) {
                    problems.add(new Problem(table, col.name(), col.family().name().toLowerCase(), type[2]));
                }
            }
            if (countRows) rows.put(table, count(c, place.schema(), table));
        }
        Presence presence = missing.isEmpty() ? Presence.PRESENT
                : missing.size() == contract.tables().size() ? Presence.ABSENT : Presence.PARTIAL;
        if (presence == Presence.PARTIAL) {
            for (String t : missing) problems.add(new Problem(t, null, "table", "table missing"));
        }
        return new Findings(place, presence, missing, problems, rows);
    }

    /** table -> column -> {typname, typcategory, format_type} for the schema's tables and views. */
    private static Map<String, Map<String, String[]>> columns(Connection c, String schema, List<String> tables) throws SQLException {
        Map<String, Map<String, String[]>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT cl.relname, a.attname,
                       CASE WHEN t.typcategory = 'A' THEN et.typname ELSE t.typname END, t.typcategory,
                       format_type(a.atttypid, a.atttypmod)
                FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
                JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0 AND NOT a.attisdropped
                JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type et ON et.oid = t.typelem
                WHERE n.nspname = ? AND cl.relname = ANY (?) AND cl.relkind IN ('r', 'p', 'v', 'm', 'f')""")) {
            ps.setString(1, schema);
            ps.setArray(2, c.createArrayOf("text", tables.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .put(rs.getString(2), new String[]{rs.getString(3), rs.getString(4), rs.getString(5)});
                }
            }
        }
        return out;
    }

    private static long count(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + schema + "." + quote(table));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String quote(String ident) {
        return "\"" + ident.replace("\"", "\"\"") + "\"";
    }
}

package dev.agentetl.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A column of the interaction table a store's column goes into, by its PostgreSQL type: how a staged text
 * value is checked (the first failing column names the reject) and converted (SQL over the staged row {@code s}).
 */
record TargetColumn(String name, String type) {

    /** The target table's columns, looked up where the search path finds the table (the group's schema). */
    static Map<String, TargetColumn> of(Connection pg, String table) throws SQLException {
        Map<String, TargetColumn> out = new LinkedHashMap<>();
        try (PreparedStatement ps = pg.prepareStatement("""
                SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                WHERE a.attrelid = to_regclass(quote_ident(?)) AND a.attnum > 0 AND NOT a.attisdropped
                  AND a.attgenerated = '' ORDER BY a.attnum""")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), new TargetColumn(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }

    private String staged() {
        return "s." + Sql.quote(name);
    }

    /** A condition true when the staged value does not fit this column, or null when any text fits. */
    String invalid() {
        String v = staged();
        return switch (type) {
            case "json", "jsonb" -> "NOT legacy_is_json(" + v + ")";
            case "timestamptz", "timestamp", "date" -> "NOT legacy_is_time(" + v + ")";
            case "int2", "int4", "int8" -> v + " !~ '^-?[0-9]{1,18}$'";
            case "float4", "float8", "numeric" -> v + " !~ '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$' AND "
                    + v + " NOT IN ('NaN', 'Infinity', '-Infinity')";
            case "bool" -> v + " !~ '^(-?[0-9]+([.][0-9]+)?|true|false)$'";
            case "uuid" -> v + " !~* '^[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}$'";
            default -> null;
        };
    }

    /**
     * Whether the client vouches for the value as SQLite handed it over (consolidation's {@code ValueCheck}:
     * strict JSON, ISO times with every field in range; numbers that came as numbers). Only rows it does not
     * vouch for are checked by PostgreSQL, which alone decides what is rejected.
     */
    boolean vouchesFor(Object v) {
        if (v == null) return true;
        return switch (type) {
            case "json", "jsonb" -> v instanceof String s && dev.agentetl.consolidate.ValueCheck.certainJson(s);
            case "timestamptz", "timestamp", "date" -> v instanceof String s && dev.agentetl.consolidate.ValueCheck.certainTime(s);
            case "int2", "int4", "int8", "bool" -> v instanceof Long || v instanceof Integer;
            case "float4", "float8", "numeric" -> v instanceof Number;
            case "uuid" -> false;
            default -> true;
        };
    }

    /** The value for this column: JSON text to jsonb (escapes decoded), 0/1 to boolean, times per their kind. */
    String converted(boolean localTime) {
        String v = staged();
        return switch (type) {
            case "json" -> v + "::json";
            case "jsonb" -> v + "::jsonb";
            case "timestamptz", "timestamp", "date" -> "ingest_time(" + v + ", current_setting('agent_etl.ingest_zone'), " + localTime + ")";
            case "int2", "int4", "int8" -> v + "::bigint";
            case "float4", "float8" -> v + "::double precision";
            case "numeric" -> v + "::numeric";
            case "bool" -> "CASE WHEN " + v + " IN ('true', 'false') THEN " + v + "::boolean ELSE " + v + "::numeric <> 0 END";
            case "uuid" -> v + "::uuid";
            default -> v;
        };
    }
}

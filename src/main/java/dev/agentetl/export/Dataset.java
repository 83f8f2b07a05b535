package dev.agentetl.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An exportable relation: a table or view found along the connection's search path (agent-etl's schema,
 * then the groups' schemas, never the system catalogs), its columns and its time column (the one
 * --since/--until and --incremental work on). Names come from the catalog, never from user text.
 */
public record Dataset(String schema, String name, List<Column> columns, Optional<String> timeColumn) {

    /** The relations on the search path, the first of each name: what a name in the jobs' SQL finds. */
    private static final String VISIBLE = """
            SELECT DISTINCT ON (r.relname) r.oid, n.nspname, r.relname
            FROM unnest(current_schemas(false)) WITH ORDINALITY AS p(schema, ord)
            JOIN pg_namespace n ON n.nspname = p.schema JOIN pg_class r ON r.relnamespace = n.oid
            WHERE r.relkind IN ('r', 'v', 'm', 'p') AND r.relname NOT LIKE 'qrtz\\_%'
              AND r.relname NOT IN ('flyway_schema_history', 'group_installs')
            ORDER BY r.relname, p.ord""";

    private static final List<String> TIME_COLUMNS = List.of("created_at", "started_at", "timestamp", "changed_at", "updated_at");

    /** Looks a dataset up by name; unknown names are refused with the list of what exists. */
    public static Dataset lookup(Connection c, String name) throws SQLException {
        List<Column> columns = new ArrayList<>();
        String schema = null;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT v.nspname, a.attname, t.typname,
                       CASE WHEN t.typname = 'numeric' AND a.atttypmod > 0 THEN ((a.atttypmod - 4) >> 16) END,
                       CASE WHEN t.typname = 'numeric' AND a.atttypmod > 0 THEN ((a.atttypmod - 4) & 65535) END
                FROM (""" + VISIBLE + """
                ) v JOIN pg_attribute a ON a.attrelid = v.oid JOIN pg_type t ON t.oid = a.atttypid
                WHERE v.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum""")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    schema = rs.getString(1);
                    columns.add(new Column(rs.getString(2), rs.getString(3), (Integer) rs.getObject(4), (Integer) rs.getObject(5)));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; datasets are the tables and views: " + String.join(", ", names(c)));
        }
        Optional<String> time = TIME_COLUMNS.stream()
                .filter(t -> columns.stream().anyMatch(col -> col.name().equals(t) && (col.isTimestampTz() || col.isTimestamp())))
                .findFirst();
        return new Dataset(schema, name, columns, time);
    }

    static List<String> names(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT relname FROM (" + VISIBLE + ") v ORDER BY relname");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) names.add(rs.getString(1));
        }
        return names;
    }

    /** schema.name, quoted: the relation the name found, whatever the search path says later. */
    public String qualifiedName() {
        return quote(schema) + "." + quote(name);
    }

    Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}

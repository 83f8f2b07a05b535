package dev.agentetl.archive;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What archiving a dataset takes: its table, and every table that refers to it by a foreign key, and to those in
 * turn (a session's messages, tool calls, their results, the judges of its test runs, ...), read from the
 * database's catalog, so that nothing left behind points at a deleted row and no ON DELETE CASCADE removes a row
 * that was not archived. Seed 000's {@code entity_tags} (entity_type, entity_id, no foreign key) goes along for the
 * rows it tags. Tables come in selection order: a table after every table it refers to.
 */
record ArchiveScope(List<Table> tables) {

    /** A foreign key of {@code column} onto {@code parent}'s {@code parentColumn}. */
    record Edge(String column, Table parent, String parentColumn) {
    }

    /** A table of the scope with its one-column primary key; {@code time} only for the dataset's own table. */
    static final class Table {
        final String schema;
        final String name;
        final String key;
        final String keyType;
        final Optional<String> time;
        final List<Edge> parents = new ArrayList<>();
        /** entity_tags: the tables whose rows it tags, by entity_type. */
        final Map<String, Table> tagged = new LinkedHashMap<>();

        Table(String schema, String name, String key, String keyType, Optional<String> time) {
            this.schema = schema;
            this.name = name;
            this.key = key;
            this.keyType = keyType;
            this.time = time;
        }

        String qualified() {
            return quote(schema) + "." + quote(name);
        }

        String quotedKey() {
            return quote(key);
        }

        boolean root() {
            return time.isPresent();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Seed 000's tables whose rows entity_tags can name (its entity_type is the name in the singular). */
    private static final java.util.Set<String> TAGGABLE = java.util.Set.of("sessions", "messages", "tool_calls", "tool_results",
            "llm_responses", "test_cases", "test_runs", "judge_evaluations", "reasoning_steps", "performance_metrics",
            "ab_tests", "ab_test_results", "configurations");

    private static final List<String> TIME_COLUMNS = List.of("created_at", "started_at", "timestamp", "changed_at");

    Table root() {
        return tables.get(0);
    }

    /** The tables whose rows refer to rows of {@code t} (foreign keys and entity tags). */
    List<Table> children(Table t) {
        List<Table> out = new ArrayList<>();
        for (Table c : tables) {
            if (c.parents.stream().anyMatch(e -> e.parent() == t) || c.tagged.containsValue(t)) out.add(c);
        }
        return out;
    }

    /** Looks the dataset up along the search path and walks the foreign keys that point at it. */
    static ArchiveScope of(Connection c, String dataset) throws SQLException {
        String schema;
        String kind;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT n.nspname, r.relkind FROM unnest(current_schemas(false)) WITH ORDINALITY AS p(schema, ord)
                JOIN pg_namespace n ON n.nspname = p.schema JOIN pg_class r ON r.relnamespace = n.oid
                WHERE r.relname = ? AND r.relkind IN ('r', 'p', 'v', 'm') ORDER BY p.ord LIMIT 1""")) {
            ps.setString(1, dataset);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalArgumentException("unknown dataset '" + dataset + "': archive takes a table");
                schema = rs.getString(1);
                kind = rs.getString(2);
            }
        }
        if (!kind.equals("r") && !kind.equals("p")) {
            throw new IllegalArgumentException("dataset '" + dataset + "' is a view; archive takes a table (its rows are deleted)");
        }
        Table root = table(c, schema, dataset, true);
        Map<String, Table> found = new LinkedHashMap<>();
        found.put(root.qualified(), root);
        Deque<Table> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            Table parent = todo.poll();
            for (String[] fk : referencing(c, parent)) {
                String qualified = quote(fk[0]) + "." + quote(fk[1]);
                Table child = found.get(qualified);
                if (child == parent) continue; // a row pointing at another of its own table: archived with it or not at all
                if (child == null) {
                    child = table(c, fk[0], fk[1], false);
                    found.put(qualified, child);
                    todo.add(child);
                }
                child.parents.add(new Edge(fk[2], parent, fk[3]));
            }
        }
        tags(c, schema, found);
        return new ArchiveScope(order(new ArrayList<>(found.values())));
    }

    /** Foreign keys onto {@code parent}: child schema, child table, column, parent column (one-column keys). */
    private static List<String[]> referencing(Connection c, Table parent) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT cn.nspname, cr.relname, ca.attname, pa.attname, array_length(k.conkey, 1)
                FROM pg_constraint k
                JOIN pg_class cr ON cr.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = cr.relnamespace
                JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = k.conkey[1]
                JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
                WHERE k.contype = 'f' AND k.confrelid = ?::regclass
                ORDER BY cn.nspname, cr.relname, k.conname""")) {
            ps.setString(1, parent.qualified());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(5) != 1) {
                        throw new IllegalArgumentException(rs.getString(2) + " refers to " + parent.name
                                + " by a key of several columns; archive follows one-column foreign keys only");
                    }
                    out.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        return out;
    }

    private static Table table(Connection c, String schema, String name, boolean root) throws SQLException {
        String qualified = quote(schema) + "." + quote(name);
        String key = null;
        String keyType = null;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), i.indnkeyatts
                FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                WHERE i.indrelid = ?::regclass AND i.indisprimary""")) {
            ps.setString(1, qualified);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getInt(3) == 1) {
                    key = rs.getString(1);
                    keyType = rs.getString(2);
                }
            }
        }
        if (key == null) {
            throw new IllegalArgumentException(name + " has no one-column primary key: archive deletes rows by their key "
                    + "and checks the archived keys against them");
        }
        Optional<String> time = Optional.empty();
        if (root) {
            List<String> timestamps = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT a.attname FROM pg_attribute a WHERE a.attrelid = ?::regclass AND a.attnum > 0
                      AND NOT a.attisdropped AND a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype)""")) {
                ps.setString(1, qualified);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) timestamps.add(rs.getString(1));
                }
            }
            time = TIME_COLUMNS.stream().filter(timestamps::contains).findFirst();
            if (time.isEmpty()) {
                throw new IllegalArgumentException(name + " has no time column (" + String.join(", ", TIME_COLUMNS)
                        + ") for --older-than");
            }
        }
        return new Table(schema, name, key, keyType, time);
    }

    /**
     * Seed 000's entity_tags names what it tags by entity_type ('session', 'test_case', 'tool_call': a table's name
     * in the singular) and id, without a foreign key: the tags of archived rows go with them.
     */
    private static void tags(Connection c, String schema, Map<String, Table> found) throws SQLException {
        String qualified = quote(schema) + ".\"entity_tags\"";
        if (found.containsKey(qualified)) return;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname IN ('entity_type', 'entity_id')
                  AND NOT attisdropped""")) {
            ps.setString(1, qualified);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) != 2) return;
            }
        }
        Table tags = table(c, schema, "entity_tags", false);
        for (Table t : found.values()) {
            if (t.schema.equals(schema) && TAGGABLE.contains(t.name)) {
                tags.tagged.put(t.name.substring(0, t.name.length() - 1), t);
            }
        }
        if (!tags.tagged.isEmpty()) found.put(qualified, tags);
    }

    /** Parents before children; a cycle of foreign keys among the tables cannot be archived this way. */
    private static List<Table> order(List<Table> all) {
        List<Table> out = new ArrayList<>();
        List<Table> left = new ArrayList<>(all);
        while (!left.isEmpty()) {
            Table next = null;
            for (Table t : left) {
                boolean ready = t.parents.stream().allMatch(e -> out.contains(e.parent()))
                        && out.containsAll(t.tagged.values());
                if (ready) {
                    next = t;
                    break;
                }
            }
            if (next == null) {
                throw new IllegalArgumentException("the tables " + left + " refer to each other in a cycle; archive cannot order them");
            }
            out.add(next);
            left.remove(next);
        }
        return out;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}

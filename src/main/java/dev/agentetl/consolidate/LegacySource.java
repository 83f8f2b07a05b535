package dev.agentetl.consolidate;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the legacy tables are: SQLite files laid out like ~/.victor/ (graph/graph.db, team_learning.db,
 * signatures.db, sessions.db), one SQLite file, or a PostgreSQL schema they were already copied to.
 * Every table is optional; {@link #probe()} says what is there.
 */
abstract class LegacySource {

    /** A table found in a file: its columns as found, the matching layout (null when unknown). */
    /**
     * A table found: {@code file} as shown (relative to the source folder), {@code origin} the file's
     * absolute path (or postgres:schema), its columns as found, and the matching layout.
     */
    record Found(String file, String origin, String table, Map<String, String> columns, LegacyTable layout) {
        String label() {
            return file + ":" + table;
        }

        /** The source_table written into every target row: which file and table a row came from. */
        String lineage() {
            return origin + ":" + table;
        }
    }

    /** What probing found: known tables, other tables (left alone), and files or tables that cannot be read. */
    record Probe(List<Found> tables, List<String> ignored, List<String> problems) {
    }

    static LegacySource parse(String from, DataSource target) {
        if (from.startsWith("sqlite:")) {
            return new Sqlite(Path.of(from.substring("sqlite:".length())));
        }
        if (from.startsWith("postgres:")) {
            String schema = from.substring("postgres:".length());
            if (!schema.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("--from postgres:SCHEMA needs a plain schema name, got '" + schema + "'");
            }
            return new Postgres(schema, target);
        }
        throw new IllegalArgumentException("--from must be sqlite:PATH or postgres:SCHEMA, got '" + from + "'");
    }

    abstract String describe();

    abstract Probe probe();

    /** A connection to read one found table from (closed by the caller). */
    abstract Connection open(Found found) throws SQLException;

    /** SELECT of every row: a row number first (or null), then the columns in the order given. */
    abstract String selectAll(Found found, List<String> columns);

    /** Drops the original tables (postgres: only; SQLite files are never changed). */
    void dropOriginals(Connection c, List<Found> tables) throws SQLException {
    }

    /**
     * The staged copy of a legacy table: {@code legacy_<table>} in agent-etl's own schema (the first on the
     * search path, where an unqualified CREATE puts it), never in a schema someone else may own.
     */
    static String staged(String table) {
        return quote("legacy_" + table);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** SQLite files, opened read-only: consolidation never changes a legacy file. */
    static final class Sqlite extends LegacySource {

        private final Path path;

        Sqlite(Path path) {
            this.path = path.toAbsolutePath().normalize();
        }

        @Override
        String describe() {
            return "sqlite:" + path;
        }

        List<Path> files() {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("legacy source not found: " + path);
            }
            if (Files.isRegularFile(path)) {
                return List.of(path);
            }
            List<Path> out = new ArrayList<>();
            for (String name : List.of("graph/graph.db", "team_learning.db", "signatures.db", "sessions.db", "victor.db", "rl_learning.db")) {
                Path f = path.resolve(name);
                if (Files.isRegularFile(f)) out.add(f);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("no legacy database in " + path
                        + " (looked for graph/graph.db, team_learning.db, signatures.db, sessions.db, victor.db, rl_learning.db)");
            }
            return out;
        }

        @Override
        Probe probe() {
            List<Found> found = new ArrayList<>();
            List<String> ignored = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (Path file : files()) {
                String label = path.equals(file) ? file.getFileName().toString() : path.relativize(file).toString();
                String notSqlite = checkHeader(file);
                if (notSqlite != null) {
                    problems.add(label + ": " + notSqlite);
                    continue;
                }
                try (Connection c = connect(file)) {
                    List<String> tables = new ArrayList<>();
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
                         ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) tables.add(rs.getString(1));
                    }
                    for (String t : tables) {
                        Map<String, String> columns = new LinkedHashMap<>();
                        try (PreparedStatement ps = c.prepareStatement("SELECT name, type FROM pragma_table_info(?)")) {
                            ps.setString(1, t);
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) columns.put(rs.getString(1), rs.getString(2));
                            }
                        }
                        classify(label, file.toString(), t, columns, found, ignored, problems);
                    }
                } catch (SQLException e) {
                    problems.add(label + ": cannot read: " + sqliteReason(e));
                }
            }
            return new Probe(found, ignored, problems);
        }

        private Path fileOf(Found f) {
            return Files.isRegularFile(path) ? path : path.resolve(f.file());
        }

        @Override
        Connection open(Found found) throws SQLException {
            return connect(fileOf(found));
        }

        @Override
        String selectAll(Found found, List<String> columns) {
            StringBuilder sb = new StringBuilder("SELECT _rowid_");
            for (String col : columns) {
                sb.append(", ").append(found.columns().containsKey(col) ? quote(col) : "NULL");
            }
            return sb.append(" FROM ").append(quote(found.table())).toString();
        }

        static Connection connect(Path file) throws SQLException {
            return dev.agentetl.db.SqliteFiles.openReadOnly(file, 2000);
        }

        private static String checkHeader(Path file) {
            return dev.agentetl.db.SqliteFiles.headerProblem(file);
        }
    }

    /** Legacy tables already copied into a PostgreSQL schema (for example by pgloader). */
    static final class Postgres extends LegacySource {

        private final String schema;
        private final DataSource dataSource;

        Postgres(String schema, DataSource dataSource) {
            this.schema = schema;
            this.dataSource = dataSource;
        }

        @Override
        String describe() {
            return "postgres:" + schema;
        }

        @Override
        Probe probe() {
            List<Found> found = new ArrayList<>();
            List<String> ignored = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            try (Connection c = dataSource.getConnection()) {
                Map<String, Map<String, String>> tables = new java.util.TreeMap<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT table_name, column_name, data_type FROM information_schema.columns
                        WHERE table_schema = ? ORDER BY table_name, ordinal_position""")) {
                    ps.setString(1, schema);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            tables.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
                        }
                    }
                }
                if (tables.isEmpty()) {
                    throw new IllegalArgumentException("schema " + schema + " holds no tables");
                }
                tables.forEach((t, cols) -> classify(schema, "postgres:" + schema, t, cols, found, ignored, problems));
            } catch (SQLException e) {
                problems.add(schema + ": " + e.getMessage());
            }
            return new Probe(found, ignored, problems);
        }

        @Override
        Connection open(Found found) throws SQLException {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(false);
            c.setReadOnly(true);
            return c;
        }

        @Override
        String selectAll(Found found, List<String> columns) {
            StringBuilder sb = new StringBuilder("SELECT NULL::bigint");
            for (String col : columns) {
                sb.append(", ").append(found.columns().containsKey(col) ? quote(col) : "NULL");
            }
            return sb.append(" FROM ").append(quote(schema)).append('.').append(quote(found.table())).toString();
        }

        @Override
        void dropOriginals(Connection c, List<Found> tables) throws SQLException {
            try (var st = c.createStatement()) {
                for (Found f : tables) {
                    st.execute("DROP TABLE IF EXISTS " + quote(schema) + "." + quote(f.table()));
                }
            }
        }
    }

    static void classify(String file, String origin, String table, Map<String, String> columns, List<Found> found,
                         List<String> ignored, List<String> problems) {
        if (!LegacyCatalog.isKnownName(table)) {
            ignored.add(file + ":" + table);
            return;
        }
        LegacyCatalog.match(table, columns.keySet()).ifPresentOrElse(
                layout -> found.add(new Found(file, origin, table, columns, layout)),
                () -> problems.add(file + ":" + table + ": unknown layout, columns " + columns.keySet()
                        + "; known layouts: " + LegacyCatalog.all().stream().filter(t -> t.name().equals(table))
                        .map(t -> t.layout() + " " + t.requiredColumns()).toList()));
    }

    static String sqliteReason(SQLException e) {
        return dev.agentetl.db.SqliteFiles.reason(e);
    }
}

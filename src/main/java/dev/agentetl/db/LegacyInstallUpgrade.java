package dev.agentetl.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Releases before agent-etl had a schema of its own created everything (V1-V13) in {@code public}.
 * Everything there was agent-etl's, so on the first {@code migrate} it is moved, with its rows, into
 * agent-etl's schema in one transaction: the tables (their indexes, constraints, identity sequences and
 * triggers go with them), the views and the functions, Flyway's history included. Only the objects those
 * migrations created are moved, named by reading them; anything else in {@code public} stays.
 */
final class LegacyInstallUpgrade {

    private static final Pattern TABLE = Pattern.compile("(?i)CREATE TABLE\\s+(\\w+)");
    private static final Pattern VIEW = Pattern.compile("(?i)CREATE VIEW\\s+(\\w+)");
    private static final Pattern FUNCTION = Pattern.compile("(?i)CREATE (?:OR REPLACE )?FUNCTION\\s+(\\w+)\\s*\\(");

    private LegacyInstallUpgrade() {
    }

    /** public holds the Flyway history of agent-etl's own V1 (and agent-etl's schema has none yet). */
    static boolean isLegacyInstall(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('public.flyway_schema_history') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) return false;
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT count(*) FROM public.flyway_schema_history
                     WHERE version = '1' AND script = 'V1__agent_interaction_store.sql' AND success""")) {
            rs.next();
            return rs.getLong(1) == 1;
        }
    }

    /** Moves an older install into {@code schema}; returns whether there was one. */
    static boolean moveIfNeeded(Connection c, String schema, Path migrations) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, schema + ".flyway_schema_history");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) return false;
            }
        }
        if (!isLegacyInstall(c)) return false;
        Created created = created(migrations);
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            // an older release still running holds locks on its tables: wait a while, then say so rather than
            // queue the applications' own queries behind the move
            st.execute("SET LOCAL lock_timeout = '30s'");
            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            for (String view : existing(c, created.views, "v")) {
                st.execute("ALTER VIEW public." + view + " SET SCHEMA " + schema);
            }
            for (String table : existing(c, created.tables, "r")) {
                st.execute("ALTER TABLE public." + table + " SET SCHEMA " + schema);
            }
            st.execute("ALTER TABLE public.flyway_schema_history SET SCHEMA " + schema);
            for (String signature : functions(c, created.functions)) {
                st.execute("ALTER FUNCTION " + signature + " SET SCHEMA " + schema);
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            if ("55P03".equals(e.getSQLState())) {
                throw new SQLException("the tables of the older install are in use (is a process of the older release "
                        + "still running?); stop it and run migrate again: " + e.getMessage(), e);
            }
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private record Created(Set<String> tables, Set<String> views, Set<String> functions) {
    }

    /** The objects V1-V13 created, read from the migrations themselves. */
    private static Created created(Path migrations) {
        Created out = new Created(new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>());
        try (Stream<Path> files = Files.list(migrations)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("V([1-9]|1[0-3])__.*\\.sql")).toList()) {
                String sql = Files.readString(f);
                collect(TABLE, sql, out.tables);
                collect(VIEW, sql, out.views);
                collect(FUNCTION, sql, out.functions);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void collect(Pattern p, String sql, Set<String> into) {
        Matcher m = p.matcher(sql);
        while (m.find()) into.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
    }

    private static List<String> existing(Connection c, Set<String> names, String kind) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = ?
                AND relname = ANY (?) ORDER BY relname""")) {
            ps.setString(1, kind);
            ps.setArray(2, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add("\"" + rs.getString(1) + "\"");
            }
        }
        return out;
    }

    private static List<String> functions(Connection c, Set<String> names) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'public'::regnamespace AND p.proname = ANY (?)""")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }
}

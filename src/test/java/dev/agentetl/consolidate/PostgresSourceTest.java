package dev.agentetl.consolidate;

import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Legacy tables already in PostgreSQL (as a load tool leaves them: INTEGER as bigint, REAL as double
 * precision, the rest text) consolidate like the SQLite files: every table reconciles, lineage names the
 * schema, a re-run writes nothing, and --drop-legacy drops the original tables only after a verified run.
 */
class PostgresSourceTest {

    /** Copies every table of the SQLite files into one PostgreSQL schema, types mapped the way pgloader does. */
    private static long load(Path dir, Connection pg, String schema) throws Exception {
        long rows = 0;
        Sql.exec(pg, "CREATE SCHEMA " + schema);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".db")).sorted().toList();
        }
        for (Path file : files) {
            try (Connection lite = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = lite.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
                    while (rs.next()) tables.add(rs.getString(1));
                }
                for (String table : tables) {
                    List<String> columns = new ArrayList<>();
                    List<String> defs = new ArrayList<>();
                    try (ResultSet rs = st.executeQuery("PRAGMA table_info(\"" + table + "\")")) {
                        while (rs.next()) {
                            String type = rs.getString("type").toUpperCase(Locale.ROOT);
                            columns.add("\"" + rs.getString("name") + "\"");
                            defs.add("\"" + rs.getString("name") + "\" " + (type.contains("INT") || type.contains("BOOL") ? "bigint"
                                    : type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") ? "double precision" : "text"));
                        }
                    }
                    Sql.exec(pg, "CREATE TABLE " + schema + ".\"" + table + "\" (" + String.join(", ", defs) + ")");
                    String marks = String.join(", ", columns.stream().map(c -> "?").toList());
                    try (ResultSet rs = st.executeQuery("SELECT " + String.join(", ", columns) + " FROM \"" + table + "\"");
                         PreparedStatement insert = pg.prepareStatement("INSERT INTO " + schema + ".\"" + table + "\" ("
                                 + String.join(", ", columns) + ") VALUES (" + marks + ")")) {
                        while (rs.next()) {
                            for (int i = 1; i <= columns.size(); i++) {
                                Object v = rs.getObject(i);
                                insert.setObject(i, v instanceof Integer n ? Long.valueOf(n) : v);
                            }
                            insert.addBatch();
                            rows++;
                        }
                        insert.executeBatch();
                    }
                }
            }
        }
        return rows;
    }

    @Test
    void legacyTablesInAPostgresSchemaReconcileAndAreDroppedOnlyWhenAsked(@TempDir Path dir) throws Exception {
        LegacyFiles.Written files = LegacyFiles.write(dir, 3_000, 5);
        try (TestRuntime t = TestRuntime.start()) {
            assertEquals(files.total(), load(dir, t.db, "old_victor"));
            long tables = Sql.count(t.db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'old_victor'");

            ConsolidationReport dry = (ConsolidationReport) t.runtime.run("consolidate",
                    new ConsolidateRequest("postgres:old_victor", "UTC", true, false, false, null));
            assertEquals(34, dry.plan().size(), dry.render());
            assertEquals(files.total(), dry.plan().stream().mapToLong(ConsolidationReport.PlanRow::rows).sum());

            ConsolidationReport first = (ConsolidationReport) t.runtime.run("consolidate",
                    new ConsolidateRequest("postgres:old_victor", "UTC", false, false, false, null));
            assertTrue(first.problems().isEmpty(), first.render() + first.problems());
            assertTrue(first.tables().stream().allMatch(Reconciliation.Result::reconciled), first.render());
            assertEquals(files.rowsPerTable().get("rl_outcomes"), Sql.count(t.db,
                    "SELECT count(*) FROM rl_outcome WHERE source_table = 'postgres:old_victor:rl_outcomes'"));
            assertEquals(tables, Sql.count(t.db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'old_victor'"),
                    "the originals stay until --drop-legacy");

            ConsolidationReport again = (ConsolidationReport) t.runtime.run("consolidate",
                    new ConsolidateRequest("postgres:old_victor", "UTC", false, true, false, null));
            assertTrue(again.problems().isEmpty(), again.render());
            assertEquals(0, again.rowsWritten(), "a re-run writes nothing");
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'old_victor' AND tablename IN "
                    + "('rl_outcomes', 'mode_transition_q_values', 'sessions')"), "--drop-legacy dropped the verified originals");
            assertEquals(files.rowsPerTable().get("rl_outcomes"), Sql.count(t.db, "SELECT count(*) FROM rl_outcome"),
                    "the consolidated rows stay");
        }
    }
}

package dev.agentetl.consolidate;

import dev.agentetl.runtime.JobReport;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Legacy learner tables from SQLite files into the unified tables, reconciled, idempotent and resumable. */
class ConsolidateTest {

    private static final List<String> TARGETS = List.of("rl_learner", "rl_outcome", "rl_q_value", "rl_transition", "rl_param",
            "rl_task_stat", "rl_metric", "agent_team_config", "agent_team_run", "agent_policy_snapshot", "ui_session",
            "ui_failed_call", "sys_schema_version", "sys_metadata", "consolidation_runs", "consolidation_tables", "consolidation_rejects");

    private static ConsolidateRequest from(Path dir) {
        return new ConsolidateRequest("sqlite:" + dir, "UTC", false, false, false, null);
    }

    private static Map<String, Long> counts(Connection db) throws Exception {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String t : TARGETS) m.put(t, Sql.count(db, "SELECT count(*) FROM " + t));
        m.put("legacy tables", Sql.count(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'agent_etl' AND tablename LIKE 'legacy\\_%'"));
        return m;
    }

    @Test
    void generatedLegacyFilesReconcileEveryTableAndAReRunWritesNothing(@TempDir Path dir) throws Exception {
        LegacyFiles.Written files = LegacyFiles.write(dir, 20_000, 7);
        try (TestRuntime t = TestRuntime.start()) {
            ConsolidationReport dry = (ConsolidationReport) t.runtime.run("consolidate",
                    new ConsolidateRequest("sqlite:" + dir, "UTC", true, false, false, null));
            assertEquals(34, dry.plan().size(), dry.render());
            assertEquals(files.total(), dry.plan().stream().mapToLong(ConsolidationReport.PlanRow::rows).sum());
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM consolidation_runs"), "a dry run writes nothing");
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM rl_outcome"));

            ConsolidationReport first = (ConsolidationReport) t.runtime.run("consolidate", from(dir));
            assertTrue(first.problems().isEmpty(), first.render() + first.problems());
            assertEquals(34, first.tables().size());
            assertTrue(first.tables().stream().allMatch(Reconciliation.Result::reconciled), first.render());
            assertEquals(files.rowsPerTable().get("rl_outcomes"), Sql.count(t.db, "SELECT count(*) FROM rl_outcome"));
            long expected = dry.plan().stream().flatMap(p -> p.targets().values().stream()).mapToLong(Long::longValue).sum();
            assertEquals(expected, first.rowsWritten(), "every target row the plan announced was written");
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM rl_transition WHERE source_key IS NULL OR run_id IS NULL OR source_table IS NULL"));
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM rl_outcome WHERE created_at > now() - interval '1 day'"),
                    "source times are kept, never the time of the run");
            assertTrue(Sql.count(t.db, "SELECT count(*) FROM rl_learner") >= 10);

            Map<String, Long> before = counts(t.db);
            ConsolidationReport again = (ConsolidationReport) t.runtime.run("consolidate", from(dir));
            assertTrue(again.problems().isEmpty(), again.render());
            assertEquals(0, again.rowsWritten(), "a re-run writes nothing");
            assertEquals(again.rowsRead(), again.rowsSkipped(), again.render());
            Map<String, Long> after = counts(t.db);
            for (String table : List.of("rl_outcome", "rl_param", "rl_task_stat", "rl_q_value", "rl_transition", "ui_session")) {
                assertEquals(before.get(table), after.get(table), table + " after a re-run");
            }

            Map<String, Long> beforeVerify = counts(t.db);
            ConsolidationReport verified = (ConsolidationReport) t.runtime.run("consolidate", new ConsolidateRequest(null, null, false, false, true, null));
            assertTrue(verified.problems().isEmpty(), verified.render());
            assertEquals(34, verified.tables().size());
            assertEquals(beforeVerify, counts(t.db), "verify writes nothing");

            Sql.exec(t.db, "DELETE FROM rl_outcome WHERE id IN (SELECT id FROM rl_outcome ORDER BY id LIMIT 3)");
            ConsolidationReport broken = (ConsolidationReport) t.runtime.run("consolidate", new ConsolidateRequest(null, null, false, false, true, null));
            assertEquals(1, broken.problems().size(), broken.render());
            assertTrue(broken.problems().get(0).contains("rl_outcomes: does not reconcile: rl_outcome has " + (files.rowsPerTable().get("rl_outcomes") - 3)),
                    broken.problems().toString());
            assertTrue(broken.problems().get(0).contains("source rows without their target rows: 1, 2, 3"), broken.problems().toString());
        }
    }

    @Test
    void aRunStoppedBetweenTablesResumesAndEndsLikeAnUninterruptedOne(@TempDir Path dir) throws Exception {
        LegacyFiles.write(dir, 5_000, 11);
        Map<String, Long> uninterrupted;
        try (TestRuntime t = TestRuntime.start()) {
            t.runtime.run("consolidate", from(dir));
            uninterrupted = counts(t.db);
        }
        try (TestRuntime t = TestRuntime.start()) {
            Consolidator consolidator = t.runtime.camelContext().getRegistry().lookupByNameAndType("consolidator", Consolidator.class);
            int[] committed = {0};
            consolidator.afterTable(table -> {
                if (++committed[0] == 5) throw new Consolidator.StopRequested("stopped after " + table);
            });
            assertThrows(Exception.class, () -> t.runtime.run("consolidate", from(dir)));
            // tables sharing one target commit together (TargetGroups), so at least the 5 tables seen are done
            long done = Sql.count(t.db, "SELECT count(*) FROM consolidation_tables WHERE status = 'reconciled'");
            assertTrue(done >= 5 && done < 34, "done before the stop: " + done);
            assertEquals("running", Sql.value(t.db, "SELECT status FROM consolidation_runs"));

            consolidator.afterTable(table -> { });
            ConsolidationReport resumed = (ConsolidationReport) t.runtime.run("consolidate", from(dir));
            assertTrue(resumed.problems().isEmpty(), resumed.render());
            assertTrue(resumed.notes().get(0).startsWith("resumed run 1: " + done + " table(s) were done"), resumed.notes().toString());
            assertEquals(1, Sql.count(t.db, "SELECT count(*) FROM consolidation_runs"), "the same run continued");
            Map<String, Long> after = counts(t.db);
            for (String table : List.of("rl_outcome", "rl_param", "rl_task_stat", "rl_q_value", "rl_transition", "ui_session", "rl_learner")) {
                assertEquals(uninterrupted.get(table), after.get(table), table);
            }
        }
    }

    @Test
    void badSourcesAreNamedAndGoodTablesInTheSameRunAreKept(@TempDir Path dir) throws Exception {
        try (TestRuntime t = TestRuntime.start()) {
            CliRun missing = CliRun.of(t.config, "consolidate", "--from", "sqlite:" + dir.resolve("nowhere"));
            assertEquals(1, missing.exit());
            assertTrue(missing.err().contains("legacy source not found: " + dir.resolve("nowhere")), missing.err());

            Path notSqlite = dir.resolve("notes.db");
            Files.writeString(notSqlite, "this is a text file, not a database\n");
            CliRun text = CliRun.of(t.config, "consolidate", "--from", "sqlite:" + notSqlite);
            assertEquals(1, text.exit());
            assertTrue(text.err().contains("notes.db: not a SQLite database"), text.err());

            Path corrupt = dir.resolve("corrupt.db");
            byte[] bytes = new byte[8192];
            System.arraycopy("SQLite format 3\0".getBytes(), 0, bytes, 0, 16);
            java.util.Arrays.fill(bytes, 16, bytes.length, (byte) 0x7f);
            Files.write(corrupt, bytes);
            CliRun broken = CliRun.of(t.config, "consolidate", "--from", "sqlite:" + corrupt);
            assertEquals(1, broken.exit());
            assertTrue(broken.err().contains("corrupt.db: cannot read"), broken.err());

            // a folder with a good sessions.db and a graph.db whose rl_outcomes has an unknown layout
            Path folder = dir.resolve("victor");
            Files.createDirectories(folder.resolve("graph"));
            sqlite(folder.resolve("graph/graph.db"), "CREATE TABLE rl_outcomes (id INTEGER PRIMARY KEY, outcome TEXT)",
                    "INSERT INTO rl_outcomes VALUES (1, 'x')");
            sqlite(folder.resolve("sessions.db"), "CREATE TABLE sessions (id TEXT PRIMARY KEY, name TEXT, provider TEXT, model TEXT, created_at TEXT, updated_at TEXT, data TEXT)",
                    "INSERT INTO sessions VALUES ('s1', 'old session', 'ollama', 'qwen2.5-coder:7b', '2025-12-20T10:00:00', '2025-12-20T10:05:00.250000', '{\"id\": \"s1\"}')");
            CliRun mixed = CliRun.of(t.config, "consolidate", "--from", "sqlite:" + folder);
            assertEquals(1, mixed.exit());
            assertTrue(mixed.err().contains("graph/graph.db:rl_outcomes: unknown layout, columns [id, outcome]"), mixed.err());
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM rl_outcome"), "nothing written for the failed table");
            assertEquals(1, Sql.count(t.db, "SELECT count(*) FROM ui_session WHERE id = 's1' AND profile IS NULL"),
                    "the good table in the same run (an old sessions.db without profile) is consolidated");

            Path locked = dir.resolve("locked.db");
            sqlite(locked, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY)", "INSERT INTO schema_version VALUES (1)");
            try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + locked); Statement st = writer.createStatement()) {
                st.execute("PRAGMA locking_mode = EXCLUSIVE");
                st.execute("BEGIN EXCLUSIVE");
                st.execute("INSERT INTO schema_version VALUES (2)");
                CliRun busy = CliRun.of(t.config, "consolidate", "--from", "sqlite:" + locked);
                assertEquals(1, busy.exit());
                assertTrue(busy.err().contains("locked.db") && busy.err().contains("locked"), busy.err());
                st.execute("ROLLBACK");
            }
        }
    }

    static void sqlite(Path file, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String s : statements) st.execute(s);
        }
    }

    static JobReport run(TestRuntime t, Path dir, String zone) {
        return t.runtime.run("consolidate", new ConsolidateRequest("sqlite:" + dir, zone, false, false, false, null));
    }
}

package dev.agentetl.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.generate.GenerateOptions;
import dev.agentetl.support.CliProcess;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention on generated telemetry: what goes is in the Parquet files, read back by DuckDB, and nothing is lost. */
class ArchiveTest {

    /** The generated sessions run from 2026-03-02 to 2026-03-31: the cutoff leaves about half of them. */
    private static final OffsetDateTime CUT = OffsetDateTime.of(2026, 3, 16, 0, 0, 0, 0, ZoneOffset.UTC);
    /** Every table a session's rows are in, with the condition that finds the rows of sessions older than the cut. */
    private static final Map<String, String> OLD = new LinkedHashMap<>();

    static {
        String sessions = "(SELECT id FROM sessions WHERE created_at < '" + CUT + "')";
        String calls = "(SELECT id FROM tool_calls WHERE session_id IN " + sessions + ")";
        String runs = "(SELECT id FROM test_runs WHERE session_id IN " + sessions + ")";
        OLD.put("sessions", "created_at < '" + CUT + "'");
        for (String t : List.of("messages", "llm_responses", "tool_calls", "reasoning_steps", "error_recovery",
                "performance_metrics", "ab_test_results", "test_runs")) {
            OLD.put(t, "session_id IN " + sessions);
        }
        OLD.put("tool_results", "tool_call_id IN " + calls);
        OLD.put("judge_evaluations", "test_run_id IN " + runs + " OR tool_call_id IN " + calls);
        OLD.put("entity_tags", "entity_type = 'session' AND entity_id IN " + sessions);
    }

    private static Duration olderThan() {
        return Duration.between(CUT, OffsetDateTime.now(ZoneOffset.UTC));
    }

    private static TestRuntime generated() throws Exception {
        TestRuntime t = TestRuntime.start();
        t.runtime.run("generate", new GenerateOptions(4_000, 11, LocalDate.of(2026, 3, 31), 30, true));
        return t;
    }

    private static Map<String, Long> counts(Connection db, boolean old) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : OLD.entrySet()) {
            out.put(e.getKey(), Sql.count(db, "SELECT count(*) FROM " + e.getKey() + (old ? " WHERE " + e.getValue() : "")));
        }
        return out;
    }

    private static List<String> rows(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) sb.append(rs.getString(i)).append('|');
                out.add(sb.toString());
            }
        }
        return out;
    }

    private static String parquet(Path dir, String table) {
        return "read_parquet('" + dir.resolve("sessions").resolve(table) + "/**/*.parquet', hive_partitioning = true)";
    }

    private static Path archiveDir(TestRuntime t) {
        return t.config.path("agent-etl.exports-dir").resolve("archive");
    }

    @Test
    void should_count_without_writing_or_deleting_on_a_dry_run() throws Exception {
        try (TestRuntime t = generated()) {
            Map<String, Long> before = counts(t.db, false);
            ArchiveReport report = (ArchiveReport) t.runtime.run("archive", new ArchiveRequest("sessions", olderThan(), true, null, "test"));
            Map<String, Long> old = counts(t.db, true);
            for (ArchiveManifest.TablePart p : report.runs().get(0).tables()) {
                assertEquals(old.get(p.table), p.rows, p.table);
            }
            assertEquals(OLD.keySet(), new java.util.HashSet<>(report.runs().get(0).tables().stream().map(p -> p.table).toList()),
                    "every table a session's rows are in");
            assertTrue(old.get("sessions") > 30 && old.get("messages") > 200, "a real selection: " + old);
            assertEquals(before, counts(t.db, false), "nothing deleted");
            assertTrue(!Files.exists(archiveDir(t)), "nothing written");
        }
    }

    @Test
    void should_archive_old_sessions_with_all_their_rows_and_delete_exactly_those() throws Exception {
        try (TestRuntime t = generated()) {
            Map<String, Long> before = counts(t.db, false);
            Map<String, Long> old = counts(t.db, true);
            List<String> oldSessions = rows(t.db, "SELECT id, session_id, model, final_status, total_duration_ms, "
                    + "extract(epoch FROM created_at)::numeric(20,6), metadata::jsonb->>'prompt_variant' FROM sessions WHERE "
                    + OLD.get("sessions") + " ORDER BY id");
            List<String> oldMessages = rows(t.db, "SELECT id, session_id, role, md5(coalesce(content, '')) FROM messages WHERE "
                    + OLD.get("messages") + " ORDER BY id");
            ArchiveReport report = (ArchiveReport) t.runtime.run("archive", new ArchiveRequest("sessions", olderThan(), false, null, "test"));
            ArchiveReport.Run run = report.runs().get(0);
            for (ArchiveManifest.TablePart p : run.tables()) {
                assertEquals(old.get(p.table), p.rows, p.table + " archived");
                assertEquals(old.get(p.table), p.deleted, p.table + " deleted");
                assertEquals(0, p.kept, p.table);
            }
            Map<String, Long> after = counts(t.db, false);
            for (String table : OLD.keySet()) {
                assertEquals(before.get(table) - old.get(table), after.get(table), table + ": exactly the archived rows are gone");
            }
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM sessions WHERE " + OLD.get("sessions")));
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM entity_tags e WHERE e.entity_type = 'session' "
                    + "AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = e.entity_id)"), "no tag left on a deleted session");
            Path dir = archiveDir(t);
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
                assertEquals(List.of("BIGINT|TIMESTAMP WITH TIME ZONE|"), rows(duck, "SELECT DISTINCT typeof(id), typeof(created_at) FROM "
                        + parquet(dir, "sessions")), "types kept");
                assertEquals(oldSessions, rows(duck, "SELECT id, session_id, model, final_status, total_duration_ms, "
                        + "CAST(epoch_us(created_at) / 1000000.0 AS DECIMAL(20,6)), json_extract_string(metadata, '$.prompt_variant') FROM "
                        + parquet(dir, "sessions") + " ORDER BY id"));
                assertEquals(oldMessages, rows(duck, "SELECT id, session_id, role, md5(coalesce(content, '')) FROM "
                        + parquet(dir, "messages") + " ORDER BY id"));
                for (String table : OLD.keySet()) {
                    assertEquals(old.get(table), Long.parseLong(rows(duck, "SELECT count(*) FROM " + parquet(dir, table)).get(0)
                            .replace("|", "")), table + " in the archive");
                }
            }
            JsonNode manifest = new ObjectMapper().readTree(Path.of(run.manifest()).toFile());
            assertEquals("deleted", manifest.get("state").asText());
            assertTrue(Path.of(run.manifest()).getParent().equals(dir.resolve("sessions")));

            // a re-run finds nothing and writes nothing
            long files = countFiles(dir);
            ArchiveReport again = (ArchiveReport) t.runtime.run("archive", new ArchiveRequest("sessions", olderThan(), false, null, "test"));
            assertNull(again.runs().get(0).archiveId());
            assertEquals(files, countFiles(dir));
            assertEquals(after, counts(t.db, false));
        }
    }

    @Test
    void should_lose_nothing_when_killed_between_writing_and_deleting() throws Exception {
        try (TestRuntime t = generated()) {
            Map<String, Long> before = counts(t.db, false);
            Map<String, Long> old = counts(t.db, true);
            Path dir = archiveDir(t);
            Path logs = Files.createTempDirectory("archive-kill");
            // every row that is to go is locked, so the process blocks at its first delete, after its files are verified
            try (Connection locker = dev.agentetl.support.TestDatabases.connect(t.config)) {
                locker.setAutoCommit(false);
                for (Map.Entry<String, String> e : OLD.entrySet()) {
                    Sql.exec(locker, "SELECT 1 FROM " + e.getKey() + " WHERE " + e.getValue() + " FOR UPDATE");
                }
                try (CliProcess p = CliProcess.start(t.config, logs, "archive", "sessions", "--older-than", olderThan().toSeconds() + "s")) {
                    long deadline = System.nanoTime() + 120_000_000_000L;
                    while (!(verified(dir) && waitingOnLock(t.db))) {
                        assertTrue(p.isAlive(), "archive ended early: " + p.output());
                        assertTrue(System.nanoTime() < deadline, "archive never reached its deletes: " + p.output());
                        Thread.sleep(200);
                    }
                    p.kill();
                }
                locker.rollback();
            }
            assertEquals(before, counts(t.db, false), "killed before any delete committed: every row still there");
            // the next run finishes the one that was killed: its rows go, and are archived once
            ArchiveReport report = (ArchiveReport) t.runtime.run("archive", new ArchiveRequest("sessions", olderThan(), false, null, "test"));
            assertEquals(1, report.runs().get(0).finished().size(), report.render());
            assertNull(report.runs().get(0).archiveId(), "nothing left to archive after the killed run's rows went");
            Map<String, Long> after = counts(t.db, false);
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
                for (String table : OLD.keySet()) {
                    assertEquals(before.get(table) - old.get(table), after.get(table), table);
                    assertEquals(old.get(table), Long.parseLong(rows(duck, "SELECT count(*) FROM " + parquet(dir, table)).get(0)
                            .replace("|", "")), table + " archived once");
                }
            }
        }
    }

    @Test
    void should_remove_the_files_of_a_run_killed_before_its_manifest_and_archive_again() throws Exception {
        try (TestRuntime t = generated()) {
            Path dir = archiveDir(t).resolve("sessions").resolve("messages").resolve("dt=2026-01-01");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("part-20260101T000000000Z-00000.parquet"), "parts of a run killed before its manifest");
            Files.writeString(dir.resolve(".part-20260101T000000000Z-00001.parquet.inprogress"), "half a file");
            long old = Sql.count(t.db, "SELECT count(*) FROM messages WHERE " + OLD.get("messages"));
            ArchiveReport report = (ArchiveReport) t.runtime.run("archive", new ArchiveRequest("sessions", olderThan(), false, null, "test"));
            assertTrue(report.runs().get(0).archiveId() != null);
            assertTrue(!Files.exists(dir.resolve("part-20260101T000000000Z-00000.parquet")));
            assertTrue(!Files.exists(dir.resolve(".part-20260101T000000000Z-00001.parquet.inprogress")));
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
                assertEquals(old, Long.parseLong(rows(duck, "SELECT count(*) FROM " + parquet(archiveDir(t), "messages")).get(0).replace("|", "")));
            }
        }
    }

    @Test
    void should_delete_nothing_on_the_strength_of_files_that_do_not_read_back() throws Exception {
        try (TestRuntime t = generated()) {
            // an archive whose run stopped before reading its files back (state written), with a file damaged since
            ArchiveReport first = (ArchiveReport) t.runtime.run("archive", new ArchiveRequest("sessions", olderThan(), false, null, "test"));
            Path manifest = Path.of(first.runs().get(0).manifest());
            ArchiveManifest m = ArchiveManifest.read(manifest);
            m.state = "written";
            m.write(manifest.getParent());
            Path damaged = manifest.getParent().resolve(m.tables.get(2).files.get(0).file());
            byte[] bytes = Files.readAllBytes(damaged);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(damaged, bytes);
            // an old session that arrived since: the next run archives it, and only it
            Sql.exec(t.db, "INSERT INTO sessions (id, session_id, created_at, session_type, model) VALUES "
                    + "(" + m.tables.get(0).rows + " + 1000000, 'back', '2026-03-02', 'production', 'gpt-4o')");
            long before = Sql.count(t.db, "SELECT count(*) FROM sessions");
            ArchiveReport next = (ArchiveReport) t.runtime.run("archive", new ArchiveRequest("sessions", olderThan(), false, null, "test"));
            assertTrue(next.runs().get(0).finished().isEmpty(), "the damaged archive is not finished");
            assertTrue(!Files.exists(manifest) && !Files.exists(damaged), "its manifest and files are removed");
            assertEquals(before - 1, Sql.count(t.db, "SELECT count(*) FROM sessions"), "only the new old session is archived");
        }
    }

    @Test
    void should_keep_a_session_that_got_a_new_message_after_the_selection() throws Exception {
        try (TestRuntime t = generated()) {
            long session = Sql.count(t.db, "SELECT min(id) FROM sessions WHERE " + OLD.get("sessions"));
            // the selection and the files are made; a message arrives for an old session before the deletes
            try (Connection locker = dev.agentetl.support.TestDatabases.connect(t.config)) {
                // the newcomer is written while the archive waits to delete the session's messages
                locker.setAutoCommit(false);
                Sql.exec(locker, "SELECT 1 FROM messages WHERE session_id = " + session + " FOR UPDATE");
                Thread archive = new Thread(() -> t.runtime.run("archive", new ArchiveRequest("sessions", olderThan(), false, null, "test")));
                archive.start();
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (!(verified(archiveDir(t)) && waitingOnLock(t.db))) {
                    assertTrue(System.nanoTime() < deadline, "archive never reached its deletes");
                    Thread.sleep(100);
                }
                try (PreparedStatement ps = t.db.prepareStatement(
                        "INSERT INTO messages (session_id, message_index, role, content) VALUES (?, 99, 'user', 'one more thing')")) {
                    ps.setLong(1, session);
                    ps.executeUpdate();
                }
                locker.rollback();
                archive.join(120_000);
            }
            assertEquals(1, Sql.count(t.db, "SELECT count(*) FROM sessions WHERE id = " + session), "kept: a row refers to it");
            assertEquals(1, Sql.count(t.db, "SELECT count(*) FROM messages WHERE session_id = " + session), "the newcomer is kept");
            assertEquals(1, Sql.count(t.db, "SELECT count(*) FROM sessions WHERE " + OLD.get("sessions")), "the others went");
        }
    }

    @Test
    void should_archive_the_configured_datasets_when_sent_no_request() throws Exception {
        try (TestRuntime t = TestRuntime.start(Map.of("agent-etl.archive.datasets", "sessions, executions",
                "agent-etl.archive.older-than", olderThan().toSeconds() + "s", "agent-etl.archive.batch-size", "7"))) {
            t.runtime.run("generate", new GenerateOptions(4_000, 11, LocalDate.of(2026, 3, 31), 30, true));
            long oldExecutions = Sql.count(t.db, "SELECT count(*) FROM executions WHERE created_at < '" + CUT + "'");
            long oldFeedback = Sql.count(t.db, "SELECT count(*) FROM execution_feedback WHERE execution_id IN "
                    + "(SELECT execution_id FROM executions WHERE created_at < '" + CUT + "')");
            Map<String, Long> old = counts(t.db, true);
            ArchiveReport report = (ArchiveReport) t.runtime.run("archive", null);
            assertEquals(List.of("sessions", "executions"), report.runs().stream().map(ArchiveReport.Run::dataset).toList());
            assertTrue(report.problems().isEmpty(), report.render());
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM sessions WHERE " + OLD.get("sessions")));
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM executions WHERE created_at < '" + CUT + "'"));
            assertTrue(oldExecutions > 0 && oldFeedback > 0);
            ArchiveManifest.TablePart feedback = report.runs().get(1).tables().stream()
                    .filter(p -> p.table.equals("execution_feedback")).findFirst().orElseThrow();
            assertEquals(oldFeedback, feedback.deleted, "uuid keys, in batches of 7");
            assertEquals(old.get("messages"), report.runs().get(0).tables().stream().filter(p -> p.table.equals("messages"))
                    .findFirst().orElseThrow().deleted);
        }
    }

    private static boolean verified(Path dir) throws Exception {
        Path folder = dir.resolve("sessions");
        if (!Files.isDirectory(folder)) return false;
        for (Path m : ArchiveManifest.all(folder)) {
            if ("verified".equals(ArchiveManifest.read(m).state)) return true;
        }
        return false;
    }

    private static boolean waitingOnLock(Connection db) throws Exception {
        return Sql.count(db, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%DELETE%' "
                + "OR wait_event_type = 'Lock' AND query ILIKE '%FOR UPDATE%' AND pid <> pg_backend_pid()") > 0;
    }

    private static long countFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}

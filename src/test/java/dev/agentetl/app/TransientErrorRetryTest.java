package dev.agentetl.app;

import dev.agentetl.runtime.JobReport;

import dev.agentetl.export.ExportFormat;
import dev.agentetl.export.ExportReport;
import dev.agentetl.export.ExportRequest;
import dev.agentetl.generate.GenerateOptions;
import dev.agentetl.stats.StatsRefresher;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A job whose database session is terminated part-way (pg_terminate_backend, SQLSTATE 57P01) is tried again by
 * the repeatable-job route configuration and finishes: one run recorded as succeeded, nothing written twice.
 */
class TransientErrorRetryTest {

    private static final Map<String, String> FAST_RETRY = Map.of("agent-etl.retry.delay-ms", "200");
    private static final String ROLLUPS = "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (SELECT t::text AS x FROM "
            + "(SELECT day, tool_name, model, calls, failures, avg_ms, p50_ms, p95_ms, max_ms, retries FROM tool_call_daily) t "
            + "UNION ALL SELECT m::text FROM (SELECT day, model, sessions, successes, errors FROM model_session_daily) m "
            + "UNION ALL SELECT o::text FROM (SELECT day, stop_reason, turns, cut_off_early FROM turn_outcome_daily) o) all_rows";

    @TempDir
    Path out;

    @Test
    void should_finish_a_refresh_whose_session_is_terminated_while_it_waits() throws Exception {
        try (TestRuntime rt = TestRuntime.start(FAST_RETRY); Connection blocker = TestDatabases.connect(rt.config)) {
            rt.runtime.run("generate", new GenerateOptions(3_000, 7, LocalDate.of(2026, 3, 31), 10, false));
            // the refresh of tool_call_daily waits for this lock (it serialises refreshes of a statistic)
            Sql.exec(blocker, "SELECT pg_advisory_lock(hashtext('refresh:tool_call_daily'))");
            CompletableFuture<JobReport> job = CompletableFuture.supplyAsync(
                    () -> rt.runtime.run("refresh-stats", new StatsRefresher.Options(false)));
            terminateWaitingBackend(rt.db, job, "pg_advisory_xact_lock");
            Sql.exec(blocker, "SELECT pg_advisory_unlock_all()");
            job.get(60, TimeUnit.SECONDS);

            assertEquals(1, Sql.count(rt.db, "SELECT count(*) FROM job_runs WHERE job = 'refresh-stats'"), "one run");
            assertEquals("succeeded", Sql.value(rt.db, "SELECT status FROM job_runs WHERE job = 'refresh-stats'"));
            assertTrue(Sql.count(rt.db, "SELECT count(*) FROM system_events WHERE message LIKE 'job refresh-stats: transient database error, retrying%' "
                    + "AND details->>'sqlstate' = '57P01'") >= 1, "the retry is recorded with the error's SQLSTATE");
            // the terminated attempt's transaction was rolled back: one refresh recorded per statistic
            assertEquals(1, Sql.count(rt.db, "SELECT count(*) FROM stat_refreshes WHERE statistic = 'tool_call_daily'"));
            String afterRetry = (String) Sql.value(rt.db, ROLLUPS);
            rt.runtime.run("refresh-stats", new StatsRefresher.Options(true));
            assertEquals(Sql.value(rt.db, ROLLUPS), afterRetry, "the rollups are those of a full rebuild: nothing twice");
        }
    }

    @Test
    void should_finish_an_export_whose_session_is_terminated_and_publish_each_row_once() throws Exception {
        try (TestRuntime rt = TestRuntime.start(FAST_RETRY); Connection blocker = TestDatabases.connect(rt.config)) {
            rt.runtime.run("generate", new GenerateOptions(3_000, 7, LocalDate.of(2026, 3, 31), 10, false));
            long rows = Sql.count(rt.db, "SELECT count(*) FROM tool_calls");
            blocker.setAutoCommit(false);
            Sql.exec(blocker, "LOCK TABLE tool_calls IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<JobReport> job = CompletableFuture.supplyAsync(() -> rt.runtime.run("export",
                    new ExportRequest("tool_calls", null, ExportFormat.CSV, null, null, Map.of(), false, out, "snappy", "test")));
            terminateWaitingBackend(rt.db, job, null);
            blocker.rollback();
            ExportReport report = (ExportReport) job.get(60, TimeUnit.SECONDS);

            assertEquals(rows, report.rows());
            assertEquals("succeeded", Sql.value(rt.db, "SELECT status FROM job_runs WHERE job = 'export'"));
            assertEquals(1, Sql.count(rt.db, "SELECT count(*) FROM job_runs WHERE job = 'export'"), "one run");
            assertEquals(1, Sql.count(rt.db, "SELECT count(*) FROM exports WHERE dataset = 'tool_calls' AND status = 'failed'"),
                    "the terminated attempt is recorded as failed");
            assertEquals(1, Sql.count(rt.db, "SELECT count(*) FROM exports WHERE dataset = 'tool_calls' AND status = 'succeeded'"));
            // the folder holds the succeeded export's files only, each row once
            List<Path> parts;
            try (Stream<Path> walk = Files.walk(out)) {
                parts = walk.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
            }
            assertFalse(parts.isEmpty());
            for (Path p : parts) {
                String name = p.getFileName().toString(); // part-<export>-<n>.csv
                assertEquals(report.exportId(), Long.parseLong(name.substring(5, name.indexOf('-', 5))), "a part of the failed attempt is left: " + p);
            }
            long distinctIds;
            try (Stream<String> all = parts.stream().flatMap(TransientErrorRetryTest::dataLines)) {
                distinctIds = all.map(l -> l.substring(0, l.indexOf(','))).distinct().count();
            }
            long allLines = parts.stream().mapToLong(p -> dataLines(p).count()).sum();
            assertEquals(rows, allLines, "every row once");
            assertEquals(rows, distinctIds, "no row twice");
        }
    }

    private static Stream<String> dataLines(Path csv) {
        try {
            List<String> lines = Files.readAllLines(csv);
            return lines.stream().skip(1); // the header
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Waits until a backend of the job waits for a lock (whose query contains {@code queryPart}, when given), then
     * terminates it, as an administrator or a failover would.
     */
    private static void terminateWaitingBackend(Connection db, CompletableFuture<?> job, String queryPart) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            if (job.isDone()) {
                job.get();
                fail("the job finished before it waited for the lock");
            }
            try (PreparedStatement ps = db.prepareStatement("""
                    SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                       AND wait_event_type = 'Lock' AND (?::text IS NULL OR query LIKE '%' || ?::text || '%')""")) {
                ps.setString(1, queryPart);
                ps.setString(2, queryPart);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        Sql.exec(db, "SELECT pg_terminate_backend(" + rs.getInt(1) + ")");
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        fail("no backend of the job waited for the lock");
    }
}

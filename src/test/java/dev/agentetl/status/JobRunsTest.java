package dev.agentetl.status;

import dev.agentetl.export.ExportFormat;
import dev.agentetl.export.ExportRequest;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every job run is recorded in job_runs; a failure keeps its error and is logged in system_events. */
class JobRunsTest {

    @TempDir
    Path dir;

    @Test
    void should_record_a_failed_job_with_its_error_and_keep_running_later_jobs() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        try (AgentEtlRuntime runtime = AgentEtlRuntime.startMigrated(config, "test")) {
            assertThrows(RuntimeException.class, () -> runtime.run("generate", "not generator options"));
            StatusReport status = (StatusReport) runtime.run("status", null);
            assertEquals(0, status.rows("sessions"), "the failed run wrote nothing");
        }
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals("failed", Sql.value(c, "SELECT status FROM job_runs WHERE job = 'generate'"));
            String error = (String) Sql.value(c, "SELECT error FROM job_runs WHERE job = 'generate'");
            assertTrue(error != null && !error.isBlank() && !error.contains("\n"), "one-line error: " + error);
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM system_events WHERE event_type = 'error' "
                    + "AND message LIKE 'job generate failed:%'"));
            assertEquals("succeeded", Sql.value(c, "SELECT status FROM job_runs WHERE job = 'status'"));
            assertTrue(Sql.count(c, "SELECT count(*) FROM job_runs WHERE finished_at >= started_at AND duration_ms >= 0") == 2);
        }
    }

    @Test
    void should_record_the_end_of_a_run_that_finishes_while_the_runtime_stops() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        AgentEtlRuntime runtime = AgentEtlRuntime.startMigrated(config, "test");
        try (Connection c = TestDatabases.connect(config)) {
            // a view that takes about two seconds to read: the export is still running when the runtime stops
            Sql.exec(c, "CREATE FUNCTION slow(i int) RETURNS int LANGUAGE sql AS 'SELECT $1 FROM pg_sleep(0.002)'");
            Sql.exec(c, "CREATE VIEW slow_rows AS SELECT slow(g) AS id FROM generate_series(1, 1000) g");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread job = new Thread(() -> {
                try {
                    runtime.run("export", new ExportRequest("slow_rows", null, ExportFormat.CSV, null, null, Map.of(), false,
                            dir, "snappy", "test"));
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            job.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (Sql.count(c, "SELECT count(*) FROM job_runs WHERE job = 'export' AND status = 'running'") == 0) {
                assertTrue(System.nanoTime() < deadline && job.isAlive(), "the export did not start: " + failure.get());
                Thread.sleep(20);
            }

            runtime.close(); // as run's shutdown does: Camel waits for the running job, then the pool closes
            job.join(30_000);

            assertEquals(null, failure.get(), "the job ran to its end");
            assertEquals("succeeded", Sql.value(c, "SELECT status FROM job_runs WHERE job = 'export'"), "its end is recorded");
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM job_runs WHERE job = 'export' AND finished_at IS NOT NULL "
                    + "AND rows_written = 1000"));
            assertEquals("succeeded", Sql.value(c, "SELECT status FROM exports WHERE dataset = 'slow_rows'"));
        } finally {
            runtime.close();
        }
    }
}

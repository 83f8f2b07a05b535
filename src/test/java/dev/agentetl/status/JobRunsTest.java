package dev.agentetl.status;

import dev.agentetl.runtime.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every job run is recorded in job_runs; a failure keeps its error and is logged in system_events. */
class JobRunsTest {

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
}

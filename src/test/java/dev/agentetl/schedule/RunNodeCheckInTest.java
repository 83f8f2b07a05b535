package dev.agentetl.schedule;

import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.app.RunLiveness;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run node marks abandoned, at its check-in, the running rows no live session holds (another node killed or cut
 * off), and its metrics count as running only runs a session holds.
 */
class RunNodeCheckInTest {

    @Test
    void should_mark_dead_runs_abandoned_at_check_in_and_count_only_live_ones_as_running() throws Exception {
        AppConfig config = TestDatabases.migratedConfig().with(Map.of(
                "agent-etl.schedule.checkin-ms", "300",
                "agent-etl.schedule.refresh-stats.cron", "0 0 3 1 1 ?",
                "agent-etl.schedule.insights.enabled", "false")).with(SchedulerResilienceTest.management(SchedulerResilienceTest.freePort()));
        try (Connection db = TestDatabases.connect(config); Connection otherNode = TestDatabases.connect(config)) {
            // another node's run, alive: its session holds the run's lock (as RunLiveness does)
            long live = Sql.count(otherNode, "INSERT INTO job_runs (job, status, node) VALUES ('insights', 'running', '1@elsewhere') RETURNING id");
            Sql.exec(otherNode, "SELECT pg_advisory_lock(" + RunLiveness.JOB_RUN_LOCK + ", " + RunLiveness.key(String.valueOf(live)) + ")");
            try (AgentEtlRuntime rt = AgentEtlRuntime.start(config, "run", true)) {
                int http = config.getInt("agent-etl.management.port");
                // a node killed while its run was going: the row, and no session holding it
                long dead = Sql.count(db, "INSERT INTO job_runs (job, status, node) VALUES ('refresh-stats', 'running', '2@elsewhere') RETURNING id");

                Thread.sleep(700); // a check-in refreshes the job figures
                String metrics = SchedulerResilienceTest.get(http, "/observe/metrics").body();
                assertTrue(metrics.contains("agent_etl_cluster_job_running{job=\"refresh-stats\",scope=\"cluster\"} 0.0"), "never counted as running: " + metrics);
                assertTrue(metrics.contains("agent_etl_cluster_job_runs{job=\"refresh-stats\",scope=\"cluster\",status=\"abandoned\"} 1.0"), metrics);
                assertTrue(metrics.contains("agent_etl_cluster_job_running{job=\"insights\",scope=\"cluster\"} 1.0"), metrics);

                long deadline = System.currentTimeMillis() + 10_000;
                while (!"abandoned".equals(Sql.value(db, "SELECT status FROM job_runs WHERE id = " + dead))) {
                    assertTrue(System.currentTimeMillis() < deadline, "marked within a few check-ins");
                    Thread.sleep(100);
                }
                assertTrue(((String) Sql.value(db, "SELECT error FROM job_runs WHERE id = " + dead))
                        .matches("abandoned: process 2@elsewhere holds no database session for it \\(killed, stopped or cut off\\); "
                                + "found by run on \\d+@.*"));
                Thread.sleep(1000); // several more check-ins
                assertEquals("running", Sql.value(db, "SELECT status FROM job_runs WHERE id = " + live), "the live run is left alone");
            }
        }
    }

}

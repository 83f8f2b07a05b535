package dev.agentetl.schedule;

import dev.agentetl.db.EmbeddedDatabase;
import dev.agentetl.runtime.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The long-running mode stays up: through a job that throws, and through the database going away. */
class SchedulerResilienceTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aFailingJobIsRecordedWithItsErrorAndTheOtherJobsKeepFiring() throws Exception {
        AppConfig config = TestDatabases.freshConfig().with(Map.of(
                "agent-etl.schedule.refresh-stats.cron", "* * * * * ?",
                "agent-etl.schedule.insights.enabled", "false",
                "agent-etl.schedule.export-snapshots.enabled", "true",
                "agent-etl.schedule.export-snapshots.cron", "* * * * * ?",
                "agent-etl.schedule.export-snapshots.datasets", "no_such_table:csv"));
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "run", true);
             Connection db = TestDatabases.connect(config);
             ManagementServer http = ManagementServer.start("127.0.0.1", 0, rt.database(), rt.layout().ownSchema(), rt.schedules())) {
            waitFor(Duration.ofSeconds(20), () -> count(db, "job = 'export-snapshots' AND status = 'failed'") >= 3
                    && count(db, "job = 'refresh-stats' AND status = 'succeeded'") >= 3);
            assertEquals(count(db, "job = 'export-snapshots'"), count(db, "job = 'export-snapshots' AND status = 'failed'"
                    + " AND error LIKE '%no_such_table:csv: unknown dataset ''no_such_table''%'"), "every failure has its error");
            assertEquals(0, count(db, "job = 'refresh-stats' AND status = 'failed'"));
            assertTrue(rt.schedules().running(), "the scheduler is still running");

            HttpResponse<String> health = get(http, "/health");
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
            assertTrue(health.body().contains("\"export-snapshots\":{\"enabled\":true"), health.body());
            String metrics = get(http, "/metrics").body();
            assertTrue(metrics.contains("agent_etl_database_up 1"), metrics);
            assertTrue(metrics.contains("agent_etl_job_last_failed{job=\"export-snapshots\"} 1"), metrics);
            assertTrue(metrics.matches("(?s).*agent_etl_job_runs_total\\{job=\"refresh-stats\",status=\"succeeded\"} [3-9].*")
                    || metrics.matches("(?s).*agent_etl_job_runs_total\\{job=\"refresh-stats\",status=\"succeeded\"} \\d\\d.*"), metrics);
        }
    }

    @Test
    void theDatabaseGoingAwayAndComingBackDoesNotStopTheScheduler() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pg-outage-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedDatabase server = EmbeddedDatabase.start(dir.resolve("data"), port);
        AppConfig config = AppConfig.load().with(Map.of(
                "agent-etl.db.url", server.jdbcUrl(),
                "agent-etl.db.user", "postgres",
                "agent-etl.db.password", "",
                "agent-etl.home", Path.of("").toAbsolutePath().toString(),
                "agent-etl.schedule.refresh-stats.cron", "* * * * * ?",
                "agent-etl.schedule.insights.enabled", "false",
                "agent-etl.schedule.db-retry-ms", "1000"));
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "run", true);
             ManagementServer http = ManagementServer.start("127.0.0.1", 0, rt.database(), rt.layout().ownSchema(), rt.schedules())) {
            String url = config.get("agent-etl.db.url");
            waitFor(Duration.ofSeconds(20), () -> succeededRuns(url) >= 2);

            server.close();
            Thread.sleep(4000);
            assertEquals(503, get(http, "/health").statusCode(), "health says the database is down");
            assertTrue(get(http, "/metrics").body().contains("agent_etl_database_up 0"));

            server = EmbeddedDatabase.start(dir.resolve("data"), port);
            long before = succeededRuns(url);
            waitFor(Duration.ofSeconds(60), () -> succeededRuns(url) >= before + 3);
            assertTrue(rt.schedules().running());
            assertEquals(200, get(http, "/health").statusCode());
        } finally {
            server.close();
        }
    }

    private static long succeededRuns(String url) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            return Sql.count(c, "SELECT count(*) FROM agent_etl.job_runs WHERE job = 'refresh-stats' AND status = 'succeeded'");
        } catch (Exception e) {
            return -1;
        }
    }

    private static long count(Connection db, String where) {
        try {
            return Sql.count(db, "SELECT count(*) FROM job_runs WHERE " + where);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(ManagementServer http, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void waitFor(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached within " + limit.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }
}

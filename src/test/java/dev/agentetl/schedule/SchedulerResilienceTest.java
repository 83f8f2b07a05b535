package dev.agentetl.schedule;

import dev.agentetl.db.EmbeddedDatabase;
import dev.agentetl.app.AgentEtlRuntime;
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
        int http = freePort();
        AppConfig config = TestDatabases.freshConfig().with(Map.of(
                "agent-etl.schedule.refresh-stats.cron", "* * * * * ?",
                "agent-etl.schedule.insights.enabled", "false",
                "agent-etl.schedule.export-snapshots.enabled", "true",
                "agent-etl.schedule.export-snapshots.cron", "* * * * * ?",
                "agent-etl.schedule.export-snapshots.datasets", "no_such_table:csv",
                "agent-etl.schedule.checkin-ms", "500")).with(management(http));
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "run", true);
             Connection db = TestDatabases.connect(config)) {
            waitFor(Duration.ofSeconds(20), () -> count(db, "job = 'export-snapshots' AND status = 'failed'") >= 3
                    && count(db, "job = 'refresh-stats' AND status = 'succeeded'") >= 3);
            assertEquals(count(db, "job = 'export-snapshots' AND status <> 'running'"), count(db, "job = 'export-snapshots' AND status = 'failed'"
                    + " AND error LIKE '%no_such_table:csv: unknown dataset ''no_such_table''%'"), "every failure has its error");
            assertEquals(0, count(db, "job = 'refresh-stats' AND status = 'failed'"));
            assertTrue(rt.schedules().running(), "the scheduler is still running");

            HttpResponse<String> ready = get(http, "/observe/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"status\": \"UP\"") || ready.body().contains("\"status\":\"UP\""), ready.body());
            assertEquals(200, get(http, "/observe/health/live").statusCode());
            Thread.sleep(1000); // a check-in refreshes the job figures
            String metrics = get(http, "/observe/metrics").body();
            assertTrue(metrics.contains("agent_etl_database_up 1.0"), metrics);
            assertTrue(metrics.contains("agent_etl_cluster_job_last_failed{job=\"export-snapshots\",scope=\"cluster\"} 1.0"), metrics);
            assertTrue(metrics.matches("(?s).*agent_etl_job_runs_total\\{job=\"refresh-stats\",status=\"succeeded\"} ([3-9]|\\d\\d+)\\.0\n.*"), metrics);
            // the figures of the JVM, the job pool and Camel's routes are there too
            assertTrue(metrics.contains("jvm_memory_used_bytes"), metrics);
            assertTrue(metrics.contains("hikaricp_connections_active{pool=\"agent-etl-jobs\"}"), metrics);
            assertTrue(metrics.contains("camel_exchanges_total{") && metrics.contains("routeId=\"refresh-stats\""), metrics);
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
        int http = freePort();
        AppConfig config = AppConfig.load().with(management(http)).with(Map.of(
                "agent-etl.db.url", server.jdbcUrl(),
                "agent-etl.db.user", "postgres",
                "agent-etl.db.password", "",
                "agent-etl.home", Path.of("").toAbsolutePath().toString(),
                "agent-etl.schedule.refresh-stats.cron", "* * * * * ?",
                "agent-etl.schedule.insights.enabled", "false",
                "agent-etl.schedule.db-retry-ms", "1000",
                "agent-etl.schedule.checkin-ms", "500"));
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "run", true)) {
            String url = config.get("agent-etl.db.url");
            waitFor(Duration.ofSeconds(20), () -> succeededRuns(url) >= 2);

            server.close();
            String down;
            try {
                // the metrics' check-in notices the outage on its next pass, which waits on the pool's connection
                // timeout first: on a busy machine that can be several seconds, so poll rather than sleep a fixed time
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                do {
                    Thread.sleep(1000);
                    down = whileDown(http);
                } while (!down.isEmpty() && System.nanoTime() < end);
            } finally {
                server = EmbeddedDatabase.start(dir.resolve("data"), port); // also when an assertion failed: the scheduler stops cleanly
            }
            assertEquals("", down);
            long before = succeededRuns(url);
            waitFor(Duration.ofSeconds(60), () -> succeededRuns(url) >= before + 3);
            assertTrue(rt.schedules().running());
            assertEquals(200, get(http, "/observe/health/ready").statusCode(), "ready again, without a restart");
        } finally {
            server.close();
        }
    }

    /** What is wrong with the endpoints' answers while the database is down ("" when nothing). */
    private static String whileDown(int http) throws Exception {
        StringBuilder wrong = new StringBuilder();
        HttpResponse<String> ready = get(http, "/observe/health/ready");
        if (ready.statusCode() != 503 || !ready.body().contains("database unreachable")) {
            wrong.append("not ready while the database is down, with why: ").append(ready.statusCode()).append(' ').append(ready.body());
        }
        HttpResponse<String> live = get(http, "/observe/health/live");
        if (live.statusCode() != 200) wrong.append("but alive, nothing to restart: ").append(live.body());
        String metrics = get(http, "/observe/metrics").body();
        if (!metrics.contains("agent_etl_database_up 0.0")) wrong.append("database_up 0: ").append(metrics);
        return wrong.toString();
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

    static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Map<String, String> management(int port) {
        return Map.of("agent-etl.management.enabled", "true", "agent-etl.management.host", "127.0.0.1",
                "agent-etl.management.port", String.valueOf(port));
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
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

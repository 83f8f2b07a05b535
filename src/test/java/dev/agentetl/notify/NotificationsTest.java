package dev.agentetl.notify;

import com.sun.net.httpserver.HttpServer;
import dev.agentetl.generate.GenerateOptions;
import dev.agentetl.insights.InsightsGenerator;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import dev.agentetl.support.TestRuntime;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** New insights and failed scheduled runs reach agent-etl.notify.uri as JSON: a mock endpoint, a local webhook. */
class NotificationsTest {

    private static final LocalDate END = LocalDate.of(2026, 3, 31);

    @Test
    void should_send_each_new_warning_or_critical_insight_once_as_json() throws Exception {
        try (TestRuntime rt = TestRuntime.start(Map.of("agent-etl.notify.uri", "mock:notify"))) {
            rt.runtime.run("generate", new GenerateOptions(20_000, 3, END, 30, true));
            MockEndpoint mock = rt.runtime.camelContext().getEndpoint("mock:notify", MockEndpoint.class);
            InsightsGenerator.Options asOf = new InsightsGenerator.Options(END.atTime(12, 0).atOffset(ZoneOffset.UTC));
            rt.runtime.run("insights", asOf);

            long notified = Sql.count(rt.db, "SELECT count(*) FROM insights WHERE severity IN ('warning', 'critical')");
            assertTrue(notified > 0, "the planted patterns give warnings");
            mock.expectedMessageCount((int) notified);
            mock.assertIsSatisfied(5_000);
            String first = mock.getExchanges().get(0).getMessage().getBody(String.class);
            assertTrue(first.startsWith("{\"source\":\"agent-etl\",\"type\":\"insight\""), first);
            assertTrue(first.matches("(?s).*\"severity\":\"(warning|critical)\".*\"rule\":\".+\".*\"title\":\".+\".*"), first);

            mock.reset();
            rt.runtime.run("insights", asOf); // the same window again: nothing new
            mock.expectedMessageCount(0);
            mock.assertIsSatisfied(1_000);
        }
    }

    @Test
    void should_post_a_failed_scheduled_run_to_a_webhook_and_keep_running_when_the_webhook_is_down() throws Exception {
        List<String> posted = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        hook.createContext("/hook", ex -> {
            posted.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        AppConfig config = TestDatabases.freshConfig().with(Map.of(
                "agent-etl.notify.uri", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook",
                "agent-etl.schedule.refresh-stats.enabled", "false",
                "agent-etl.schedule.insights.enabled", "false",
                "agent-etl.schedule.export-snapshots.enabled", "true",
                "agent-etl.schedule.export-snapshots.cron", "* * * * * ?",
                "agent-etl.schedule.export-snapshots.datasets", "no_such_table:csv"));
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "run", true); Connection db = TestDatabases.connect(config)) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (posted.size() < 2 && System.nanoTime() < until) Thread.sleep(100);
            assertTrue(posted.size() >= 2, "a message per failed run: " + posted);
            String first = posted.get(0);
            assertTrue(first.startsWith("POST application/json {\"source\":\"agent-etl\",\"type\":\"job_failed\""), first);
            assertTrue(first.contains("\"job\":\"export-snapshots\"") && first.contains("\"trigger\":\"schedule\"")
                    && first.contains("no_such_table:csv: unknown dataset 'no_such_table'"), first);

            hook.stop(0); // the webhook goes away: the runs go on, and are still recorded
            long failedBefore = Sql.count(db, "SELECT count(*) FROM job_runs WHERE job = 'export-snapshots' AND status = 'failed'");
            Thread.sleep(3000);
            assertTrue(Sql.count(db, "SELECT count(*) FROM job_runs WHERE job = 'export-snapshots' AND status = 'failed'") >= failedBefore + 2);
            assertTrue(rt.schedules().running());
        } finally {
            hook.stop(0);
        }
    }
}

package dev.agentetl.schedule;

import dev.agentetl.cli.ScheduledRequests;
import dev.agentetl.notify.Notifications;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.SystemEvents;
import dev.agentetl.app.TransientDatabaseErrors;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trigger template and the notify route themselves, on Camel Main with the YAML of routes/ (no database: Quartz
 * keeps its schedule in memory, the jobs are stand-ins): a trigger made from the scheduled-job template reaches its
 * job with the schedule's trigger header, and a scheduled run that fails is announced to the notify URI.
 */
class TriggerRoutesTest extends CamelMainTestSupport {

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        Path routes = Path.of("routes").toAbsolutePath();
        configuration.withRoutesIncludePattern("file:" + routes + "/scheduled/*.yaml,file:" + routes + "/notify.camel.yaml,file:"
                + routes + "/error-handling.camel.yaml");
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.setProperty("agent-etl.notify.uri", "mock:notify");
        return p;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("scheduledRequests", new ScheduledRequests(AppConfig.load()));
        registry.bind("notifications", new Notifications("mock:notify", "warning,critical"));
        registry.bind("jobRequirements", new Object() {
            @SuppressWarnings("unused")
            public void check(Exchange exchange) {
                // the stand-in jobs need nothing
            }
        });
        registry.bind("transientDatabaseErrors", new TransientDatabaseErrors(new SystemEvents(null, "agent_etl", () -> false)));
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:probe").routeId("probe").to("mock:probe");
                from("direct:broken").routeId("broken").throwException(new IllegalStateException("the broken job failed"));
            }
        };
    }

    @Test
    void should_fire_a_templated_trigger_into_its_job_with_the_schedule_as_trigger() throws Exception {
        MockEndpoint job = getMockEndpoint("mock:probe");
        job.expectedMinimumMessageCount(1);
        job.expectedHeaderReceived("agentEtlTrigger", "schedule");
        Schedules.addTrigger(context, new ScheduledJob("probe", true, "* * * * * ?", ""));
        job.assertIsSatisfied(5_000);
        assertNull(job.getExchanges().get(0).getMessage().getBody(), "no args: no request");
        getMockEndpoint("mock:notify").expectedMessageCount(0);
        getMockEndpoint("mock:notify").assertIsSatisfied(200);
    }

    @Test
    void should_announce_a_failed_scheduled_run_to_the_notify_uri() throws Exception {
        MockEndpoint notify = getMockEndpoint("mock:notify");
        notify.expectedMinimumMessageCount(1);
        Schedules.addTrigger(context, new ScheduledJob("broken", true, "* * * * * ?", ""));
        notify.assertIsSatisfied(5_000);
        String json = notify.getExchanges().get(0).getMessage().getBody(String.class);
        assertTrue(json.startsWith("{\"source\":\"agent-etl\",\"type\":\"job_failed\""), json);
        assertTrue(json.contains("\"job\":\"broken\"") && json.contains("\"error\":\"the broken job failed\""), json);
        assertEquals("application/json", notify.getExchanges().get(0).getMessage().getHeader("Content-Type"));
        assertTrue(context.getRouteController().getRouteStatus("schedule-broken").isStarted(), "the trigger keeps firing");
    }
}

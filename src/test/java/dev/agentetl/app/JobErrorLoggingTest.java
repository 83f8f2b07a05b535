package dev.agentetl.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.SystemEvents;
import dev.agentetl.support.CliProcess;
import dev.agentetl.support.TestDatabases;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job that fails is reported once, by agent-etl, in one line: Camel's error handlers of the route configurations
 * in routes/error-handling.camel.yaml log nothing (no "Failed delivery ... Exhausted after delivery attempt" ERROR),
 * whether the route names no configuration (the default one) or repeatable-job, and the failure reaches the caller.
 */
class JobErrorLoggingTest extends CamelMainTestSupport {

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        logged.start();
        root().addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        root().detachAppender(logged);
    }

    private static Logger root() {
        return (Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern("file:" + Path.of("routes", "error-handling.camel.yaml").toAbsolutePath());
    }

    @Override
    protected void bindToRegistry(Registry registry) {
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
                // as a job of routes/ without routeConfigurationId (report, consolidate, ...), and one with repeatable-job
                from("direct:plain-job").routeId("plain-job")
                        .throwException(new IllegalArgumentException("unknown report 'no-such-report'"));
                from("direct:repeatable-job").routeId("repeatable-job-stand-in").routeConfigurationId("repeatable-job")
                        .throwException(new IllegalStateException("not a database error"));
            }
        };
    }

    private void assertFailsSilently(String uri, String message) {
        Exchange done = template.request(uri, e -> { });
        assertInstanceOf(RuntimeException.class, done.getException(), "the failure reaches the caller");
        assertEquals(message, done.getException().getMessage());
        List<String> lines = logged.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()).toList();
        assertTrue(lines.stream().noneMatch(l -> l.contains("DefaultErrorHandler") || l.contains("Failed delivery")),
                "Camel's error handler logged the failure: " + lines);
    }

    @Test
    void should_log_nothing_for_a_failing_route_under_the_default_configuration() {
        assertFailsSilently("direct:plain-job", "unknown report 'no-such-report'");
    }

    @Test
    void should_log_nothing_for_a_non_transient_failure_under_repeatable_job() {
        assertFailsSilently("direct:repeatable-job", "not a database error");
    }

    @Test
    void should_report_a_failed_command_in_one_line_and_nothing_from_camel(@TempDir Path tmp) throws Exception {
        AppConfig config = TestDatabases.migratedConfig();
        try (CliProcess p = CliProcess.start(config, tmp, "report", "no-such-report")) {
            assertEquals(1, p.waitFor(120), p.output());
            String err = p.err();
            assertFalse(err.contains("DefaultErrorHandler") || err.contains("Failed delivery") || err.contains(" ERROR "), err);
            assertTrue(err.lines().anyMatch(l -> l.matches(".* WARN  job=report run=\\d+ runs - report failed after \\d+ ms: "
                    + "unknown report 'no-such-report'; see 'agent-etl report list'")), err);
            assertTrue(err.contains("agent-etl: unknown report 'no-such-report'"), err);
        }
    }
}

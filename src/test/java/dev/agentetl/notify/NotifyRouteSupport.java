package dev.agentetl.notify;

import com.sun.net.httpserver.HttpServer;
import dev.agentetl.app.JobRequirements;
import dev.agentetl.app.TransientDatabaseErrors;
import dev.agentetl.generate.GenerateOptions;
import dev.agentetl.insights.InsightsBoard;
import dev.agentetl.insights.InsightsGenerator;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Base of the notify route tests: the insights route and the notify route themselves (routes/insights.camel.yaml, routes/notify.camel.yaml on Camel
 * Main, against the embedded PostgreSQL with the generator's planted patterns): each new warning or critical insight
 * goes as JSON to agent-etl.notify.uri, a mock endpoint or a local HTTP endpoint; with the URI empty, nothing is sent.
 * (A failed scheduled run's message: TriggerRoutesTest.)
 */
abstract class NotifyRouteSupport extends CamelMainTestSupport {

    private static final LocalDate END = LocalDate.of(2026, 3, 31);
    private static TestRuntime db;
    private static HttpServer hook;
    static final List<String> posted = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void database() throws Exception {
        db = TestRuntime.start();
        db.runtime.run("generate", new GenerateOptions(20_000, 3, END, 30, true));
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        hook.createContext("/hook", ex -> {
            posted.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
    }

    @AfterAll
    static void close() throws Exception {
        hook.stop(0);
        db.close();
    }

    /** agent-etl.notify.uri of the test. */
    abstract String notifyUri();

    static String hookUri() {
        return "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        Path routes = Path.of("routes").toAbsolutePath();
        configuration.withRoutesIncludePattern("file:" + routes + "/insights.camel.yaml,file:" + routes + "/notify.camel.yaml,file:"
                + routes + "/error-handling.camel.yaml");
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.setProperty("agent-etl.notify.uri", notifyUri());
        return p;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("insightsGenerator", new InsightsGenerator(db.runtime.dataSource(), dev.agentetl.insights.InsightSettings.from(db.config)));
        registry.bind("insightsBoard", new InsightsBoard(db.runtime.dataSource()));
        registry.bind("notifications", new Notifications(notifyUri(), "warning,critical"));
        registry.bind("jobRequirements", new JobRequirements(db.runtime.sources(), () -> null));
        registry.bind("transientDatabaseErrors", new TransientDatabaseErrors(db.runtime.events()));
    }

    /** Runs the rules as of the generator's last day, every finding new (the insights of an earlier test are gone). */
    long runInsights() throws Exception {
        Sql.exec(db.db, "DELETE FROM insights");
        template.requestBody("direct:insights", new InsightsGenerator.Options(END.atTime(12, 0).atOffset(ZoneOffset.UTC)));
        long warnings = Sql.count(db.db, "SELECT count(*) FROM insights WHERE severity IN ('warning', 'critical')");
        assertTrue(warnings > 0, "the planted patterns give warnings");
        return warnings;
    }
}

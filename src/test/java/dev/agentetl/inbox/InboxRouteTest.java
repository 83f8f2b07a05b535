package dev.agentetl.inbox;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.agentetl.importing.ConfigChangeEvents;
import dev.agentetl.prompts.PromptImporter;
import dev.agentetl.rules.RulesImporter;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inbox route itself (inbox-files in routes/import.camel.yaml, watching, on Camel Main, against the embedded
 * PostgreSQL): a good file is imported and moved to .done/, a bad one to .error/ with its .error.txt and one WARN
 * line, and a file that comes back unchanged (same name, size and time) is not taken again.
 */
class InboxRouteTest extends CamelMainTestSupport {

    private static TestRuntime db;
    private Path inbox;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeAll
    static void database() throws Exception {
        db = TestRuntime.start();
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
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
        Path routes = Path.of("routes").toAbsolutePath();
        configuration.withRoutesIncludePattern("file:" + routes + "/import.camel.yaml,file:" + routes + "/error-handling.camel.yaml");
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        try {
            inbox = Files.createTempDirectory("inbox");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Properties p = new Properties();
        p.setProperty("agent-etl.inbox-dir", inbox.toString());
        p.setProperty("agent-etl.inbox.watch", "true");
        p.setProperty("agent-etl.inbox.settle-ms", "300");
        return p;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        ConfigChangeEvents changes = new ConfigChangeEvents(db.runtime.events());
        PromptImporter prompts = new PromptImporter(db.runtime.dataSource(), 1 << 20, changes);
        RulesImporter rules = new RulesImporter(db.runtime.dataSource(), changes);
        registry.bind("inboxImporter", new InboxImporter(prompts, rules, inbox, 300));
        // the other routes of routes/import.camel.yaml
        registry.bind("promptImporter", prompts);
        registry.bind("rulesImporter", rules);
        registry.bind("promptRegistry", new dev.agentetl.prompts.PromptRegistry(db.runtime.dataSource()));
        registry.bind("importBenchmark", new dev.agentetl.bench.ImportBenchmark(db.runtime.dataSource(), db.runtime.database(), db.config));
        registry.bind("jobRequirements", new Object() {
            @SuppressWarnings("unused")
            public void check(org.apache.camel.Exchange exchange) {
                // the inbox route is not a direct: job
            }
        });
    }

    /** Waits until the inbox route has handled {@code files} more files (imported or set aside). */
    private void awaitFiles(NotifyBuilder done, String what) {
        assertTrue(done.matches(30, TimeUnit.SECONDS), what);
    }

    @Test
    void should_move_a_good_file_to_done_and_a_bad_one_to_error_with_its_report_in_one_line() throws Exception {
        logged.start();
        root().addAppender(logged);
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("inbox-files").whenDone(2).create();
        Files.writeString(inbox.resolve("negate_keys.csv"), "label,operator,value\nevent,!=,route-heartbeat\n");
        Files.writeString(inbox.resolve("broken.csv"), "label,operator,value\nevent,~~,x\n");

        awaitFiles(done, "both files taken");

        assertTrue(waitFor(inbox.resolve(".done/negate_keys.csv")), "imported: moved to .done/");
        assertTrue(waitFor(inbox.resolve(".error/broken.csv")), "rejected: moved to .error/");
        String report = Files.readString(inbox.resolve(".error/broken.csv.error.txt"));
        assertTrue(report.contains("broken.csv:2: unknown operator '~~'"), report);
        assertFalse(Files.exists(inbox.resolve("negate_keys.csv")) || Files.exists(inbox.resolve("broken.csv")));
        assertEquals(1, Sql.count(db.db, "SELECT count(*) FROM negate_keys WHERE value = 'route-heartbeat'"));
        List<String> lines = logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()).toList();
        assertEquals(1, lines.size(), "one line for the rejected file: " + lines);
        assertTrue(lines.get(0).startsWith("WARN dev.agentetl.inbox.InboxImporter broken.csv rejected, moved to .error/ "
                + "(1 problem(s) in .error/broken.csv.error.txt), first: "), lines.get(0));
    }

    @Test
    void should_not_take_a_file_again_that_comes_back_unchanged() throws Exception {
        NotifyBuilder first = new NotifyBuilder(context).fromRoute("inbox-files").whenDone(1).create();
        Path file = inbox.resolve("context_rules.csv");
        Files.writeString(file, "context,important,ignore,description\nroute-ctx,a,b,rule\n");
        FileTime time = Files.getLastModifiedTime(file);
        awaitFiles(first, "the file taken");
        assertTrue(waitFor(inbox.resolve(".done/context_rules.csv")));

        // the same file (name, size and time) dropped again: skipped at every poll (one each 2 s), left where it is
        Files.move(inbox.resolve(".done/context_rules.csv"), file);
        Files.setLastModifiedTime(file, time);
        Thread.sleep(5_000);
        assertTrue(Files.exists(file), "an unchanged file is not taken twice");
        assertFalse(Files.exists(inbox.resolve(".done/context_rules.csv")));

        // once it changed, it is
        Files.setLastModifiedTime(file, FileTime.fromMillis(time.toMillis() - 60_000)); // an earlier time: a time to come would not count as settled
        assertTrue(waitFor(inbox.resolve(".done/context_rules.csv")), "the changed file taken");
        assertFalse(Files.exists(file));
    }

    private static boolean waitFor(Path p) throws InterruptedException {
        long until = System.currentTimeMillis() + 10_000;
        while (!Files.exists(p) && System.currentTimeMillis() < until) Thread.sleep(50);
        return Files.exists(p);
    }
}

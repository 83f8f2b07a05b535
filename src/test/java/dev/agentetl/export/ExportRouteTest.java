package dev.agentetl.export;

import dev.agentetl.app.TransientDatabaseErrors;
import dev.agentetl.runtime.SystemEvents;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The export route itself (routes/export.camel.yaml on Camel Main, the real exporter on a real database): its steps
 * run in their order; a step that fails after the parts are written leaves no file and a failed exports row; a
 * transient database error in the middle tries the whole unit again from the lock, not the failing step alone.
 */
class ExportRouteTest extends CamelMainTestSupport {

    private static final List<String> STEPS = List.of("lock-dataset", "open-snapshot", "write-parts", "write-manifest", "record");

    static TestRuntime rt;

    @TempDir
    Path out;

    /** The exporter's steps as they ran, "release" included. */
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void database() throws Exception {
        rt = TestRuntime.start();
        Sql.exec(rt.db, "CREATE TABLE route_rows (id int PRIMARY KEY, label text); "
                + "INSERT INTO route_rows SELECT g, 'row ' || g FROM generate_series(1, 2500) g");
    }

    @AfterAll
    static void close() throws Exception {
        rt.close();
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        Path routes = Path.of("routes").toAbsolutePath();
        configuration.withRoutesIncludePattern("file:" + routes + "/export.camel.yaml,file:" + routes + "/job-steps.camel.yaml,file:"
                + routes + "/error-handling.camel.yaml");
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = rt.config.asProperties();
        p.setProperty("agent-etl.retry.delay-ms", "10");
        return p;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("exporter", new Exporter(rt.runtime.dataSource(), ExportSettings.single(out, 1000)));
        registry.bind("scheduledExports", new ScheduledExports(""));
        registry.bind("exportBenchmark", new Object() {
            @SuppressWarnings("unused")
            public void run() {
                // not run here
            }
        });
        registry.bind("jobRequirements", new Object() {
            @SuppressWarnings("unused")
            public void check(Exchange exchange) {
                // migrated by TestRuntime
            }
        });
        registry.bind("transientDatabaseErrors", new TransientDatabaseErrors(
                new SystemEvents(rt.runtime.dataSource(), rt.runtime.layout().ownSchema(), () -> true)));
    }

    /** Each exporter step, and release, noted as it ends; {@code before} runs before the step named. */
    private void traceSteps(String failing, Runnable before) throws Exception {
        AdviceWith.adviceWith(context, "export-steps", a -> {
            for (String step : STEPS) {
                if (step.equals(failing)) a.weaveById("export-" + step).before().process(e -> before.run());
                a.weaveById("export-" + step).after().process(e -> ran.add(step));
            }
            a.weaveById("export-release").after().process(e -> ran.add("release"));
        });
        context.start();
    }

    private Object export() {
        return template.requestBody("direct:export", new ExportRequest("route_rows", null, ExportFormat.CSV, null, null, Map.of(),
                false, out, "snappy", "test"));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(out)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static long advisoryLocks() throws SQLException {
        return Sql.count(rt.db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'");
    }

    @Test
    void should_run_the_steps_in_their_order_and_answer_the_report() throws Exception {
        traceSteps(null, () -> { });
        ExportReport report = assertInstanceOf(ExportReport.class, export());

        assertEquals(List.of("lock-dataset", "open-snapshot", "write-parts", "write-manifest", "record", "release"), ran);
        assertEquals(2500, report.rows());
        assertEquals(3, report.files().size(), "1000 rows per file");
        assertTrue(Files.exists(Path.of(report.manifest())));
        assertEquals("succeeded", Sql.value(rt.db, "SELECT status FROM exports WHERE id = " + report.exportId()));
        assertEquals(0, advisoryLocks(), "the dataset's lock is released");
    }

    @Test
    void should_publish_nothing_when_a_step_after_the_parts_fails() throws Exception {
        traceSteps("write-manifest", () -> {
            throw new IllegalStateException("disk full");
        });
        CamelExecutionException e = assertThrows(CamelExecutionException.class, this::export);
        assertEquals("disk full", e.getCause().getMessage());

        assertEquals(List.of("lock-dataset", "open-snapshot", "write-parts", "release"), ran, "the unit stops at the failure, then lets go");
        assertEquals(List.of(), files(), "no part file, hidden or published, and no manifest");
        assertEquals("failed", Sql.value(rt.db, "SELECT status FROM exports ORDER BY id DESC LIMIT 1"));
        assertTrue(((String) Sql.value(rt.db, "SELECT error FROM exports ORDER BY id DESC LIMIT 1")).contains("disk full"));
        assertEquals(0, advisoryLocks(), "the dataset's lock is released");
        assertEquals(0, rt.runtime.dataSource().getHikariPoolMXBean().getActiveConnections(), "the connections are back in the pool");
    }

    @Test
    void should_try_the_whole_unit_again_after_a_transient_error_in_the_middle() throws Exception {
        AtomicBoolean failedOnce = new AtomicBoolean();
        traceSteps("write-parts", () -> {
            // the session terminated by the server while the parts are written (SQLSTATE 57P01)
            if (failedOnce.compareAndSet(false, true)) throw new RuntimeException(new SQLException("terminating connection", "57P01"));
        });
        ExportReport report = assertInstanceOf(ExportReport.class, export());

        assertEquals(List.of("lock-dataset", "open-snapshot", "release", "lock-dataset", "open-snapshot", "write-parts", "write-manifest",
                "record", "release"), ran, "from the lock again, with a new snapshot, not the write step alone");
        assertEquals(2500, report.rows());
        assertEquals("failed", Sql.value(rt.db, "SELECT status FROM exports WHERE id = " + (report.exportId() - 1)),
                "the first attempt's row");
        assertEquals("succeeded", Sql.value(rt.db, "SELECT status FROM exports WHERE id = " + report.exportId()));
        List<Path> files = files();
        assertEquals(4, files.size(), "the second attempt's three parts and manifest only: " + files);
        files.forEach(f -> assertTrue(f.getFileName().toString().matches("_?[a-z]+-0*" + report.exportId() + "[-.].*"), f.toString()));
    }
}

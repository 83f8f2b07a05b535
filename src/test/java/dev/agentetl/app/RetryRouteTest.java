package dev.agentetl.app;

import dev.agentetl.generate.GenerateOptions;
import dev.agentetl.runtime.JobReport;
import dev.agentetl.stats.StatsRefresher;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repeatable-job route configuration on the refresh-stats route itself (routes/stats.camel.yaml with
 * routes/error-handling.camel.yaml, on Camel Main, against the embedded PostgreSQL): a rollup's jdbc step that fails
 * with a transient SQLSTATE (advised in with AdviceWith) is tried again agent-etl.retry.max-redeliveries times with
 * the configured exponential back-off, and the refresh then finishes with the right rows; a non-transient error
 * fails the job at once; a failure in the middle of a rollup's transaction leaves its old rows.
 */
class RetryRouteTest extends CamelMainTestSupport {

    private static final int DELAY_MS = 150;
    private static TestRuntime db;

    /** The advised failure, by attempt: null means let the jdbc step run. */
    private final List<SQLException> failures = new CopyOnWriteArrayList<>();
    private final List<Long> attemptsAt = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();

    @BeforeAll
    static void database() throws Exception {
        db = TestRuntime.start();
        db.runtime.run("generate", new GenerateOptions(3_000, 5, LocalDate.of(2026, 3, 31), 10, false));
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        Path routes = Path.of("routes").toAbsolutePath();
        configuration.withRoutesIncludePattern("file:" + routes + "/stats.camel.yaml,file:" + routes + "/error-handling.camel.yaml");
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.setProperty("agent-etl.retry.max-redeliveries", "3");
        p.setProperty("agent-etl.retry.delay-ms", String.valueOf(DELAY_MS));
        p.setProperty("agent-etl.retry.backoff-multiplier", "2");
        p.setProperty("agent-etl.retry.max-delay-ms", "10000");
        return p;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("dataSource", db.runtime.dataSource());
        registry.bind("statsRefresher", new StatsRefresher(db.runtime.dataSource(), "64MB"));
        registry.bind("statsBenchmark", new dev.agentetl.bench.StatsBenchmark(db.runtime.dataSource(), db.runtime.database(), db.config));
        registry.bind("jobRequirements", new JobRequirements(db.runtime.sources(), () -> null));
        registry.bind("transientDatabaseErrors", new TransientDatabaseErrors(db.runtime.events()));
    }

    /** Before the first rollup's jdbc step, the advised failures in turn, then the step itself. */
    private void adviseFirstRollup() throws Exception {
        AdviceWith.adviceWith(context, "refresh-stats", a -> a.weaveByToUri("jdbc:*").before().process(exchange -> {
            if (!"tool_call_daily".equals(exchange.getMessage().getHeader("statistic"))) return;
            int attempt = attempts.getAndIncrement();
            attemptsAt.add(System.nanoTime());
            if (attempt < failures.size()) throw failures.get(attempt);
        }));
        context.start();
    }

    private static SQLException sqlState(String state) {
        return new PSQLException("advised failure " + state, PSQLState.UNKNOWN_STATE) {
            @Override
            public String getSQLState() {
                return state;
            }
        };
    }

    /** The SQLSTATE of the database error the job failed with (the split step wraps it). */
    private static String sqlStateOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) return sql.getSQLState();
        }
        return null;
    }

    private JobReport refresh(boolean full) {
        return template.requestBody("direct:refresh-stats", new StatsRefresher.Options(full), JobReport.class);
    }

    @Test
    void should_try_a_rollup_again_after_transient_errors_with_a_growing_wait_and_finish() throws Exception {
        failures.addAll(List.of(sqlState("08006"), sqlState("40001"), sqlState("57P01")));
        adviseFirstRollup();
        long before = Sql.count(db.db, "SELECT count(*) FROM system_events WHERE message LIKE 'job refresh-stats: transient database error%'");

        JobReport report = refresh(true);

        assertEquals(4, attempts.get(), "three failed attempts, then the one that succeeded");
        // waits of 150, 300 and 600 ms (delay-ms, times backoff-multiplier each time)
        for (int i = 1; i < 4; i++) {
            long waitedMs = (attemptsAt.get(i) - attemptsAt.get(i - 1)) / 1_000_000;
            long expected = (long) (DELAY_MS * Math.pow(2, i - 1));
            assertTrue(waitedMs >= expected && waitedMs < expected + 1_000, "wait before attempt " + (i + 1) + ": " + waitedMs + " ms");
        }
        assertTrue(report.render().contains("tool_call_daily"), report.render());
        assertEquals(3, Sql.count(db.db, "SELECT count(*) FROM system_events WHERE message LIKE 'job refresh-stats: transient database error%'") - before,
                "each retry recorded");
        assertEquals(Sql.count(db.db, "SELECT count(*) FROM tool_calls"), Sql.count(db.db, "SELECT sum(calls) FROM tool_call_daily"),
                "the rollup was written once: every tool call counted once");
    }

    @Test
    void should_fail_once_the_retries_are_used_up() throws Exception {
        failures.addAll(List.of(sqlState("40P01"), sqlState("40P01"), sqlState("40P01"), sqlState("40P01"), sqlState("40P01")));
        adviseFirstRollup();

        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> refresh(false));

        assertEquals(4, attempts.get(), "the first attempt and max-redeliveries (3) more");
        assertEquals("40P01", sqlStateOf(e));
    }

    @Test
    void should_fail_at_once_on_an_error_that_is_not_transient() throws Exception {
        failures.add(sqlState("23505"));
        adviseFirstRollup();

        String retries = "SELECT count(*) FROM system_events WHERE message LIKE 'job refresh-stats: transient database error%'";
        long before = Sql.count(db.db, retries);
        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> refresh(false));

        assertEquals(1, attempts.get(), "not tried again");
        assertEquals(before, Sql.count(db.db, retries), "no retry recorded");
        assertEquals("23505", sqlStateOf(e));
    }

    @Test
    void should_leave_the_old_rows_when_a_rollup_fails_in_the_middle_of_its_transaction() throws Exception {
        adviseFirstRollup();
        refresh(true);
        String rows = "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM tool_call_daily t";
        Object old = Sql.value(db.db, rows);
        long refreshes = Sql.count(db.db, "SELECT count(*) FROM stat_refreshes WHERE statistic = 'tool_call_daily'");
        Object watermark = Sql.value(db.db, "SELECT last_id FROM stat_watermarks WHERE statistic = 'tool_call_daily'");
        // new rows on the last day, so the refresh deletes and inserts that day, then a statement after it fails
        Sql.exec(db.db, "INSERT INTO tool_calls (session_id, call_index, tool_name, success, execution_time_ms, created_at) "
                + "SELECT session_id, call_index, tool_name, success, execution_time_ms, created_at FROM tool_calls ORDER BY id DESC LIMIT 50");
        AdviceWith.adviceWith(context, "refresh-stats", a -> a.weaveByToUri("jdbc:*").before().process(exchange -> {
            if ("tool_call_daily".equals(exchange.getMessage().getHeader("statistic"))) {
                exchange.getMessage().setBody(exchange.getMessage().getBody(String.class) + ";\nSELECT 1 / 0");
            }
        }));

        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> refresh(false));

        assertEquals("22012", sqlStateOf(e), "division by zero, after the rollup");
        assertEquals(old, Sql.value(db.db, rows), "the days it had replaced are back as they were");
        assertEquals(refreshes, Sql.count(db.db, "SELECT count(*) FROM stat_refreshes WHERE statistic = 'tool_call_daily'"));
        assertEquals(watermark, Sql.value(db.db, "SELECT last_id FROM stat_watermarks WHERE statistic = 'tool_call_daily'"));
    }
}

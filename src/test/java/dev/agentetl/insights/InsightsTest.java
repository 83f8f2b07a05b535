package dev.agentetl.insights;

import dev.agentetl.generate.GenerateOptions;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rule fires on its planted pattern and stays quiet on clean data; fingerprints prevent duplicates. */
class InsightsTest {

    private static final LocalDate END = LocalDate.of(2026, 3, 31);
    private static final OffsetDateTime AS_OF = END.atStartOfDay().atOffset(ZoneOffset.UTC);

    @Test
    void should_find_every_planted_pattern_once_and_update_it_on_rerun() throws Exception {
        try (TestRuntime t = TestRuntime.start()) {
            t.runtime.run("generate", new GenerateOptions(60_000, 11, END, 30, true));
            t.runtime.run("insights", new InsightsGenerator.Options(AS_OF));

            assertEquals(1, Sql.count(t.db, "SELECT count(*) FROM insights WHERE rule = 'tool_failure_rate' AND scope->>'tool' = 'web_search'"));
            assertEquals(1, Sql.count(t.db, "SELECT count(*) FROM insights WHERE rule = 'latency_degradation' AND scope->>'model' = 'gpt-4o'"));
            assertEquals(1, Sql.count(t.db, "SELECT count(*) FROM insights WHERE rule = 'turns_cut_off' AND scope->>'chat_mode' = 'delegate'"));
            assertEquals(1, Sql.count(t.db, "SELECT count(*) FROM insights WHERE rule = 'successful_pairing' "
                    + "AND scope->>'model' = 'claude-sonnet-4' AND scope->>'tool' = 'code_executor'"));
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM insights WHERE rule = 'successful_pairing' "
                    + "AND NOT (scope->>'model' = 'claude-sonnet-4' AND scope->>'tool' = 'code_executor')"), "no other pairing");
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM insights WHERE rule IN ('tool_failure_rate', 'latency_degradation') "
                    + "AND coalesce(scope->>'tool', scope->>'model') NOT IN ('web_search', 'gpt-4o')"), "nothing else fires");
            long total = Sql.count(t.db, "SELECT count(*) FROM insights");
            assertTrue(Sql.number(t.db, "SELECT interval_low FROM insights WHERE rule = 'tool_failure_rate'").doubleValue() > 0.25);
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM insights WHERE sample_size IS NULL OR current_from IS NULL "
                    + "OR baseline_from IS NULL OR data IS NULL OR fingerprint IS NULL"), "every insight carries its evidence");

            t.runtime.run("insights", new InsightsGenerator.Options(AS_OF));
            assertEquals(total, Sql.count(t.db, "SELECT count(*) FROM insights"), "a re-run in the same window updates");

            long id = Sql.count(t.db, "SELECT id FROM insights WHERE rule = 'turns_cut_off'");
            CliRun ack = CliRun.of(t.config, "insights", "ack", String.valueOf(id));
            assertEquals(0, ack.exit(), ack.err());
            assertEquals("acknowledged", Sql.value(t.db, "SELECT status FROM insights WHERE id = " + id));
            CliRun list = CliRun.of(t.config, "insights", "list", "--open");
            assertEquals(total - 1, list.out().strip().lines().count() - 1, list.out());

            // months later nothing fires in the window any more: the insights are resolved
            t.runtime.run("insights", new InsightsGenerator.Options(AS_OF.plusDays(90)));
            assertEquals(total, Sql.count(t.db, "SELECT count(*) FROM insights WHERE status = 'resolved' AND resolved_at IS NOT NULL"));
        }
    }

    @Test
    void should_stay_quiet_on_clean_data() throws Exception {
        try (TestRuntime t = TestRuntime.start()) {
            t.runtime.run("generate", new GenerateOptions(60_000, 11, END, 30, false));
            t.runtime.run("insights", new InsightsGenerator.Options(AS_OF));
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM insights"),
                    "no insight on clean data: " + Sql.value(t.db, "SELECT string_agg(title, '; ') FROM insights"));
        }
    }

    @Test
    void should_not_call_two_failures_out_of_three_calls_an_insight() {
        double[] small = Wilson.interval(2, 3, 1.96);
        assertTrue(small[0] < 0.25, "the interval of 2/3 is wide: " + small[0]);
        double[] large = Wilson.interval(300, 400, 1.96);
        assertTrue(large[0] > 0.70, "300/400 is solid: " + large[0]);
    }

    @Test
    void should_flag_seed_002_low_performers_with_enough_executions() throws Exception {
        try (TestRuntime t = TestRuntime.start()) {
            Sql.exec(t.db, "INSERT INTO executions (execution_id, goal_text, success, created_at) "
                    + "VALUES ('00000000-0000-0000-0000-00000000000a', 'g', false, '2026-03-29Z')");
            Sql.exec(t.db, "INSERT INTO tool_executions (execution_id, tool_name, success, created_at) "
                    + "SELECT '00000000-0000-0000-0000-00000000000a', 'flaky', g % 3 = 0, '2026-03-29Z' FROM generate_series(1, 12) g");
            Sql.exec(t.db, "INSERT INTO tool_executions (execution_id, tool_name, success, created_at) "
                    + "SELECT '00000000-0000-0000-0000-00000000000a', 'rare', false, '2026-03-29Z' FROM generate_series(1, 5) g");
            t.runtime.run("insights", new InsightsGenerator.Options(AS_OF));
            assertEquals(1, Sql.count(t.db, "SELECT count(*) FROM insights WHERE rule = 'low_performer'"));
            assertEquals("flaky", Sql.value(t.db, "SELECT scope->>'tool' FROM insights WHERE rule = 'low_performer'"),
                    "5 executions are too few to judge");
        }
    }
}

package dev.agentetl.stats;

import dev.agentetl.generate.GenerateOptions;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Daily rollups match hand-computed figures, and an incremental refresh gives what a full one gives. */
class StatsRefreshTest {

    private static final String ROLLUPS = "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (SELECT t::text AS x FROM "
            + "(SELECT day, tool_name, model, calls, failures, avg_ms, p50_ms, p95_ms, max_ms, retries FROM tool_call_daily) t "
            + "UNION ALL SELECT m::text FROM (SELECT day, model, sessions, successes, errors, timeouts, max_iterations, avg_duration_ms "
            + "FROM model_session_daily) m UNION ALL SELECT o::text FROM (SELECT day, stop_reason, turns, cut_off_early, avg_rounds, "
            + "avg_tokens, avg_duration_ms FROM turn_outcome_daily) o) all_rows";

    @Test
    void should_compute_the_figures_of_a_day_by_hand() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "test"); Connection c = TestDatabases.connect(config)) {
            Sql.exec(c, "INSERT INTO sessions (id, session_id, session_type, model, final_status, total_duration_ms, created_at) VALUES "
                    + "(1, 's1', 'test', 'm1', 'success', 100, '2026-05-01 10:00Z'), (2, 's2', 'test', 'm1', 'error', 300, '2026-05-01 23:59Z')");
            Sql.exec(c, "INSERT INTO tool_calls (session_id, call_index, tool_name, success, execution_time_ms, retry_count, created_at) VALUES "
                    + "(1, 0, 't', true, 10, 0, '2026-05-01 10:00Z'), (1, 1, 't', false, 20, 2, '2026-05-01 10:01Z'), "
                    + "(2, 0, 't', true, 30, 1, '2026-05-01 23:59Z'), (2, 1, 't', true, 40, 0, '2026-05-02 00:00Z')");
            rt.run("refresh-stats", new StatsRefresher.Options(false));

            assertEquals(3, Sql.count(c, "SELECT calls FROM tool_call_daily WHERE day = '2026-05-01'"));
            assertEquals(1, Sql.count(c, "SELECT failures FROM tool_call_daily WHERE day = '2026-05-01'"));
            assertEquals(2.0 / 3, Sql.number(c, "SELECT success_rate FROM tool_call_daily WHERE day = '2026-05-01'").doubleValue(), 1e-9);
            assertEquals(20.0, Sql.number(c, "SELECT avg_ms FROM tool_call_daily WHERE day = '2026-05-01'").doubleValue(), 1e-9);
            assertEquals(20.0, Sql.number(c, "SELECT p50_ms FROM tool_call_daily WHERE day = '2026-05-01'").doubleValue(), 1e-9);
            assertEquals(29.0, Sql.number(c, "SELECT p95_ms FROM tool_call_daily WHERE day = '2026-05-01'").doubleValue(), 1e-9);
            assertEquals(30, Sql.count(c, "SELECT max_ms FROM tool_call_daily WHERE day = '2026-05-01'"));
            assertEquals(3, Sql.count(c, "SELECT retries FROM tool_call_daily WHERE day = '2026-05-01'"));
            assertEquals(1, Sql.count(c, "SELECT calls FROM tool_call_daily WHERE day = '2026-05-02'"), "days are UTC days");
            assertEquals(1, Sql.count(c, "SELECT errors FROM model_session_daily WHERE day = '2026-05-01' AND model = 'm1'"));
            assertEquals(200.0, Sql.number(c, "SELECT avg_duration_ms FROM model_session_daily WHERE day = '2026-05-01'").doubleValue(), 1e-9);
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM stat_refreshes WHERE statistic = 'tool_call_daily' AND full_rebuild"));
        }
    }

    @Test
    void should_give_the_same_rollups_incrementally_as_by_a_full_rebuild() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        LocalDate end = LocalDate.of(2026, 3, 31);
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "test"); Connection c = TestDatabases.connect(config)) {
            rt.run("generate", new GenerateOptions(20_000, 3, end, 30, true));
            rt.run("refresh-stats", new StatsRefresher.Options(false));
            // new rows on two days only
            Sql.exec(c, "INSERT INTO sessions (id, session_id, session_type, model, final_status, created_at) VALUES "
                    + "(900001, 'late-1', 'production', 'gpt-4o', 'success', '2026-03-30 12:00Z'), "
                    + "(900002, 'late-2', 'production', 'gpt-4o', 'error', '2026-03-05 08:00Z')");
            Sql.exec(c, "INSERT INTO tool_calls (session_id, call_index, tool_name, success, execution_time_ms, created_at) VALUES "
                    + "(900001, 0, 'web_search', false, 99999, '2026-03-30 12:00Z'), (900002, 0, 'calculator', true, 1, '2026-03-05 08:00Z')");
            var incremental = rt.run("refresh-stats", new StatsRefresher.Options(false));
            assertTrue(incremental.render().contains("incremental"), incremental.render());
            assertEquals(2, Sql.count(c, "SELECT days FROM stat_refreshes WHERE statistic = 'tool_call_daily' ORDER BY id DESC LIMIT 1"),
                    "only the two days that received rows were recomputed");
            String afterIncremental = (String) Sql.value(c, ROLLUPS);

            rt.run("refresh-stats", new StatsRefresher.Options(true));
            assertEquals(afterIncremental, Sql.value(c, ROLLUPS), "incremental equals full");
            assertEquals(99999, Sql.count(c, "SELECT max(max_ms) FROM tool_call_daily WHERE day = '2026-03-30' AND tool_name = 'web_search'"));
        }
    }
}

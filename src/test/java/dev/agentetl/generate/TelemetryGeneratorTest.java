package dev.agentetl.generate;

import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator writes every schema, plants the patterns later jobs must find, and is deterministic. */
class TelemetryGeneratorTest {

    private static final LocalDate END = LocalDate.of(2026, 3, 31);
    private static AppConfig planted;
    private static AppConfig clean;
    private static GenerateReport plantedReport;

    @BeforeAll
    static void generate() throws Exception {
        planted = TestDatabases.freshConfig();
        plantedReport = run(planted, new GenerateOptions(60_000, 7, END, 30, true));
        clean = TestDatabases.freshConfig();
        run(clean, new GenerateOptions(60_000, 7, END, 30, false));
    }

    private static GenerateReport run(AppConfig config, GenerateOptions options) {
        try (AgentEtlRuntime runtime = AgentEtlRuntime.startMigrated(config, "test")) {
            return (GenerateReport) runtime.run("generate", options);
        }
    }

    @Test
    void should_write_about_the_requested_rows_into_every_schema() throws Exception {
        long total = plantedReport.rowsWritten();
        assertTrue(total >= 60_000 && total < 60_100, "about 60,000 rows: " + total);
        try (Connection c = TestDatabases.connect(planted)) {
            for (String table : new String[]{"sessions", "messages", "llm_responses", "tool_calls", "tool_results", "test_runs",
                    "judge_evaluations", "executions", "tool_executions", "execution_feedback", "agent_telemetry"}) {
                assertEquals(plantedReport.rowsPerTable().get(table).longValue(), Sql.count(c, "SELECT count(*) FROM " + table), table);
                assertTrue(Sql.count(c, "SELECT count(*) FROM " + table) > 0, table + " has rows");
            }
            double avgPrompt = Sql.number(c, "SELECT avg(length(system_prompt)) FROM agent_telemetry").doubleValue();
            assertTrue(avgPrompt > 1300 && avgPrompt < 1800, "system prompts are about 1.5 KB: " + avgPrompt);
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM agent_telemetry WHERE record_type = 'llm_call' "
                    + "AND jsonb_array_length(chat_history) NOT BETWEEN 1 AND 12"), "chat histories are bounded");
            assertTrue(Sql.count(c, "SELECT count(*) FROM tool_calls WHERE parameters ? 'query'") > 0, "tool calls carry JSON arguments");
        }
    }

    private static final String FAILING_TOOL_RATE = "SELECT avg((NOT success)::int) FROM tool_calls WHERE tool_name = 'web_search' AND created_at %s '2026-03-25'";
    private static final String SLOW_MODEL_LATENCY = "SELECT avg(response_time_ms) FROM llm_responses WHERE model = 'gpt-4o' AND created_at %s '2026-03-25'";
    private static final String CUT_OFF = "SELECT count(*) FROM agent_telemetry WHERE record_type = 'turn_summary' "
            + "AND stop_reason <> 'completed' AND rounds < 3 AND tool_call_count > 0";
    private static final String PAIRING = "SELECT avg(success::int) FROM tool_calls t JOIN sessions s ON s.id = t.session_id "
            + "WHERE t.tool_name = 'code_executor' AND s.model %s 'claude-sonnet-4'";

    @Test
    void should_plant_a_tool_whose_failure_rate_jumps_in_the_last_week() throws Exception {
        try (Connection c = TestDatabases.connect(planted)) {
            double before = Sql.number(c, FAILING_TOOL_RATE.formatted("<")).doubleValue();
            double recent = Sql.number(c, FAILING_TOOL_RATE.formatted(">=")).doubleValue();
            assertTrue(before < 0.12 && recent > 0.30, "web_search failures " + before + " -> " + recent);
        }
        try (Connection c = TestDatabases.connect(clean)) {
            double recent = Sql.number(c, FAILING_TOOL_RATE.formatted(">=")).doubleValue();
            assertTrue(recent < 0.12, "no jump without patterns: " + recent);
        }
    }

    @Test
    void should_plant_a_model_whose_latency_degrades() throws Exception {
        try (Connection c = TestDatabases.connect(planted)) {
            double before = Sql.number(c, SLOW_MODEL_LATENCY.formatted("<")).doubleValue();
            double recent = Sql.number(c, SLOW_MODEL_LATENCY.formatted(">=")).doubleValue();
            assertTrue(recent > 2 * before, "gpt-4o latency " + before + " -> " + recent);
        }
        try (Connection c = TestDatabases.connect(clean)) {
            double before = Sql.number(c, SLOW_MODEL_LATENCY.formatted("<")).doubleValue();
            double recent = Sql.number(c, SLOW_MODEL_LATENCY.formatted(">=")).doubleValue();
            assertTrue(recent < 1.3 * before, "no degradation without patterns: " + before + " -> " + recent);
        }
    }

    @Test
    void should_plant_turns_cut_off_early_only_with_patterns() throws Exception {
        try (Connection c = TestDatabases.connect(planted)) {
            assertTrue(Sql.count(c, CUT_OFF) > 50, "cut-off turns: " + Sql.count(c, CUT_OFF));
            assertEquals(0, Sql.count(c, CUT_OFF + " AND chat_mode <> 'delegate'"), "only in delegate mode");
        }
        try (Connection c = TestDatabases.connect(clean)) {
            assertEquals(0, Sql.count(c, CUT_OFF));
        }
    }

    @Test
    void should_plant_a_successful_model_tool_pairing() throws Exception {
        try (Connection c = TestDatabases.connect(planted)) {
            double paired = Sql.number(c, PAIRING.formatted("=")).doubleValue();
            double others = Sql.number(c, PAIRING.formatted("<>")).doubleValue();
            assertTrue(paired > 0.97 && others < 0.92, "code_executor success " + paired + " vs " + others);
        }
    }

    @Test
    void should_generate_the_same_data_for_the_same_seed() throws Exception {
        AppConfig again = TestDatabases.freshConfig();
        run(again, new GenerateOptions(60_000, 7, END, 30, false));
        String fingerprint = "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM %s t";
        for (String table : new String[]{"agent_telemetry", "tool_calls", "sessions", "executions"}) {
            try (Connection a = TestDatabases.connect(clean); Connection b = TestDatabases.connect(again)) {
                assertEquals(Sql.value(a, fingerprint.formatted(table)), Sql.value(b, fingerprint.formatted(table)), table);
            }
        }
    }

    @Test
    void should_add_more_data_when_run_again_on_a_populated_database() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        GenerateReport first = run(config, new GenerateOptions(5_000, 7, END, 30, true));
        GenerateReport second = run(config, new GenerateOptions(5_000, 7, END, 30, true));
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(first.sessions() + second.sessions(), Sql.count(c, "SELECT count(*) FROM sessions"));
            assertEquals(first.rowsPerTable().get("agent_telemetry") + second.rowsPerTable().get("agent_telemetry"),
                    Sql.count(c, "SELECT count(*) FROM agent_telemetry"));
        }
    }
}

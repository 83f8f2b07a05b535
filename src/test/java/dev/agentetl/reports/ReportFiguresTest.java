package dev.agentetl.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seeds' test, judge and execution reports on a data set small enough to work out by hand: every
 * figure below was computed from the rows inserted here, not from the queries.
 */
class ReportFiguresTest {

    private static final OffsetDateTime SINCE = OffsetDateTime.of(2026, 2, 15, 0, 0, 0, 0, ZoneOffset.UTC);
    private static TestRuntime t;

    @BeforeAll
    static void rows() throws Exception {
        t = TestRuntime.start();
        Sql.exec(t.db, """
                INSERT INTO test_cases (id, name, messages, tools) VALUES (1, 'alpha', '[]', '[]'), (2, 'beta', '[]', '[]');
                INSERT INTO test_runs (id, test_case_id, run_number, started_at, passed, duration_ms, total_iterations) VALUES
                  (1, 1, 1, '2026-03-01 10:00Z', true, 1000, 2),
                  (2, 1, 2, '2026-03-01 11:00Z', false, 3000, 4),
                  (3, 1, 3, '2026-03-01 12:00Z', true, 2000, 3),
                  (4, 1, 4, '2026-03-02 09:00Z', true, 500, 1),
                  (5, 2, 1, '2026-03-01 09:00Z', false, 700, 1),
                  (6, 1, 0, '2026-02-01 09:00Z', false, 9999, 9);
                INSERT INTO judge_evaluations (test_run_id, judge_model, passed, confidence, evaluation_type, created_at) VALUES
                  (1, 'gpt-4o-mini', true, 0.9, 'semantic', '2026-03-01 10:05Z'),
                  (1, 'claude-sonnet-4', true, 0.8, 'semantic', '2026-03-01 10:05Z'),
                  (2, 'gpt-4o-mini', true, 0.6, 'semantic', '2026-03-01 11:05Z'),
                  (2, 'claude-sonnet-4', false, 0.9, 'semantic', '2026-03-01 11:05Z'),
                  (3, 'gpt-4o-mini', false, 0.7, 'exact_match', '2026-03-01 12:05Z'),
                  (5, 'claude-sonnet-4', false, 1.0, 'semantic', '2026-03-01 09:05Z'),
                  (4, 'gpt-4o-mini', true, 0.5, 'semantic', '2026-03-02 09:05Z'),
                  (4, 'llama-3.1-70b', false, 0.4, 'semantic', '2026-03-02 09:05Z'),
                  (6, 'gpt-4o-mini', true, 0.1, 'semantic', '2026-02-01 09:05Z');
                INSERT INTO executions (execution_id, goal_id, goal_text, intent, success, duration_ms, created_at) VALUES
                  ('00000000-0000-0000-0000-000000000001', 'g1', 'add', 'tool_use', true, 100, '2026-03-01 10:00Z'),
                  ('00000000-0000-0000-0000-000000000002', 'g2', 'look up', 'tool_use', false, 300, '2026-03-01 11:00Z'),
                  ('00000000-0000-0000-0000-000000000003', 'g3', 'write', 'generative', true, 50, '2026-03-02 08:00Z'),
                  ('00000000-0000-0000-0000-000000000004', 'g4', 'search', NULL, false, 400, '2026-03-02 09:00Z'),
                  ('00000000-0000-0000-0000-000000000005', 'g5', 'old', 'retrieval', true, 5, '2026-01-01 09:00Z');
                INSERT INTO tool_executions (execution_id, tool_name, success, duration_ms, created_at) VALUES
                  ('00000000-0000-0000-0000-000000000001', 'calculator', true, 10, '2026-03-01 10:00Z'),
                  ('00000000-0000-0000-0000-000000000001', 'web_search', true, 50, '2026-03-01 10:00:01Z'),
                  ('00000000-0000-0000-0000-000000000002', 'web_search', false, 200, '2026-03-01 11:00Z'),
                  ('00000000-0000-0000-0000-000000000002', 'calculator', true, 20, '2026-03-01 11:00:01Z'),
                  ('00000000-0000-0000-0000-000000000004', 'web_search', false, 300, '2026-03-02 09:00Z'),
                  ('00000000-0000-0000-0000-000000000005', 'calculator', false, 5, '2026-01-01 09:00Z');
                INSERT INTO execution_feedback (execution_id, rating, feedback_text, created_at) VALUES
                  ('00000000-0000-0000-0000-000000000003', 5, 'great', '2026-03-02 08:01Z'),
                  ('00000000-0000-0000-0000-000000000003', 3, 'ok', '2026-03-02 08:02Z');
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        t.close();
    }

    private static List<String> rows(String report, Integer minExecutions, Integer limit, String... columns) throws Exception {
        String json = t.runtime.run("report", new ReportRunner.Request(report, SINCE, null, "json", minExecutions, limit)).render();
        List<String> out = new ArrayList<>();
        for (JsonNode row : new ObjectMapper().readTree(json)) {
            List<String> cells = new ArrayList<>();
            // JSON numbers print without trailing zeros: 66.67, 100.0
            for (String c : columns) cells.add(row.get(c).isNull() ? "null" : row.get(c).asText());
            out.add(String.join(" ", cells));
        }
        return out;
    }

    @Test
    void should_give_each_test_case_its_daily_pass_rate_duration_and_iterations() throws Exception {
        assertEquals(List.of(
                "2026-03-02 alpha 1 1 100.0 500.0 1.0",
                "2026-03-01 alpha 3 2 66.67 2000.0 3.0",
                "2026-03-01 beta 1 0 0.0 700.0 1.0"),
                rows("test_performance_trends", null, null,
                        "day", "test_case", "runs", "passed", "pass_rate", "avg_duration_ms", "avg_iterations"));
    }

    @Test
    void should_give_each_judge_its_pass_rate_confidence_and_disagreement() throws Exception {
        // run 2 is split (gpt passed, claude failed) and so is run 4 (gpt passed, llama failed); run 1 is not
        assertEquals(List.of(
                "2026-03-02 gpt-4o-mini semantic 1 1 100.0 0.5 1 100.0",
                "2026-03-02 llama-3.1-70b semantic 1 0 0.0 0.4 1 100.0",
                "2026-03-01 claude-sonnet-4 semantic 3 1 33.33 0.9 1 33.33",
                "2026-03-01 gpt-4o-mini exact_match 1 0 0.0 0.7 0 0.0",
                "2026-03-01 gpt-4o-mini semantic 2 2 100.0 0.75 1 50.0"),
                rows("judge_quality", null, null, "day", "judge_model", "evaluation_type", "evaluations", "passed",
                        "pass_rate", "avg_confidence", "split_runs", "disagreement_rate"));
    }

    @Test
    void should_rank_tools_with_enough_executions_by_success_rate() throws Exception {
        String[] cols = {"tool_name", "total_executions", "successful_executions", "success_rate", "avg_duration_ms"};
        assertEquals(List.of("calculator 2 2 100.0 15.0", "web_search 3 1 33.33 183.3"), rows("top_tools", 2, null, cols));
        assertEquals(List.of("web_search 3 1 33.33 183.3"), rows("top_tools", null, null, cols), "3 executions by default");
        assertEquals(List.of("calculator 2 2 100.0 15.0"), rows("top_tools", 1, 1, cols));
    }

    @Test
    void should_give_success_per_intent_and_over_all() throws Exception {
        assertEquals(List.of(
                "generative 1 1 100.0 50.0",
                "tool_use 2 1 50.0 200.0",
                "(none) 1 0 0.0 400.0",
                "(all) 4 2 50.0 212.5"),
                rows("success_by_intent", null, null, "intent", "executions", "successful", "success_rate", "avg_duration_ms"));
    }

    @Test
    void should_list_the_latest_executions_with_tools_and_feedback() throws Exception {
        assertEquals(List.of(
                "g4 false web_search (failed) null null",
                "g3 true null 4.0 great | ok",
                "g2 false web_search (failed), calculator null null"),
                rows("recent_executions", null, 3, "goal_id", "success", "tools", "rating", "feedback"));
        assertEquals(4, rows("recent_executions", null, null, "goal_id").size(), "the one before --since is left out");
    }

    @Test
    void should_print_the_same_figures_as_csv_and_table() throws Exception {
        String csv = t.runtime.run("report", new ReportRunner.Request("success_by_intent", SINCE, null, "csv")).render();
        assertTrue(csv.contains("(all),4,2,50.00,212.5"), csv);
        String table = t.runtime.run("report", new ReportRunner.Request("judge_quality", SINCE, null, "table")).render();
        assertTrue(table.endsWith("(5 rows)\n"), table);
    }

    @Test
    void should_print_csv_that_parses_back_to_the_same_rows() throws Exception {
        Sql.exec(t.db, """
                INSERT INTO agent_telemetry (created_at, record_type, session_id, model_used, system_prompt, chat_history,
                                             response_text, tool_calls, duration_ms) VALUES
                  ('2026-03-01 10:00Z', 'llm_call', 'csv-thread', 'm', 's', '[]', 'says "hi", then
                leaves', '[{"name": "a,b"}]', 1),
                  ('2026-03-01 10:01Z', 'turn_summary', 'csv-thread', 'm', 's', '[]', NULL, NULL, 2),
                  ('2026-03-01 10:02Z', 'llm_call', 'csv-thread', 'm', 's', '[]', '', NULL, 3);
                """);
        String csv = t.runtime.run("report", new ReportRunner.Request("session_replay", SINCE, "csv-thread", "csv")).render();
        assertTrue(csv.startsWith("created_at,record_type,response_text,tool_calls\r\n"), csv);
        assertTrue(csv.contains("\"says \"\"hi\"\", then\nleaves\""), "RFC 4180 quoting: " + csv);
        List<List<String>> parsed = new ArrayList<>();
        try (org.apache.commons.csv.CSVParser p = org.apache.commons.csv.CSVParser.parse(csv,
                org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            assertEquals(List.of("created_at", "record_type", "response_text", "tool_calls"), p.getHeaderNames());
            for (org.apache.commons.csv.CSVRecord r : p) parsed.add(r.toList());
        }
        assertEquals(3, parsed.size(), csv);
        assertEquals(List.of("llm_call", "says \"hi\", then\nleaves", "[{\"name\": \"a,b\"}]"), parsed.get(0).subList(1, 4));
        assertEquals(List.of("turn_summary", "", ""), parsed.get(1).subList(1, 4), "NULLs are empty fields");
        assertEquals(List.of("llm_call", "", ""), parsed.get(2).subList(1, 4));
        assertTrue(parsed.get(0).get(0).startsWith("2026-03-01"), parsed.get(0).get(0));
        // byte for byte what commons-csv's RFC 4180 printer gives for the same header and values
        StringBuilder reprinted = new StringBuilder();
        try (org.apache.commons.csv.CSVPrinter p = new org.apache.commons.csv.CSVPrinter(reprinted,
                org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader("created_at", "record_type", "response_text", "tool_calls").get())) {
            for (List<String> r : parsed) p.printRecord(r);
        }
        assertEquals(reprinted.toString(), csv);
        // the same rows as the JSON format gives
        JsonNode json = new ObjectMapper().readTree(
                t.runtime.run("report", new ReportRunner.Request("session_replay", SINCE, "csv-thread", "json")).render());
        for (int i = 0; i < 3; i++) {
            JsonNode row = json.get(i);
            assertEquals(row.get("record_type").asText(), parsed.get(i).get(1));
            assertEquals(row.get("response_text").isNull() ? "" : row.get("response_text").asText(), parsed.get(i).get(2));
        }
    }

    @Test
    void should_run_the_query_on_the_jdbc_endpoint_with_bound_parameters_in_a_read_only_transaction() throws Exception {
        org.apache.camel.CamelContext camel = t.runtime.camelContext();
        org.apache.camel.builder.AdviceWith.adviceWith(camel, "report",
                a -> a.interceptSendToEndpoint("jdbc:reportDataSource*").to("mock:report-query"));
        org.apache.camel.component.mock.MockEndpoint query = camel.getEndpoint("mock:report-query",
                org.apache.camel.component.mock.MockEndpoint.class);
        query.expectedMessageCount(1);
        query.expectedHeaderReceived("since", SINCE);
        query.expectedHeaderReceived("min_executions", 3);
        query.expectedHeaderReceived("limit", 20);
        String json = t.runtime.run("report", new ReportRunner.Request("top_tools", SINCE, null, "json")).render();
        query.assertIsSatisfied(2_000);
        String sql = query.getExchanges().get(0).getMessage().getBody(String.class);
        assertTrue(sql.contains(":?since") && sql.contains(":?limit") && !sql.contains(":since"), sql);
        assertTrue(json.contains("web_search"), json);

        // the endpoint's connections are read-only: a statement that writes is refused, and nothing is written
        long before = Sql.count(t.db, "SELECT count(*) FROM test_cases");
        org.apache.camel.CamelExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.camel.CamelExecutionException.class, () -> camel.createProducerTemplate().requestBody(
                        "jdbc:reportDataSource", "INSERT INTO test_cases (id, name, messages, tools) VALUES (99, 'x', '[]', '[]')"));
        assertTrue(String.valueOf(refused.getCause()).contains("read-only transaction"), String.valueOf(refused.getCause()));
        assertEquals(before, Sql.count(t.db, "SELECT count(*) FROM test_cases"));
    }
}

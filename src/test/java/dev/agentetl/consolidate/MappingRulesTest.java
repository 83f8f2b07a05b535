package dev.agentetl.consolidate;

import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.agentetl.consolidate.ConsolidateTest.sqlite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each mapping rule and legacy trap on hand-made rows: value formats, keys with ':', layouts, rejects. */
class MappingRulesTest {

    private static String ddl(String table) {
        return LegacyCatalog.ddl().stream().filter(d -> d.startsWith("CREATE TABLE " + table + " (")).findFirst().orElseThrow()
                .replace("__conversation", "");
    }

    @Test
    void valueFormatsKeysAndRejectsFollowTheMapping(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("graph"));
        sqlite(dir.resolve("graph/graph.db"), ddl("rl_outcomes"), ddl("model_selector_q_values"), ddl("model_selector_state"),
                ddl("continuation_patience_stats"), ddl("grounding_threshold_params"), ddl("quality_weight_history"),
                ddl("mode_transition_task_stats"),
                // local time with microseconds and a Julian day; local time without fraction, no Julian day
                "INSERT INTO rl_outcomes VALUES (1, 'model_selector', 'ollama', 'qwen2.5-coder:7b', 'analysis', 'coding', 1, 0.75, "
                        + "'{\"flagged_as_stuck\": false, \"n\": 3}', '2026-01-15T10:00:00.250000', 2461055.875)",
                "INSERT INTO rl_outcomes VALUES (2, 'tool_selector', 'openai', 'gpt-4o', 'edit', 'coding', 0, 0.1, NULL, '2026-01-15T10:00:00', NULL)",
                // traps: JSON that does not parse, a time that is not one, text in a REAL column
                "INSERT INTO rl_outcomes VALUES (3, 'tool_selector', 'openai', 'gpt-4o', 'edit', 'coding', 0, 0.1, '{not json', '2026-01-15T10:00:00', NULL)",
                "INSERT INTO rl_outcomes VALUES (4, 'tool_selector', 'openai', 'gpt-4o', 'edit', 'coding', 0, 0.1, NULL, 'yesterday', NULL)",
                "INSERT INTO rl_outcomes VALUES (5, 'tool_selector', 'openai', 'gpt-4o', 'edit', 'coding', 0, 'high', NULL, '2026-01-15T10:00:00', NULL)",
                // provider is the key (no state_key / action_key); a NULL TEXT PRIMARY KEY is rejected
                "INSERT INTO model_selector_q_values VALUES ('ollama', 0.61, 12, '2026-01-15T10:00:00')",
                "INSERT INTO model_selector_q_values VALUES (NULL, 0.2, 1, '2026-01-15T10:00:00')",
                "INSERT INTO model_selector_state VALUES ('epsilon', '0.11008734651784999')",
                "INSERT INTO model_selector_state VALUES ('mode', 'greedy')",
                // a key joined with ':' around a model name with ':' in it is kept whole
                "INSERT INTO continuation_patience_stats VALUES ('ollama:qwen2.5-coder:7b:analysis', 'ollama', 'qwen2.5-coder:7b', 'analysis', 4, 10, 1, 2, 0, '2026-01-15T10:00:00')",
                "INSERT INTO grounding_threshold_params VALUES ('ollama:code', 0.7, 3.0, 2.0, 4, '2026-01-15T10:00:00')",
                "INSERT INTO quality_weight_history VALUES (1, 'analysis', '{\"relevance\": 0.985}', 0.355, '{\"relevance\": 1.498142297104256}', '2026-01-15T10:00:00')",
                "INSERT INTO mode_transition_task_stats VALUES ('edit', NULL, NULL, 0.8, 3, '2026-01-15T10:00:00')");
        sqlite(dir.resolve("signatures.db"), ddl("failed_signatures"), ddl("schema_version"),
                "INSERT INTO failed_signatures VALUES (1, 'shell', 'a9fbfca13c31775a882a03fd621b905f', '{\"path\": \"/nope/0\"}', 'Permission denied', 2, "
                        + "1795343366.04014, 1795343366.5, 1795948166.04014)",
                "INSERT INTO schema_version VALUES (1)");
        sqlite(dir.resolve("sessions.db"), ddl("sessions__conversation"),
                "INSERT INTO sessions VALUES ('c1', '2026-01-15 10:00:00.123456', '2026-01-15 11:00:00', '/work/p', 'gpt-4o', 'default', 100000, 4096, '{\"k\": 1}')");

        try (TestRuntime t = TestRuntime.start()) {
            ConsolidationReport r = (ConsolidationReport) ConsolidateTest.run(t, dir, "Europe/Berlin");
            assertTrue(r.tables().stream().allMatch(Reconciliation.Result::reconciled), r.render());
            assertEquals(1, r.problems().size(), "the rejects are reported: " + r.problems());
            assertTrue(r.problems().get(0).startsWith("4 row(s) rejected"), r.problems().toString());

            // Julian day wins (UTC); without it, local Berlin time 10:00 is 09:00 UTC
            assertEquals("2026-01-15 09:00:00+00", Sql.value(t.db,
                    "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00' FROM rl_outcome WHERE source_key = '1'"));
            assertEquals("2026-01-15 09:00:00+00", Sql.value(t.db,
                    "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00' FROM rl_outcome WHERE source_key = '2'"));
            assertEquals("qwen2.5-coder:7b", Sql.value(t.db, "SELECT model FROM rl_outcome WHERE source_key = '1'"));
            assertEquals(false, Sql.value(t.db, "SELECT (metadata->'flagged_as_stuck')::boolean FROM rl_outcome WHERE source_key = '1'"));
            assertEquals(true, Sql.value(t.db, "SELECT success FROM rl_outcome WHERE source_key = '1'"));
            List<String> reasons = new ArrayList<>();
            try (var st = t.db.createStatement(); var rs = st.executeQuery(
                    "SELECT source_key || ' ' || reason FROM consolidation_rejects ORDER BY source_key, reason")) {
                while (rs.next()) reasons.add(rs.getString(1));
            }
            assertEquals(List.of("3 invalid_json:metadata", "4 invalid_time:timestamp", "5 wrong_type:quality_score", "rowid:2 null_key:provider"), reasons);

            assertEquals(1L, Sql.count(t.db, "SELECT count(*) FROM rl_q_value WHERE learner_id = 'model_selector' AND state_key = 'ollama' "
                    + "AND action_key = 'select' AND visit_count = 12"));
            assertEquals(0.11008734651784999, ((Number) Sql.value(t.db, "SELECT param_value FROM rl_param WHERE param_key = 'epsilon'")).doubleValue());
            assertEquals("greedy", Sql.value(t.db, "SELECT value_text FROM rl_param WHERE param_key = 'mode' AND param_value IS NULL"));
            assertEquals(1L, Sql.count(t.db, "SELECT count(*) FROM rl_param WHERE context = 'ollama:qwen2.5-coder:7b:analysis' AND param_key = 'current_patience'"));
            assertEquals(4L, Sql.count(t.db, "SELECT count(*) FROM rl_task_stat WHERE task_type = 'ollama:qwen2.5-coder:7b:analysis'"));
            assertEquals(3.0, ((Number) Sql.value(t.db, "SELECT param_value FROM rl_param WHERE param_key = 'alpha:ollama:code:0.7' AND context IS NULL")).doubleValue());
            assertEquals("object", Sql.value(t.db, "SELECT jsonb_typeof(metadata->'weights_used') FROM rl_transition WHERE learner_id = 'quality_weights'"),
                    "nested JSON, not a string holding JSON");
            assertEquals(10.0, ((Number) Sql.value(t.db, "SELECT stat_value FROM rl_task_stat WHERE task_type = 'edit' AND stat_key = 'optimal_tool_budget'")).doubleValue(),
                    "NULL budget takes the legacy default");
            assertEquals("2026-11-22 10:29:26", Sql.value(t.db, "SELECT to_char(first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM ui_failed_call"),
                    "Unix epoch seconds are UTC");
            assertEquals("conversation", r.tables().stream().filter(x -> x.table().equals("sessions")).findFirst().orElseThrow().layout());
            assertEquals(1L, Sql.count(t.db, "SELECT count(*) FROM ui_session WHERE id = 'c1' AND data->>'project_path' = '/work/p' "
                    + "AND (data->'metadata'->>'k')::int = 1 AND updated_at = '2026-01-15 10:00:00+00'"));

            // a re-run adds nothing, not even the NULL-context parameters
            long params = Sql.count(t.db, "SELECT count(*) FROM rl_param");
            ConsolidateTest.run(t, dir, "Europe/Berlin");
            assertEquals(params, Sql.count(t.db, "SELECT count(*) FROM rl_param"));
            assertEquals(2L, Sql.count(t.db, "SELECT count(*) FROM rl_param WHERE context IS NULL AND learner_id = 'grounding_threshold'"));
        }
    }
}

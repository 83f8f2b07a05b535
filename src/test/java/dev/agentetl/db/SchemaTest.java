package dev.agentetl.db;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every seed table and view exists and is queryable, and the constraints users rely on hold. */
class SchemaTest {

    private static Connection c;

    @BeforeAll
    static void migrate() throws SQLException {
        AppConfig config = TestDatabases.freshConfig();
        AgentEtlRuntime.startMigrated(config, "test").close();
        c = TestDatabases.connect(config);
    }

    @AfterAll
    static void close() throws SQLException {
        c.close();
    }

    @Test
    void should_have_every_seed_table_and_view_queryable() throws SQLException {
        int tables = 0;
        for (Group g : Group.values()) {
            for (String table : g.tables()) {
                assertTrue(Sql.count(c, "SELECT count(*) FROM " + table) >= 0, table + " is queryable");
                tables++;
            }
        }
        assertTrue(tables >= 16 + 5 + 1 + 6 + 21, "all seed tables are listed: " + tables);
        for (String view : List.of("session_summary", "test_performance", "tool_success_rate", "model_comparison",
                "error_analysis", "tool_performance")) {
            Sql.count(c, "SELECT count(*) FROM " + view);
        }
        assertEquals(11, Sql.count(c, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'qrtz\\_%'"),
                "Quartz job store tables exist");
    }

    @Test
    void should_compute_tool_statistics_success_rate_and_refresh_it_from_tool_executions() throws SQLException {
        Sql.exec(c, "INSERT INTO tool_statistics (tool_name, total_executions, successful_executions, failed_executions) "
                + "VALUES ('calc', 8, 6, 2)");
        assertEquals(0.75, Sql.number(c, "SELECT success_rate FROM tool_statistics WHERE tool_name = 'calc'").doubleValue(), 1e-9);

        Sql.exec(c, "INSERT INTO executions (execution_id, goal_text, success) VALUES ('00000000-0000-0000-0000-000000000001', 'g', true)");
        Sql.exec(c, "INSERT INTO tool_executions (execution_id, tool_name, success, duration_ms) VALUES "
                + "('00000000-0000-0000-0000-000000000001', 'calc', true, 10), "
                + "('00000000-0000-0000-0000-000000000001', 'calc', false, 30)");
        assertEquals(1, Sql.count(c, "SELECT update_tool_statistics()"));
        assertEquals(0.5, Sql.number(c, "SELECT success_rate FROM tool_statistics WHERE tool_name = 'calc'").doubleValue(), 1e-9);
        assertEquals(20.0, Sql.number(c, "SELECT avg_duration_ms FROM tool_statistics WHERE tool_name = 'calc'").doubleValue(), 1e-9);
    }

    @Test
    void should_reject_a_second_prompt_with_the_same_name_and_version() throws SQLException {
        Sql.exec(c, "INSERT INTO prompts (name, version, type, template) VALUES ('dup_check', 1, 'system', 'a')");
        SQLException e = assertThrows(SQLException.class,
                () -> Sql.exec(c, "INSERT INTO prompts (name, version, type, template) VALUES ('dup_check', 1, 'system', 'b')"));
        assertEquals("23505", e.getSQLState(), "unique violation");
    }

    @Test
    void should_cascade_session_deletes_to_its_messages_calls_and_results() throws SQLException {
        Sql.exec(c, "INSERT INTO sessions (id, session_id, session_type, model) VALUES (900, 's-900', 'test', 'm')");
        Sql.exec(c, "INSERT INTO messages (session_id, message_index, role, content) VALUES (900, 0, 'user', 'hi')");
        Sql.exec(c, "INSERT INTO tool_calls (id, session_id, call_index, tool_name, success) VALUES (901, 900, 0, 't', true)");
        Sql.exec(c, "INSERT INTO tool_results (tool_call_id, success) VALUES (901, true)");
        Sql.exec(c, "INSERT INTO llm_responses (session_id, model) VALUES (900, 'm')");

        Sql.exec(c, "DELETE FROM sessions WHERE id = 900");

        assertEquals(0, Sql.count(c, "SELECT count(*) FROM messages WHERE session_id = 900"));
        assertEquals(0, Sql.count(c, "SELECT count(*) FROM tool_calls WHERE session_id = 900"));
        assertEquals(0, Sql.count(c, "SELECT count(*) FROM tool_results WHERE tool_call_id = 901"));
        assertEquals(0, Sql.count(c, "SELECT count(*) FROM llm_responses WHERE session_id = 900"));
    }

    @Test
    void should_accept_values_outside_the_lists_the_seeds_give_as_the_apps_may_write_them() throws SQLException {
        Sql.exec(c, "INSERT INTO sessions (session_id, session_type, model) VALUES ('s-new', 'staging', 'm')");
        Sql.exec(c, "INSERT INTO agent_telemetry (model_used, system_prompt, chat_history, duration_ms, stop_reason, chat_mode) "
                + "VALUES ('m', 's', '[]', 1, 'gave_up', 'autopilot')");
        assertEquals(1, Sql.count(c, "SELECT count(*) FROM agent_telemetry WHERE stop_reason = 'gave_up'"));
    }

    @Test
    void should_not_duplicate_rl_param_rows_with_no_context() throws SQLException {
        Sql.exec(c, "INSERT INTO rl_param (learner_id, param_key, param_value) VALUES ('model_selector', 'epsilon', 0.1)");
        SQLException e = assertThrows(SQLException.class, () -> Sql.exec(c,
                "INSERT INTO rl_param (learner_id, param_key, param_value) VALUES ('model_selector', 'epsilon', 0.2)"));
        assertEquals("23505", e.getSQLState(), "NULL contexts are not distinct");
    }

}

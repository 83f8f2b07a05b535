package dev.agentetl.generate;

import dev.agentetl.db.CopyBuffer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seed 000's A/B tests and tags: the prompt variant each session ran under (a running test), an
 * orchestrator comparison that ended, and tags on sessions and test cases. The tests and tags themselves
 * are created once and reused by later runs, like the test cases.
 */
final class ExperimentWriter {

    static final String PROMPT_TEST = "system_prompt_variants";
    static final String ORCHESTRATOR_TEST = "react_vs_basic_orchestrator";

    private final GenContext ctx;
    private CopyBuffer results, entityTags;
    private final Map<String, Long> tests;
    private final Map<String, Long> tags;

    ExperimentWriter(GenContext ctx, Connection c) throws SQLException {
        this.ctx = ctx;
        this.tests = ensureTests(c);
        this.tags = ensureTags(c);
    }

    /** The experiments and tags of one finished session. */
    void write(long sessionId, OffsetDateTime end, String orchestrator, int promptVariant, String status,
               int durationMs, int iterations) {
        if (results == null) {
            // declared at the first session, after the sessions table: buffers are flushed parents first
            results = ctx.table("ab_test_results", "ab_test_id, session_id, variant_name, metrics, created_at");
            entityTags = ctx.table("entity_tags", "entity_type, entity_id, tag_id, created_at");
        }
        if (ctx.chance(0.3)) {
            results.row(tests.get(PROMPT_TEST), sessionId, "prompt_v" + promptVariant, metrics(status, durationMs, iterations), end);
        }
        if (("react".equals(orchestrator) || "basic".equals(orchestrator)) && ctx.chance(0.1)) {
            results.row(tests.get(ORCHESTRATOR_TEST), sessionId, orchestrator, metrics(status, durationMs, iterations), end);
        }
        if ("error".equals(status) && ctx.chance(0.5)) {
            entityTags.row("session", sessionId, tags.get("needs_review"), end);
        }
        if (durationMs > 20_000) {
            entityTags.row("session", sessionId, tags.get("long_running"), end);
        }
        if (ctx.chance(0.02)) {
            entityTags.row("session", sessionId, tags.get("customer_reported"), end);
        }
    }

    private static String metrics(String status, int durationMs, int iterations) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success_rate", "success".equals(status) ? 1.0 : 0.0);
        m.put("avg_duration_ms", durationMs);
        m.put("avg_iterations", iterations);
        return GenContext.json(m);
    }

    private static Map<String, Long> ensureTests(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO ab_tests (test_name, description, status, ended_at, variants, success_metric)
                VALUES (?, ?, ?, CASE WHEN ? THEN now() END, ?::jsonb, 'success_rate')
                ON CONFLICT (test_name) DO NOTHING""")) {
            add(ps, PROMPT_TEST, "Which system prompt variant completes more tasks", "running", false,
                    "[\"prompt_v0\",\"prompt_v1\",\"prompt_v2\",\"prompt_v3\"]");
            add(ps, ORCHESTRATOR_TEST, "ReAct against the basic loop on the same traffic", "completed", true,
                    "[\"react\",\"basic\"]");
            ps.executeBatch();
        }
        return ids(c, "SELECT test_name, id FROM ab_tests");
    }

    private static void add(PreparedStatement ps, String name, String description, String status, boolean ended,
                            String variants) throws SQLException {
        ps.setString(1, name);
        ps.setString(2, description);
        ps.setString(3, status);
        ps.setBoolean(4, ended);
        ps.setString(5, variants);
        ps.addBatch();
    }

    private static Map<String, Long> ensureTags(Connection c) throws SQLException {
        String[][] all = {{"needs_review", "quality", "#d9534f"}, {"long_running", "performance", "#f0ad4e"},
                {"customer_reported", "issue", "#5bc0de"}, {"flaky", "test", "#777777"}, {"regression", "test", "#292b2c"}};
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tags (tag_name, tag_type, color) VALUES (?, ?, ?) ON CONFLICT (tag_name) DO NOTHING")) {
            for (String[] t : all) {
                ps.setString(1, t[0]);
                ps.setString(2, t[1]);
                ps.setString(3, t[2]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        Map<String, Long> ids = ids(c, "SELECT tag_name, id FROM tags");
        // the test cases known to be unstable carry their tag once, whichever run created them
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO entity_tags (entity_type, entity_id, tag_id)
                SELECT 'test_case', tc.id, ? FROM test_cases tc WHERE tc.name = ?
                ON CONFLICT (entity_type, entity_id, tag_id) DO NOTHING""")) {
            ps.setLong(1, ids.get("flaky"));
            ps.setString(2, "recover_from_timeout");
            ps.addBatch();
            ps.setLong(1, ids.get("regression"));
            ps.setString(2, "sql_then_summarise");
            ps.addBatch();
            ps.executeBatch();
        }
        return ids;
    }

    private static Map<String, Long> ids(Connection c, String sql) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        }
        return out;
    }
}

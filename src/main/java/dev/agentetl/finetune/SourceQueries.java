package dev.agentetl.finetune;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two SELECTs that feed a fine-tuning export, with the request's filters as bound parameters (no
 * user text is ever put into SQL): turn telemetry's llm_call rows, and the session conversations of the
 * interaction store one message per row. Telemetry comes in the table's physical order (sorting wide rows
 * costs seconds before the first row), sessions sorted by session and message; either way the same data
 * gives the same files.
 */
final class SourceQueries {

    /** A query and its parameters in order. */
    record Query(String sql, List<Object> parameters) {
    }

    /**
     * A conversation's quality rating on the 1-5 scale: the mean of its execution feedback ratings (an
     * execution names its conversation in metadata.session_id) and of its judge verdicts (passed = 5,
     * failed = 1). Conversations without any signal have no rating.
     */
    private static final String RATINGS = """
            WITH ratings AS (
              SELECT conversation_id, avg(score) AS rating FROM (
                SELECT e.metadata->>'session_id' AS conversation_id, f.rating::float8 AS score
                FROM execution_feedback f JOIN executions e ON e.execution_id = f.execution_id
                WHERE f.rating IS NOT NULL AND e.metadata->>'session_id' IS NOT NULL
                UNION ALL
                SELECT s.session_id, CASE WHEN j.passed THEN 5.0 ELSE 1.0 END
                FROM judge_evaluations j JOIN test_runs r ON r.id = j.test_run_id JOIN sessions s ON s.id = r.session_id
              ) signals GROUP BY conversation_id)
            """;

    /** The turn's stop reason: the llm_call's own, else that of the turn_summary closing the same turn. */
    private static final String TURN_STOP_REASON = """
            coalesce(t.stop_reason, (SELECT s.stop_reason FROM agent_telemetry s
                WHERE s.record_type = 'turn_summary' AND s.session_id = t.session_id
                  AND s.user_message IS NOT DISTINCT FROM t.user_message AND s.created_at >= t.created_at
                ORDER BY s.created_at LIMIT 1))""";

    /** A session's final status in the stop-reason vocabulary of turn telemetry. */
    private static final String SESSION_STOP_REASON = """
            CASE s.final_status WHEN 'success' THEN 'completed' WHEN 'max_iterations' THEN 'round_cap'
                 WHEN 'error' THEN 'tool_failure' ELSE s.final_status END""";

    private final FinetuneRequest request;
    private final List<String> templates;
    private final List<String> versions;

    private SourceQueries(FinetuneRequest request, List<String> templates, List<String> versions) {
        this.request = request;
        this.templates = templates;
        this.versions = versions;
    }

    /** Resolves --prompt (and its version or label) against the registry; unknown names are an error. */
    static SourceQueries resolve(Connection c, FinetuneRequest request) throws SQLException {
        if (request.prompt() == null) return new SourceQueries(request, null, null);
        String sql = "SELECT p.template, p.version FROM prompts p WHERE p.name = ?";
        List<Object> params = new ArrayList<>(List.of(request.prompt()));
        if (request.promptVersion() != null) {
            sql += " AND p.version = ?";
            params.add(request.promptVersion());
        } else if ("latest".equals(request.promptLabel())) {
            sql += " AND p.version = (SELECT max(version) FROM prompts l WHERE l.project = p.project AND l.name = p.name)";
        } else if (request.promptLabel() != null) {
            // the version whose labels array (the one the app reads) holds the label
            sql += " AND p.name = ? AND ? = ANY (p.labels)";
            params.add(request.prompt());
            params.add(request.promptLabel());
        }
        List<String> templates = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql + " ORDER BY p.version")) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    templates.add(rs.getString(1));
                    versions.add(Integer.toString(rs.getInt(2)));
                }
            }
        }
        if (templates.isEmpty()) {
            String which = request.promptVersion() != null ? " version " + request.promptVersion()
                    : request.promptLabel() != null ? " with label " + request.promptLabel() : "";
            throw new IllegalArgumentException("no prompt " + request.prompt() + which + " in the prompt registry");
        }
        return new SourceQueries(request, templates, versions);
    }

    Query telemetry(Connection c) throws SQLException {
        List<Object> p = new ArrayList<>();
        StringBuilder where = new StringBuilder("t.record_type = 'llm_call'");
        if (request.since() != null) { where.append(" AND t.created_at >= ?"); p.add(request.since()); }
        if (request.until() != null) { where.append(" AND t.created_at < ?"); p.add(request.until()); }
        if (request.model() != null) { where.append(" AND t.model_used = ?"); p.add(request.model()); }
        if (request.project() != null) { where.append(" AND t.project_id = ?"); p.add(request.project()); }
        if (request.stopReason() != null) { where.append(" AND ").append(TURN_STOP_REASON).append(" = ?"); p.add(request.stopReason()); }
        if (templates != null) { where.append(" AND t.system_prompt = ANY (?)"); p.add(c.createArrayOf("text", templates.toArray())); }
        String with = "";
        if (request.minRating() != null) {
            with = RATINGS;
            where.append(" AND t.session_id IN (SELECT conversation_id FROM ratings WHERE rating >= ?)");
            p.add(request.minRating());
        }
        return new Query(with + """
                SELECT t.id::text AS source_id, t.session_id, t.model_used, t.system_prompt, t.chat_history::text AS chat_history,
                       t.user_message, t.response_text, t.tool_calls::text AS tool_calls
                FROM agent_telemetry t
                WHERE """ + " " + where, p); // physical order: see the exporter's scan settings
    }

    Query sessions(Connection c) throws SQLException {
        List<Object> p = new ArrayList<>();
        StringBuilder where = new StringBuilder("true");
        if (request.since() != null) { where.append(" AND s.created_at >= ?"); p.add(request.since()); }
        if (request.until() != null) { where.append(" AND s.created_at < ?"); p.add(request.until()); }
        if (request.model() != null) { where.append(" AND s.model = ?"); p.add(request.model()); }
        if (request.project() != null) { where.append(" AND s.metadata->>'project' = ?"); p.add(request.project()); }
        if (request.stopReason() != null) { where.append(" AND ").append(SESSION_STOP_REASON).append(" = ?"); p.add(request.stopReason()); }
        if (templates != null) {
            where.append(" AND ((s.metadata->>'prompt_name' = ? AND s.metadata->>'prompt_version' = ANY (?))"
                    + " OR EXISTS (SELECT 1 FROM messages sm WHERE sm.session_id = s.id AND sm.role = 'system' AND sm.content = ANY (?)))");
            p.add(request.prompt());
            p.add(c.createArrayOf("text", versions.toArray()));
            p.add(c.createArrayOf("text", templates.toArray()));
        }
        String with = "";
        if (request.minRating() != null) {
            with = RATINGS;
            where.append(" AND s.session_id IN (SELECT conversation_id FROM ratings WHERE rating >= ?)");
            p.add(request.minRating());
        }
        // a tool message names its call in metadata.tool_call_id: the tool_calls row id, or the model's call id
        return new Query(with + """
                SELECT s.session_id, s.model, m.message_index, m.role, m.content, m.metadata->>'tool_call_id' AS reply_to,
                       tc.id AS call_id, tc.tool_name, tc.parameters::text AS parameters, tr.data::text AS result_data,
                       tr.error AS result_error, r.calls::text AS raw_calls
                FROM sessions s
                JOIN messages m ON m.session_id = s.id
                LEFT JOIN tool_calls tc ON m.role = 'tool' AND tc.session_id = s.id
                     AND tc.id = CASE WHEN m.metadata->>'tool_call_id' ~ '^[0-9]{1,18}$' THEN (m.metadata->>'tool_call_id')::bigint END
                LEFT JOIN LATERAL (SELECT data, error FROM tool_results WHERE tool_call_id = tc.id ORDER BY id LIMIT 1) tr ON true
                LEFT JOIN (SELECT DISTINCT ON (message_id) message_id, raw_response->'choices'->0->'message'->'tool_calls' AS calls
                           FROM llm_responses
                           WHERE message_id IS NOT NULL AND jsonb_typeof(raw_response->'choices'->0->'message'->'tool_calls') = 'array'
                           ORDER BY message_id, id) r ON r.message_id = m.id
                WHERE """ + " " + where + " ORDER BY s.created_at, s.id, m.message_index, m.id", p);
    }

    /** The filters as the manifest and the dataset card state them. */
    Map<String, Object> describe() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sources", request.sources());
        if (request.since() != null) f.put("since", request.since().toString());
        if (request.until() != null) f.put("until", request.until().toString());
        if (request.model() != null) f.put("model", request.model());
        if (request.project() != null) f.put("project", request.project());
        if (request.stopReason() != null) f.put("stop_reason", request.stopReason());
        if (request.prompt() != null) f.put("prompt", request.prompt());
        if (versions != null) f.put("prompt_versions", versions.stream().map(Integer::valueOf).toList());
        if (request.promptLabel() != null) f.put("prompt_label", request.promptLabel());
        if (request.minRating() != null) f.put("min_rating", request.minRating());
        return f;
    }
}

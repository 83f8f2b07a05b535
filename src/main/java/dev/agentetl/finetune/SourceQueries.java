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

    /** The request's filters on sessions (alias {@code s}), for the chat examples and for both sides of a pair. */
    private String sessionFilter(Connection c, List<Object> p) throws SQLException {
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
        return where.toString();
    }

    Query sessions(Connection c) throws SQLException {
        List<Object> p = new ArrayList<>();
        StringBuilder where = new StringBuilder(sessionFilter(c, p));
        String with = "";
        if (request.minRating() != null) {
            with = RATINGS;
            where.append(" AND s.session_id IN (SELECT conversation_id FROM ratings WHERE rating >= ?)");
            p.add(request.minRating());
        }
        // a tool message names its call in metadata.tool_call_id: the tool_calls row id, or the model's call id
        return new Query(with + "SELECT " + SESSION_ROW + " FROM sessions s " + SESSION_JOINS + " WHERE " + where
                + " ORDER BY s.created_at, s.id, m.message_index, m.id", p);
    }

    /** A session's messages, one per row, with the tool call a tool message answers (its result) and recorded calls. */
    private static final String SESSION_ROW = """
            s.session_id, s.model, m.message_index, m.role, m.content, m.metadata->>'tool_call_id' AS reply_to,
            tc.id AS call_id, tc.tool_name, tc.parameters::text AS parameters, tr.data::text AS result_data,
            tr.error AS result_error, r.calls::text AS raw_calls""";

    private static final String SESSION_JOINS = """
            JOIN messages m ON m.session_id = s.id
            LEFT JOIN tool_calls tc ON m.role = 'tool' AND tc.session_id = s.id
                 AND tc.id = CASE WHEN m.metadata->>'tool_call_id' ~ '^[0-9]{1,18}$' THEN (m.metadata->>'tool_call_id')::bigint END
            LEFT JOIN LATERAL (SELECT data, error FROM tool_results WHERE tool_call_id = tc.id ORDER BY id LIMIT 1) tr ON true
            LEFT JOIN (SELECT DISTINCT ON (message_id) message_id, raw_response->'choices'->0->'message'->'tool_calls' AS calls
                       FROM llm_responses
                       WHERE message_id IS NOT NULL AND jsonb_typeof(raw_response->'choices'->0->'message'->'tool_calls') = 'array'
                       ORDER BY message_id, id) r ON r.message_id = m.id
            """;

    /**
     * Preference pairs, both sessions of each pair one message per row, in pair order (then preferred side first):
     * <ul>
     *   <li>{@code judged_test_run}: a test case's runs whose judges all passed them, paired in run order with its runs
     *       whose judges all failed them (runs with split verdicts or no judge take no part); the input is the test
     *       case's messages and tools;</li>
     *   <li>{@code feedback_rating}: sessions rated through execution feedback (the mean rating of the executions that
     *       name the session) grouped by their input, the messages before the first assistant message (whitespace
     *       collapsed); in each group the best rated is paired with the worst, the second best with the second worst,
     *       and so on, only where the ratings differ.</li>
     * </ul>
     * Both sessions of a pair pass the request's session filters. Each session takes part in at most one pair of a kind.
     */
    Query preferencePairs(Connection c) throws SQLException {
        List<Object> p = new ArrayList<>();
        String judgedFilter = sessionFilter(c, p);
        String ratedFilter = sessionFilter(c, p);
        return new Query("""
                WITH verdicts AS (
                  SELECT r.id AS run_id, r.test_case_id, r.session_id, bool_and(j.passed) AS passed
                  FROM test_runs r JOIN judge_evaluations j ON j.test_run_id = r.id
                  WHERE r.session_id IS NOT NULL
                  GROUP BY r.id, r.test_case_id, r.session_id
                  HAVING bool_and(j.passed) OR NOT bool_or(j.passed)),
                judged_runs AS (
                  SELECT v.*, row_number() OVER (PARTITION BY v.test_case_id, v.passed ORDER BY v.run_id) AS k
                  FROM verdicts v JOIN sessions s ON s.id = v.session_id WHERE\s""" + judgedFilter + """
                ),
                judged AS (
                  SELECT 'judged_test_run' AS kind, 'test_case:' || w.test_case_id AS input_key, w.test_case_id,
                         w.session_id AS preferred, l.session_id AS non_preferred,
                         'test run ' || w.run_id AS preferred_ref, 'test run ' || l.run_id AS non_preferred_ref
                  FROM judged_runs w JOIN judged_runs l ON l.test_case_id = w.test_case_id AND l.k = w.k AND NOT l.passed
                  WHERE w.passed),
                session_ratings AS (
                  SELECT s.id AS session_id, avg(f.rating) AS rating
                  FROM sessions s
                  JOIN executions e ON e.metadata->>'session_id' = s.session_id
                  JOIN execution_feedback f ON f.execution_id = e.execution_id
                  WHERE f.rating IS NOT NULL AND\s""" + ratedFilter + """
                  GROUP BY s.id),
                inputs AS (
                  SELECT sr.session_id, sr.rating,
                         md5(string_agg(m.role || ':' || regexp_replace(btrim(coalesce(m.content, '')), '\\s+', ' ', 'g'), E'\\x1e'
                             ORDER BY m.message_index, m.id)) AS input_key
                  FROM session_ratings sr
                  JOIN LATERAL (SELECT min(a.message_index) AS first FROM messages a
                                WHERE a.session_id = sr.session_id AND a.role = 'assistant') fa ON fa.first IS NOT NULL
                  JOIN messages m ON m.session_id = sr.session_id AND m.message_index < fa.first
                  GROUP BY sr.session_id, sr.rating),
                ranked AS (
                  SELECT i.*, row_number() OVER (PARTITION BY input_key ORDER BY rating DESC, session_id) AS best,
                         row_number() OVER (PARTITION BY input_key ORDER BY rating, session_id DESC) AS worst,
                         count(*) OVER (PARTITION BY input_key) AS n
                  FROM inputs i),
                rated AS (
                  SELECT 'feedback_rating' AS kind, 'input:' || b.input_key AS input_key, NULL::bigint AS test_case_id,
                         b.session_id AS preferred, w.session_id AS non_preferred,
                         'rated ' || round(b.rating, 2) AS preferred_ref, 'rated ' || round(w.rating, 2) AS non_preferred_ref
                  FROM ranked b JOIN ranked w ON w.input_key = b.input_key AND w.worst = b.best
                  WHERE b.best <= b.n / 2 AND b.rating > w.rating),
                pairs AS (
                  SELECT row_number() OVER (ORDER BY kind, input_key, preferred, non_preferred) AS pair_no, x.*
                  FROM (SELECT * FROM judged UNION ALL SELECT * FROM rated) x)
                SELECT p.pair_no, p.kind, p.input_key, tcase.messages::text AS case_messages, tcase.tools::text AS case_tools,
                       v.side, CASE v.side WHEN 0 THEN p.preferred_ref ELSE p.non_preferred_ref END AS ref,\s""" + SESSION_ROW + """

                FROM pairs p
                LEFT JOIN test_cases tcase ON tcase.id = p.test_case_id
                CROSS JOIN LATERAL (VALUES (0, p.preferred), (1, p.non_preferred)) v(side, session)
                JOIN sessions s ON s.id = v.session
                """ + SESSION_JOINS + " ORDER BY p.pair_no, v.side, m.message_index, m.id", p);
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

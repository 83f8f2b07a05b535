package dev.agentetl.stats;

/**
 * One daily rollup: the target table, the source it aggregates, how new rows are recognised (an
 * identity column, or only a time column) and the aggregate of a time range. {@code select} is the
 * SELECT that produces the target's rows for {@code created_at >= ? AND created_at < ?};
 * {@code rowsColumn} is the target column that counts the source rows aggregated.
 */
record Rollup(String statistic, String target, String source, String timeColumn, String idColumn, String columns,
              String select, String rowsColumn) {

    static final Rollup TOOL_CALLS = new Rollup("tool_call_daily", "tool_call_daily", "tool_calls", "created_at", "id",
            "day, tool_name, model, calls, failures, avg_ms, p50_ms, p95_ms, max_ms, retries", """
            SELECT (tc.created_at AT TIME ZONE 'UTC')::date, tc.tool_name, s.model, count(*), count(*) FILTER (WHERE NOT tc.success),
                   avg(tc.execution_time_ms), percentile_cont(0.5) WITHIN GROUP (ORDER BY tc.execution_time_ms),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY tc.execution_time_ms), max(tc.execution_time_ms),
                   coalesce(sum(tc.retry_count), 0)
            FROM tool_calls tc JOIN sessions s ON s.id = tc.session_id
            WHERE tc.created_at >= ? AND tc.created_at < ?
            GROUP BY 1, 2, 3""", "calls");

    static final Rollup SESSIONS = new Rollup("model_session_daily", "model_session_daily", "sessions", "created_at", "id",
            "day, model, sessions, successes, errors, timeouts, max_iterations, avg_duration_ms", """
            SELECT (created_at AT TIME ZONE 'UTC')::date, model, count(*), count(*) FILTER (WHERE final_status = 'success'),
                   count(*) FILTER (WHERE final_status = 'error'), count(*) FILTER (WHERE final_status = 'timeout'),
                   count(*) FILTER (WHERE final_status = 'max_iterations'), avg(total_duration_ms)
            FROM sessions WHERE created_at >= ? AND created_at < ?
            GROUP BY 1, 2""", "sessions");

    static final Rollup TURNS = new Rollup("turn_outcome_daily", "turn_outcome_daily", "agent_telemetry", "created_at", null,
            "day, stop_reason, turns, cut_off_early, avg_rounds, avg_tokens, avg_duration_ms", """
            SELECT (created_at AT TIME ZONE 'UTC')::date, coalesce(stop_reason, 'unknown'), count(*),
                   count(*) FILTER (WHERE stop_reason <> 'completed' AND rounds < 3 AND tool_call_count > 0),
                   avg(rounds), avg(total_tokens), avg(duration_ms)
            FROM agent_telemetry WHERE record_type = 'turn_summary' AND created_at >= ? AND created_at < ?
            GROUP BY 1, 2""", "turns");

    static final Rollup[] ALL = {TOOL_CALLS, SESSIONS, TURNS};
}

package dev.agentetl.stats;

/**
 * One daily rollup: the target table, the source it aggregates, how new rows are recognised (an
 * identity column, or only a time column) and the aggregate. {@code select} is the SELECT that produces the
 * target's rows: {@code {from}} is where the days to recompute are joined in (or nothing, for a rebuild) and
 * {@code {range}} the condition on {@code time}, the qualified time column; {@code rowsColumn} is the target
 * column that counts the source rows aggregated.
 */
record Rollup(String statistic, String target, String source, String timeColumn, String idColumn, String columns,
              String time, String select, String rowsColumn) {

    static final Rollup TOOL_CALLS = new Rollup("tool_call_daily", "tool_call_daily", "tool_calls", "created_at", "id",
            "day, tool_name, model, calls, failures, avg_ms, p50_ms, p95_ms, max_ms, retries", "tc.created_at", """
            SELECT (tc.created_at AT TIME ZONE 'UTC')::date, tc.tool_name, s.model, count(*), count(*) FILTER (WHERE NOT tc.success),
                   avg(tc.execution_time_ms), percentile_cont(0.5) WITHIN GROUP (ORDER BY tc.execution_time_ms),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY tc.execution_time_ms), max(tc.execution_time_ms),
                   coalesce(sum(tc.retry_count), 0)
            FROM {from} tool_calls tc JOIN sessions s ON s.id = tc.session_id
            WHERE {range}
            GROUP BY 1, 2, 3""", "calls");

    static final Rollup SESSIONS = new Rollup("model_session_daily", "model_session_daily", "sessions", "created_at", "id",
            "day, model, sessions, successes, errors, timeouts, max_iterations, avg_duration_ms", "se.created_at", """
            SELECT (se.created_at AT TIME ZONE 'UTC')::date, se.model, count(*), count(*) FILTER (WHERE se.final_status = 'success'),
                   count(*) FILTER (WHERE se.final_status = 'error'), count(*) FILTER (WHERE se.final_status = 'timeout'),
                   count(*) FILTER (WHERE se.final_status = 'max_iterations'), avg(se.total_duration_ms)
            FROM {from} sessions se WHERE {range}
            GROUP BY 1, 2""", "sessions");

    static final Rollup TURNS = new Rollup("turn_outcome_daily", "turn_outcome_daily", "agent_telemetry", "created_at", null,
            "day, stop_reason, turns, cut_off_early, avg_rounds, avg_tokens, avg_duration_ms", "te.created_at", """
            SELECT (te.created_at AT TIME ZONE 'UTC')::date, coalesce(te.stop_reason, 'unknown'), count(*),
                   count(*) FILTER (WHERE te.stop_reason <> 'completed' AND te.rounds < 3 AND te.tool_call_count > 0),
                   avg(te.rounds), avg(te.total_tokens), avg(te.duration_ms)
            FROM {from} agent_telemetry te WHERE te.record_type = 'turn_summary' AND {range}
            GROUP BY 1, 2""", "turns");

    static final Rollup[] ALL = {TOOL_CALLS, SESSIONS, TURNS};

    static Rollup named(String statistic) {
        return java.util.Arrays.stream(ALL).filter(r -> r.statistic().equals(statistic)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no statistic " + statistic));
    }
}

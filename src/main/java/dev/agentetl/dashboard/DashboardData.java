package dev.agentetl.dashboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard shows, read in one pass: the daily rollups of refresh-stats (sessions per model, tool calls
 * per tool), LLM response times and turn endings over the window, open insights with their evidence, and the
 * latest exports and job runs. Days are UTC days, as the rollups count them.
 */
record DashboardData(LocalDate from, LocalDate to, List<LocalDate> days,
                     Map<String, Map<LocalDate, double[]>> sessionsByModel,
                     Map<String, Map<LocalDate, double[]>> toolCallsByTool,
                     List<Latency> latencies,
                     Map<String, Map<LocalDate, double[]>> p95ByModel,
                     List<TurnEnding> turnEndings,
                     List<Insight> insights, List<ExportRun> exports, List<JobRun> runs) {

    /** p50 and p95 of LLM response time of one model over the window, from {@code n} responses. */
    record Latency(String model, long n, double p50, double p95) {
    }

    /** Turns of one chat mode that ended with one stop reason, and how many of them were cut off early. */
    record TurnEnding(String chatMode, String stopReason, long turns, long cutOff) {
    }

    record Insight(long id, String severity, String rule, String title, String description, String scope,
                   OffsetDateTime currentFrom, OffsetDateTime currentTo, Long sample, Long baselineSample,
                   Double low, Double high, String evidence) {
    }

    record ExportRun(long id, String dataset, String format, String status, Long rows, Long bytes, OffsetDateTime started,
                     Long millis, String path) {
    }

    record JobRun(long id, String job, String status, String trigger, OffsetDateTime started, Long millis, Long read,
                  Long written, Long rejected, String error) {
    }

    /**
     * Reads the window of {@code days} days ending with {@code to} (inclusive). {@code home} holds agent-etl's
     * schema (rollups, insights, exports, runs); {@code interactions} and {@code telemetry} the raw tables.
     */
    static DashboardData read(Connection home, Connection interactions, Connection telemetry, LocalDate to, int days,
                              int historyRows) throws SQLException {
        LocalDate from = to.minusDays(days - 1L);
        List<LocalDate> all = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) all.add(d);
        return new DashboardData(from, to, all,
                // [successes, sessions]
                daily(home, "SELECT day, model, successes, sessions FROM model_session_daily WHERE day BETWEEN ? AND ?", from, to),
                // [failures, calls]
                daily(home, "SELECT day, tool_name, sum(failures), sum(calls) FROM tool_call_daily WHERE day BETWEEN ? AND ? "
                        + "GROUP BY day, tool_name", from, to),
                latencies(interactions, from, to),
                daily(interactions, """
                        SELECT (created_at AT TIME ZONE 'UTC')::date, model,
                               percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms), count(*)
                        FROM llm_responses
                        WHERE created_at >= ?::date AT TIME ZONE 'UTC' AND created_at < (?::date + 1) AT TIME ZONE 'UTC'
                          AND response_time_ms IS NOT NULL AND model IS NOT NULL
                        GROUP BY 1, 2""", from, to),
                turnEndings(telemetry, from, to),
                insights(home), exports(home, historyRows), runs(home, historyRows));
    }

    private static Map<String, Map<LocalDate, double[]>> daily(Connection c, String sql, LocalDate from, LocalDate to) throws SQLException {
        Map<String, Map<LocalDate, double[]>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(2), k -> new TreeMap<>())
                            .put(rs.getObject(1, LocalDate.class), new double[]{rs.getDouble(3), rs.getDouble(4)});
                }
            }
        }
        return out;
    }

    private static List<Latency> latencies(Connection c, LocalDate from, LocalDate to) throws SQLException {
        List<Latency> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT model, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time_ms),
                       percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms)
                FROM llm_responses
                WHERE created_at >= ?::date AT TIME ZONE 'UTC' AND created_at < (?::date + 1) AT TIME ZONE 'UTC'
                  AND response_time_ms IS NOT NULL AND model IS NOT NULL
                GROUP BY model ORDER BY model""")) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Latency(rs.getString(1), rs.getLong(2), rs.getDouble(3), rs.getDouble(4)));
            }
        }
        return out;
    }

    private static List<TurnEnding> turnEndings(Connection c, LocalDate from, LocalDate to) throws SQLException {
        List<TurnEnding> out = new ArrayList<>();
        // cut off early, as the insight rule and the report say: not completed, fewer than 3 rounds, tools running
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT coalesce(chat_mode, 'unknown'), coalesce(stop_reason, 'unknown'), count(*),
                       count(*) FILTER (WHERE stop_reason <> 'completed' AND rounds < 3 AND tool_call_count > 0)
                FROM agent_telemetry
                WHERE record_type = 'turn_summary'
                  AND created_at >= ?::date AT TIME ZONE 'UTC' AND created_at < (?::date + 1) AT TIME ZONE 'UTC'
                GROUP BY 1, 2 ORDER BY 1, 3 DESC""")) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new TurnEnding(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return out;
    }

    private static List<Insight> insights(Connection c) throws SQLException {
        List<Insight> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, coalesce(severity, 'info'), coalesce(rule, insight_type), title, description, scope::text,
                       current_from, current_to, sample_size, baseline_sample, interval_low, interval_high, data::text
                FROM insights WHERE status = 'open'
                ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, id""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Insight(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getObject(7, OffsetDateTime.class), rs.getObject(8, OffsetDateTime.class),
                        (Long) rs.getObject(9), (Long) rs.getObject(10), (Double) rs.getObject(11), (Double) rs.getObject(12),
                        rs.getString(13)));
            }
        }
        return out;
    }

    private static List<ExportRun> exports(Connection c, int limit) throws SQLException {
        List<ExportRun> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, coalesce(dataset, '-'), export_type, coalesce(status, '-'), record_count, bytes,
                       coalesce(started_at, created_at),
                       (extract(epoch FROM finished_at - started_at) * 1000)::bigint, file_path
                FROM exports ORDER BY id DESC LIMIT ?""")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ExportRun(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), (Long) rs.getObject(5),
                            (Long) rs.getObject(6), rs.getObject(7, OffsetDateTime.class), (Long) rs.getObject(8), rs.getString(9)));
                }
            }
        }
        return out;
    }

    private static List<JobRun> runs(Connection c, int limit) throws SQLException {
        List<JobRun> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, job, status, trigger, started_at, duration_ms, rows_read, rows_written, rows_rejected, error
                FROM job_runs ORDER BY id DESC LIMIT ?""")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new JobRun(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class), (Long) rs.getObject(6), (Long) rs.getObject(7),
                            (Long) rs.getObject(8), (Long) rs.getObject(9), rs.getString(10)));
                }
            }
        }
        return out;
    }

    /** Every value of the window, in one place for the report. */
    Map<String, Object> counts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("models", sessionsByModel.size());
        m.put("tools", toolCallsByTool.size());
        m.put("chat_modes", turnEndings.stream().map(TurnEnding::chatMode).distinct().count());
        m.put("open_insights", insights.size());
        m.put("exports", exports.size());
        m.put("job_runs", runs.size());
        return m;
    }
}

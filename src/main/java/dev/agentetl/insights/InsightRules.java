package dev.agentetl.insights;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules. Each compares the current window with its baseline, gates on a minimum sample and fires
 * on an interval, not a raw ratio: a tool that failed 2 calls of 3 is not an insight.
 */
final class InsightRules {

    private static final double Z95 = 1.96;

    private InsightRules() {
    }

    /** Tools whose failure rate is high: the Wilson lower bound of the current window is above the threshold. */
    static List<Finding> toolFailureRate(Connection c, Windows w, InsightSettings s) throws SQLException {
        List<Finding> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT tool_name,
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ?),
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ? AND NOT success),
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ?),
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ? AND NOT success)
                FROM tool_calls WHERE created_at >= ? AND created_at < ? GROUP BY tool_name""")) {
            bindWindows(ps, w);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(2), f = rs.getLong(3), bn = rs.getLong(4), bf = rs.getLong(5);
                    if (n < s.minSample()) continue;
                    double[] ci = Wilson.interval(f, n, Z95);
                    if (ci[0] <= s.toolFailureRate()) continue;
                    Map<String, Object> figures = new LinkedHashMap<>();
                    figures.put("failure_rate", (double) f / n);
                    figures.put("failures", f);
                    figures.put("baseline_failure_rate", bn == 0 ? null : (double) bf / bn);
                    figures.put("threshold", s.toolFailureRate());
                    String tool = rs.getString(1);
                    out.add(new Finding("tool_failure_rate", "anomaly", ci[0] > 0.5 ? "critical" : "warning",
                            "Tool " + tool + " fails " + pct((double) f / n) + " of calls",
                            String.format("%d of %d calls failed in the current window (95%% interval %s-%s); baseline %s.",
                                    f, n, pct(ci[0]), pct(ci[1]), bn == 0 ? "no calls" : pct((double) bf / bn)),
                            Map.of("tool", tool), figures, n, bn, ci[0], ci[1]));
                }
            }
        }
        return out;
    }

    /** Models whose p95 latency rose by the configured factor over the baseline. */
    static List<Finding> latencyDegradation(Connection c, Windows w, InsightSettings s) throws SQLException {
        List<Finding> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT model,
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ?),
                       percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms) FILTER (WHERE created_at >= ? AND created_at < ?),
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ?),
                       percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms) FILTER (WHERE created_at >= ? AND created_at < ?)
                FROM llm_responses WHERE created_at >= ? AND created_at < ? AND response_time_ms IS NOT NULL GROUP BY model""")) {
            bindWindows(ps, w);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(2), bn = rs.getLong(4);
                    if (n < s.minSample() || bn < s.minSample()) continue;
                    double p95 = rs.getDouble(3), base = rs.getDouble(5);
                    if (base <= 0 || p95 / base < s.latencyFactor()) continue;
                    String model = rs.getString(1);
                    Map<String, Object> figures = new LinkedHashMap<>();
                    figures.put("p95_ms", p95);
                    figures.put("baseline_p95_ms", base);
                    figures.put("factor", p95 / base);
                    out.add(new Finding("latency_degradation", "trend", p95 / base >= 2 * s.latencyFactor() ? "critical" : "warning",
                            "Model " + model + " p95 latency up " + String.format("%.1fx", p95 / base),
                            String.format("p95 response time %.0f ms over %d calls, against %.0f ms over %d calls in the baseline.",
                                    p95, n, base, bn),
                            Map.of("model", model), figures, n, bn, base, p95));
                }
            }
        }
        return out;
    }

    /** Turns cut off early (not completed, fewer than 3 rounds, tools running) per chat mode. */
    static List<Finding> turnsCutOff(Connection c, Windows w, InsightSettings s) throws SQLException {
        List<Finding> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT coalesce(chat_mode, 'unknown'),
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ?),
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ? AND stop_reason <> 'completed' AND rounds < 3 AND tool_call_count > 0),
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ?),
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ? AND stop_reason <> 'completed' AND rounds < 3 AND tool_call_count > 0)
                FROM agent_telemetry WHERE record_type = 'turn_summary' AND created_at >= ? AND created_at < ? GROUP BY 1""")) {
            bindWindows(ps, w);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(2), k = rs.getLong(3), bn = rs.getLong(4), bk = rs.getLong(5);
                    if (n < s.minSample()) continue;
                    double[] ci = Wilson.interval(k, n, Z95);
                    if (ci[0] <= s.cutOffShare()) continue;
                    String mode = rs.getString(1);
                    Map<String, Object> figures = new LinkedHashMap<>();
                    figures.put("cut_off_share", (double) k / n);
                    figures.put("cut_off_turns", k);
                    figures.put("baseline_cut_off_share", bn == 0 ? null : (double) bk / bn);
                    out.add(new Finding("turns_cut_off", "anomaly", ci[0] > 0.2 ? "critical" : "warning",
                            "Turns cut off early in " + mode + " mode: " + pct((double) k / n),
                            String.format("%d of %d turns stopped before completion with fewer than 3 rounds while tools ran "
                                    + "(95%% interval %s-%s).", k, n, pct(ci[0]), pct(ci[1])),
                            Map.of("chat_mode", mode), figures, n, bn, ci[0], ci[1]));
                }
            }
        }
        return out;
    }

    /** current window twice, baseline window twice, then the whole span. */
    static void bindWindows(PreparedStatement ps, Windows w) throws SQLException {
        int i = 1;
        for (int k = 0; k < 2; k++) { ps.setObject(i++, w.currentFrom()); ps.setObject(i++, w.currentTo()); }
        for (int k = 0; k < 2; k++) { ps.setObject(i++, w.baselineFrom()); ps.setObject(i++, w.baselineTo()); }
        ps.setObject(i++, w.baselineFrom());
        ps.setObject(i, w.currentTo());
    }

    private static String pct(double p) {
        return String.format("%.1f%%", 100 * p);
    }
}

package dev.agentetl.insights;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The comparison rules: session success per model over time, model/tool pairings, seed 002's low performers. */
final class MoreRules {

    /** Two-sided p < 0.001: with a handful of models, chance alone should almost never fire. */
    private static final double Z_CHANGE = 3.29;
    /** 99 % intervals for pairings: many pairs are compared, so each comparison must be strict. */
    private static final double Z_PAIR = 2.58;

    private MoreRules() {
    }

    /** A model's session success rate changed between baseline and current window (two-proportion z-test). */
    static List<Finding> successRateChange(Connection c, Windows w, InsightSettings s) throws SQLException {
        List<Finding> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT model,
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ?),
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ? AND final_status = 'success'),
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ?),
                       count(*) FILTER (WHERE created_at >= ? AND created_at < ? AND final_status = 'success')
                FROM sessions WHERE created_at >= ? AND created_at < ? GROUP BY model""")) {
            InsightRules.bindWindows(ps, w);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n1 = rs.getLong(2), x1 = rs.getLong(3), n2 = rs.getLong(4), x2 = rs.getLong(5);
                    if (n1 < s.minSample() || n2 < s.minSample()) continue;
                    double p1 = (double) x1 / n1, p2 = (double) x2 / n2, p = (double) (x1 + x2) / (n1 + n2);
                    double se = Math.sqrt(p * (1 - p) * (1.0 / n1 + 1.0 / n2));
                    double z = se == 0 ? 0 : (p1 - p2) / se;
                    if (Math.abs(z) < Z_CHANGE || Math.abs(p1 - p2) < 0.05) continue;
                    String model = rs.getString(1);
                    Map<String, Object> figures = new LinkedHashMap<>();
                    figures.put("success_rate", p1);
                    figures.put("baseline_success_rate", p2);
                    figures.put("z", z);
                    double half = Z_CHANGE * Math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
                    out.add(new Finding("success_rate_change", "trend", z < 0 ? "warning" : "info",
                            String.format("Model %s session success %s from %.1f%% to %.1f%%", model, z < 0 ? "fell" : "rose",
                                    100 * p2, 100 * p1),
                            String.format("%d of %d sessions succeeded, against %d of %d in the baseline (z = %.2f).", x1, n1, x2, n2, z),
                            Map.of("model", model), figures, n1, n2, (p1 - p2) - half, (p1 - p2) + half));
                }
            }
        }
        return out;
    }

    /** Model/tool pairs that succeed clearly more often than the same tool with other models. */
    static List<Finding> successfulPairings(Connection c, Windows w, InsightSettings s) throws SQLException {
        List<Finding> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                WITH pair AS (
                    SELECT s.model, t.tool_name, count(*) AS n, count(*) FILTER (WHERE t.success) AS ok
                    FROM tool_calls t JOIN sessions s ON s.id = t.session_id
                    WHERE t.created_at >= ? AND t.created_at < ? GROUP BY 1, 2)
                SELECT p.model, p.tool_name, p.n, p.ok, sum(o.n), sum(o.ok)
                FROM pair p JOIN pair o ON o.tool_name = p.tool_name AND o.model <> p.model
                GROUP BY 1, 2, 3, 4""")) {
            ps.setObject(1, w.baselineFrom());
            ps.setObject(2, w.currentTo());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(3), ok = rs.getLong(4), on = rs.getLong(5), ook = rs.getLong(6);
                    if (n < s.minSample() || on < s.minSample()) continue;
                    double[] pair = Wilson.interval(ok, n, Z_PAIR);
                    double[] others = Wilson.interval(ook, on, Z_PAIR);
                    if (pair[0] <= others[1]) continue;
                    String model = rs.getString(1), tool = rs.getString(2);
                    Map<String, Object> figures = new LinkedHashMap<>();
                    figures.put("success_rate", (double) ok / n);
                    figures.put("other_models_success_rate", (double) ook / on);
                    out.add(new Finding("successful_pairing", "pattern", "info",
                            String.format("%s with %s succeeds %.1f%% of calls (other models %.1f%%)", model, tool,
                                    100.0 * ok / n, 100.0 * ook / on),
                            String.format("%d of %d calls succeeded; %d of %d with the other models (99%% intervals do not overlap).",
                                    ok, n, ook, on),
                            Map.of("model", model, "tool", tool), figures, n, on, pair[0], pair[1]));
                }
            }
        }
        return out;
    }

    /** Seed 002's low performers: tools with success rate below 0.5 over more than 10 executions in the window. */
    static List<Finding> lowPerformers(Connection c, Windows w, InsightSettings s) throws SQLException {
        List<Finding> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT tool_name, count(*), count(*) FILTER (WHERE success)
                FROM tool_executions WHERE created_at >= ? AND created_at < ? AND tool_name IS NOT NULL
                GROUP BY tool_name HAVING count(*) > 10 AND count(*) FILTER (WHERE success) < 0.5 * count(*)""")) {
            ps.setObject(1, w.currentFrom());
            ps.setObject(2, w.currentTo());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(2), ok = rs.getLong(3);
                    double[] ci = Wilson.interval(ok, n, 1.96);
                    String tool = rs.getString(1);
                    out.add(new Finding("low_performer", "recommendation", "warning",
                            String.format("Tool %s succeeds in only %.1f%% of executions", tool, 100.0 * ok / n),
                            String.format("%d of %d executions succeeded in the current window; consider deprecating or fixing it.", ok, n),
                            Map.of("tool", tool), Map.of("success_rate", (double) ok / n, "executions", n), n, null, ci[0], ci[1]));
                }
            }
        }
        return out;
    }
}

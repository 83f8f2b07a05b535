package dev.agentetl.insights;

import dev.agentetl.runtime.JobReport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** {@code insights list [--open]} and {@code insights ack ID}. */
public final class InsightsBoard {

    private final DataSource dataSource;

    public InsightsBoard(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What the list / ack commands ask. */
    public record Query(boolean openOnly, Long id) {
    }

    public JobReport list(Query q) throws SQLException {
        StringBuilder sb = new StringBuilder(String.format("%6s %-13s %-9s %-20s %-11s %s%n", "id", "status", "severity", "rule", "window", "title"));
        java.util.List<java.util.Map<String, Object>> insights = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT id, status, severity, rule, current_from::date, title FROM insights
                WHERE (NOT ? OR status = 'open')
                ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, id""")) {
            ps.setBoolean(1, q.openOnly());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sb.append(String.format("%6d %-13s %-9s %-20s %-11s %s%n", rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getObject(5), rs.getString(6)));
                    java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
                    row.put("id", rs.getLong(1));
                    row.put("status", rs.getString(2));
                    row.put("severity", rs.getString(3));
                    row.put("rule", rs.getString(4));
                    row.put("window", String.valueOf(rs.getObject(5)));
                    row.put("title", rs.getString(6));
                    insights.add(row);
                }
            }
        }
        return dev.agentetl.runtime.TextReport.read(sb.toString(), java.util.Map.of("insights", insights), insights.size());
    }

    public JobReport acknowledge(Query q) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE insights SET status = 'acknowledged', acknowledged = true, acknowledged_at = now(), updated_at = now()
                WHERE id = ? AND status = 'open' RETURNING title""")) {
            ps.setLong(1, q.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no open insight with id " + q.id());
                }
                String text = "acknowledged insight " + q.id() + ": " + rs.getString(1) + "\n";
                return dev.agentetl.runtime.TextReport.wrote(text,
                        java.util.Map.of("id", q.id(), "title", rs.getString(1), "status", "acknowledged"), 1);
            }
        }
    }
}

package dev.agentetl.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The rows PostgreSQL's planner expects a query to return ({@code EXPLAIN}, which plans without running): the
 * total of a progress bar over a query whose exact count would cost another scan. An estimate, from the
 * statistics ANALYZE keeps; 0 when it cannot be had.
 */
public final class PlannerEstimate {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlannerEstimate() {
    }

    public static long rows(Connection c, String sql, List<Object> parameters) {
        java.sql.Savepoint savepoint = null;
        try {
            // inside the job's transaction, a refused EXPLAIN must not abort it
            if (!c.getAutoCommit()) savepoint = c.setSavepoint();
            long rows = explain(c, sql, parameters);
            if (savepoint != null) c.releaseSavepoint(savepoint);
            return rows;
        } catch (SQLException | java.io.IOException e) {
            try {
                if (savepoint != null) c.rollback(savepoint);
            } catch (SQLException ignored) {
                // the connection itself is gone: the job finds out on its next statement
            }
            return 0; // only a bar's total: the work goes on without one
        }
    }

    private static long explain(Connection c, String sql, List<Object> parameters) throws SQLException, java.io.IOException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (FORMAT JSON) " + sql)) {
            for (int i = 0; i < parameters.size(); i++) ps.setObject(i + 1, parameters.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return 0;
                JsonNode plan = JSON.readTree(rs.getString(1)).path(0).path("Plan");
                return Math.max(0, plan.path("Plan Rows").asLong(0));
            }
        }
    }
}

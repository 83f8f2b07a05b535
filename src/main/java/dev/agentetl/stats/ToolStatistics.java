package dev.agentetl.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * tool_statistics is refreshed by the execution store's own update_tool_statistics(), as its app does.
 * Its releases differ: agent-etl's returns the rows it wrote, the app's returns void, and later app
 * releases turn it into a trigger function that keeps the table current by itself (then there is nothing
 * to call). Absent, the table is left as it is.
 */
final class ToolStatistics {

    private ToolStatistics() {
    }

    /** Refreshes tool_statistics; returns the rows it holds afterwards (or the function's own count). */
    static long update(Connection c) throws SQLException {
        String returns;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT prorettype::regtype::text FROM pg_proc WHERE oid = to_regproc('update_tool_statistics')");
             ResultSet rs = ps.executeQuery()) {
            returns = rs.next() ? rs.getString(1) : null;
        }
        if (returns != null && !returns.equals("trigger")) {
            try (PreparedStatement ps = c.prepareStatement("SELECT update_tool_statistics()::text"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                String n = rs.getString(1);
                if (n != null && n.matches("\\d+")) return Long.parseLong(n);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM tool_statistics"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

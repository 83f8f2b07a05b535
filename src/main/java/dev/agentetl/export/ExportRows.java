package dev.agentetl.export;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The {@code exports} row of an export while it runs: opened as running, marked failed when it does not finish. */
public final class ExportRows {

    private ExportRows() {
    }

    /** Inserts the running row and returns its id (which names the export's files). */
    public static long start(Connection c, String type, String dataset, String filtersJson, Path folder, String actor)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO exports (export_type, dataset, filters, file_path, created_by, status, started_at)
                VALUES (?, ?, ?::jsonb, ?, ?, 'running', now()) RETURNING id""")) {
            ps.setString(1, type);
            ps.setString(2, dataset);
            ps.setString(3, filtersJson);
            ps.setString(4, folder.toString());
            ps.setString(5, actor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Marks the row failed, or cancelled when the export stopped because it was asked to (SIGTERM, Ctrl-C); a
     * database error here is added to the cause rather than hiding it.
     */
    public static void fail(Connection c, long id, Exception cause) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE exports SET status = ?, finished_at = now() WHERE id = ?")) {
            ps.setString(1, dev.agentetl.runtime.Cancellation.isCancellation(cause) ? "cancelled" : "failed");
            ps.setLong(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}

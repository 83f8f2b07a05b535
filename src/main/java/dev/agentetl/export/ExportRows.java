package dev.agentetl.export;

import dev.agentetl.runtime.Cancellation;
import dev.agentetl.app.RunLiveness;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code exports} row of an export while it runs: opened as running, marked failed (or cancelled, when it was
 * asked to stop) when it does not finish.
 * While it runs, the connection exporting it holds its lock ({@link RunLiveness#EXPORT_LOCK}, id): when that
 * session is gone (the process killed, its connection cut) any other process marks the row abandoned.
 */
public final class ExportRows {

    private ExportRows() {
    }

    /**
     * Inserts the running row and returns its id (which names the export's files); the row and its lock are
     * committed together, on {@code c}, which must stay open until {@link #release}.
     */
    public static long start(Connection c, String type, String dataset, String filtersJson, Path folder, String actor)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            long id;
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
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(?, " + RunLiveness.key("?::bigint") + ")")) {
                lock.setInt(1, RunLiveness.EXPORT_LOCK);
                lock.setLong(2, id);
                lock.execute();
            }
            c.commit();
            return id;
        } catch (SQLException | RuntimeException e) {
            dev.agentetl.db.Transactions.rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The export's row is recorded as finished (or failed): its lock is released, before c goes back to the pool. */
    public static void release(Connection c, long id) {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, " + RunLiveness.key("?::bigint") + ")")) {
            ps.setInt(1, RunLiveness.EXPORT_LOCK);
            ps.setLong(2, id);
            ps.execute();
        } catch (SQLException ignored) {
            // the session is gone, and the lock with it
        }
    }

    /**
     * Marks the row failed, or cancelled when the export stopped because it was asked to (SIGTERM, Ctrl-C), with
     * why; on {@code c} or, when that connection is gone, on a new one from {@code pool}. A database error here is
     * added to the cause rather than hiding it (the row is then marked abandoned later).
     */
    public static void fail(DataSource pool, Connection c, long id, Exception cause) {
        try {
            fail(c, id, cause);
        } catch (SQLException e) {
            try (Connection other = pool.getConnection()) {
                fail(other, id, cause);
            } catch (SQLException again) {
                cause.addSuppressed(again);
            }
        }
    }

    /** Marks the row cancelled when the export stopped because it was asked to (SIGTERM, Ctrl-C), else failed; why in error. */
    private static void fail(Connection c, long id, Exception cause) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE exports SET status = ?, finished_at = now(), error = ? WHERE id = ?")) {
            ps.setString(1, Cancellation.isCancellation(cause) ? "cancelled" : "failed");
            ps.setString(2, dev.agentetl.runtime.Errors.oneLine(cause));
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }
}

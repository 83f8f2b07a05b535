package dev.agentetl.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * The safe upper bound of a time or identity watermark: now, moved back to the start of the oldest
 * transaction still open on the server. Rows such a transaction writes carry a time at or after its
 * start (columns default to now()), so a watermark below that bound never skips them.
 */
public final class OpenTransactions {

    private OpenTransactions() {
    }

    /** Read outside the caller's own transaction, before its snapshot is taken. */
    public static OffsetDateTime oldestStart(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT least(clock_timestamp(), min(xact_start)) FROM pg_stat_activity
                WHERE pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        }
    }
}

package dev.agentetl.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * Incremental exports continue from the upper bound of the last successful export of a dataset and
 * format. The bound is the export's start, moved back to the start of the oldest transaction still
 * open: rows such a transaction inserts carry a time at or after its start (the column defaults to
 * now()), so they are picked up next time instead of being skipped. Rows written with a time older
 * than the last watermark (back-dated loads) are not seen by incremental exports.
 */
final class Watermarks {

    private Watermarks() {
    }

    static OffsetDateTime last(Connection c, String dataset, String format) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT (watermark->>'value')::timestamptz FROM export_watermarks WHERE dataset = ? AND format = ?")) {
            ps.setString(1, dataset);
            ps.setString(2, format);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
            }
        }
    }

    static void save(Connection c, String dataset, String format, String column, OffsetDateTime value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO export_watermarks (dataset, format, watermark, updated_at)
                VALUES (?, ?, jsonb_build_object('column', ?::text, 'value', ?::timestamptz), now())
                ON CONFLICT (dataset, format) DO UPDATE SET watermark = EXCLUDED.watermark, updated_at = now()""")) {
            ps.setString(1, dataset);
            ps.setString(2, format);
            ps.setString(3, column);
            ps.setObject(4, value);
            ps.executeUpdate();
        }
    }
}

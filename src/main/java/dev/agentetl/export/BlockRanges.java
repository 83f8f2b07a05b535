package dev.agentetl.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a table into block ranges (ctid ranges, read by PostgreSQL's TID range scan) so that several
 * connections can export it at once, each on its own server process. Only plain tables of at least the
 * configured size are split; views, queries and small tables are one slice.
 * <p>
 * The ranges cover the table's blocks when the snapshot is taken; the last range is open-ended, so a row
 * the snapshot sees can never fall outside every range (visible rows are in blocks that already exist).
 */
final class BlockRanges {

    private BlockRanges() {
    }

    /** One slice's extra condition (our own text: block numbers only); a single null for "the whole table". */
    static List<String> of(Connection c, Dataset dataset, int connections, long minBytes) throws SQLException {
        List<String> whole = java.util.Collections.singletonList(null);
        if (dataset == null || connections < 2) return whole;
        // before PostgreSQL 14 there is no TID range scan: every slice would read the whole table
        if (c.getMetaData().getDatabaseMajorVersion() < 14) return whole;
        long size, blockSize;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT r.relkind::text, pg_relation_size(r.oid), current_setting('block_size')::bigint
                FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ? AND r.relname = ?""")) {
            ps.setString(1, dataset.schema());
            ps.setString(2, dataset.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !"r".equals(rs.getString(1))) return whole;
                size = rs.getLong(2);
                blockSize = rs.getLong(3);
            }
        }
        long blocks = size / blockSize;
        if (size < minBytes || blocks < connections) return whole;
        long per = (blocks + connections - 1) / connections;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            long from = i * per, to = (i + 1) * per;
            if (i == 0) out.add("ctid < '(" + to + ",0)'::tid");
            else if (i == connections - 1) out.add("ctid >= '(" + from + ",0)'::tid");
            else out.add("ctid >= '(" + from + ",0)'::tid AND ctid < '(" + to + ",0)'::tid");
        }
        return out;
    }
}

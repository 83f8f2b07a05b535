package dev.agentetl.consolidate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reconciliation of one source table: rows read, rejected (by reason), accepted; per target the rows
 * expected (accepted × fan-out), present (by lineage, from any run), written by this run, and skipped
 * because an earlier run had written them. It reconciles when every target holds exactly what is expected.
 */
final class Reconciliation {

    record Target(String table, int perRow, long expected, long present, long written) {
    }

    record Result(String file, String table, String layout, long read, long rejected, Map<String, Long> rejectedByReason,
                  long skipped, List<Target> targets, List<String> missingKeys) {

        @com.fasterxml.jackson.annotation.JsonProperty // in --json, as the report prints it
        boolean reconciled() {
            return targets.stream().allMatch(t -> t.present() == t.expected());
        }

        @com.fasterxml.jackson.annotation.JsonProperty // in --json, as the report prints it
        long written() {
            return targets.stream().mapToLong(Target::written).sum();
        }

        @com.fasterxml.jackson.annotation.JsonProperty // in --json, as the report prints it
        long expected() {
            return targets.stream().mapToLong(Target::expected).sum();
        }
    }

    private Reconciliation() {
    }

    /** {@code notStaged}: rows read but not staged (their storage class did not fit), already counted as rejects. */
    static Result compute(Connection pg, long runId, LegacySource.Found found, long notStaged) throws SQLException {
        String table = found.lineage();
        long staged = count(pg, "SELECT count(*) FROM " + LegacySource.staged(found.table()));
        Map<String, Long> byReason = new TreeMap<>();
        long rejected;
        try (PreparedStatement ps = pg.prepareStatement(
                "SELECT reason, count(*) FROM consolidation_rejects WHERE run_id = ? AND source_table = ? GROUP BY reason")) {
            ps.setLong(1, runId);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) byReason.put(rs.getString(1), rs.getLong(2));
            }
        }
        try (PreparedStatement ps = pg.prepareStatement(
                "SELECT count(DISTINCT source_key) FROM consolidation_rejects WHERE run_id = ? AND source_table = ?")) {
            ps.setLong(1, runId);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                rejected = rs.getLong(1);
            }
        }
        long read = staged + notStaged;
        long accepted = read - rejected;
        List<Target> targets = new ArrayList<>();
        long skippedRows = 0;
        for (Map.Entry<String, Integer> e : found.layout().fanOut().entrySet()) {
            long present;
            long written;
            try (PreparedStatement ps = pg.prepareStatement("SELECT count(*), count(*) FILTER (WHERE run_id = ?) FROM "
                    + e.getKey() + " WHERE source_table = ?")) {
                ps.setLong(1, runId);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    present = rs.getLong(1);
                    written = rs.getLong(2);
                }
            }
            targets.add(new Target(e.getKey(), e.getValue(), accepted * e.getValue(), present, written));
            skippedRows = Math.max(skippedRows, (present - written) / e.getValue());
        }
        Result r = new Result(found.file(), found.table(), found.layout().layout(), read, rejected, byReason, skippedRows, targets, List.of());
        if (!r.reconciled()) {
            r = new Result(r.file(), r.table(), r.layout(), r.read(), r.rejected(), r.rejectedByReason(), r.skipped(), r.targets(),
                    missingKeys(pg, runId, found));
        }
        return r;
    }

    /** Up to 20 accepted source rows whose target rows are missing (or too many). */
    static List<String> missingKeys(Connection pg, long runId, LegacySource.Found found) throws SQLException {
        StringBuilder present = new StringBuilder("0");
        for (String target : found.layout().fanOut().keySet()) {
            present.append(" + (SELECT count(*) FROM ").append(target).append(" x WHERE x.source_table = ? AND x.source_key = s._source_key)");
        }
        String sql = "SELECT s._source_key FROM " + LegacySource.staged(found.table()) + " s WHERE NOT EXISTS "
                + "(SELECT 1 FROM consolidation_rejects r WHERE r.run_id = ? AND r.source_table = ? AND r.source_key = s._source_key) AND "
                + present + " <> ? ORDER BY s._rowid NULLS LAST, s._source_key LIMIT 20";
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = pg.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, runId);
            ps.setString(i++, found.lineage());
            for (int k = 0; k < found.layout().fanOut().size(); k++) ps.setString(i++, found.lineage());
            ps.setInt(i, found.layout().rowsPerSourceRow());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    static long count(Connection pg, String sql) throws SQLException {
        try (PreparedStatement ps = pg.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

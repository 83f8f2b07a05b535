package dev.agentetl.consolidate;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One legacy table, inside one transaction: stage it, reject what cannot be converted (with the reason),
 * register its learners, transform it by SQL into its targets, and reconcile: every accepted source row
 * must be present in its targets as often as its fan-out says.
 */
final class TableConsolidation {

    private final Stager stager = new Stager();
    private final long bulkMinRows;

    long bulkMinRows() {
        return bulkMinRows;
    }

    /** @param bulkMinRows rows an insert must bring before its target's indexes are set aside ({@link BulkLoad}); 0: never */
    TableConsolidation(long bulkMinRows) {
        this.bulkMinRows = bulkMinRows;
    }

    /** Time spent per phase over every table this instance consolidated, in the order the phases run. */
    private final long[] phaseNanos = new long[PHASES.length];
    private static final String[] PHASES = {"stage", "validate", "learners", "transform", "reconcile"};

    /** @param setAside targets whose indexes and keys the caller has set aside for several tables (no plan of their own) */
    Reconciliation.Result run(Connection pg, long runId, LegacySource source, LegacySource.Found found, String zone,
                              java.util.Set<String> setAside) throws SQLException, IOException {
        LegacyTable t = found.layout();
        long t0 = System.nanoTime();
        Stager.Staged staged = stager.stage(pg, source, found);
        String lineage = found.lineage();
        recordStagingRejects(pg, runId, lineage, staged.rejects());
        String stagedName = LegacySource.staged(found.table());
        t0 = lap(0, t0);
        exec(pg, validationRejects(t, lineage, stagedName, runId, zone));
        t0 = lap(1, t0);
        String filtered = "(SELECT * FROM " + stagedName + " v WHERE NOT EXISTS (SELECT 1 FROM consolidation_rejects r"
                + " WHERE r.run_id = " + runId + " AND r.source_table = " + Transforms.literal(lineage)
                + " AND r.source_key = v._source_key))";
        registerLearners(pg, t, lineage, filtered, runId);
        t0 = lap(2, t0);
        for (String sql : Transforms.forTable(t, lineage, filtered, runId, zone)) {
            String target = Transforms.target(sql);
            boolean plain = Transforms.lineageKeyedTarget(sql) != null && holdsNothingFrom(pg, target, lineage);
            String insert = plain ? Transforms.withoutConflictClause(sql) : sql;
            long incoming = staged.staged() * t.fanOut().getOrDefault(target, 1);
            BulkLoad.Plan plan = setAside.contains(target) ? BulkLoad.Plan.NONE : BulkLoad.plan(pg, target, incoming, bulkMinRows);
            if (plan == BulkLoad.Plan.NONE) {
                exec(pg, insert);
            } else {
                BulkLoad bulk = BulkLoad.setAside(pg, target, plan, !plain);
                exec(pg, insert);
                bulk.putBack(pg);
            }
        }
        t0 = lap(3, t0);
        Reconciliation.Result result = Reconciliation.compute(pg, runId, found, staged.read() - staged.staged());
        lap(4, t0);
        return result;
    }

    private long lap(int phase, long since) {
        long now = System.nanoTime();
        phaseNanos[phase] += now - since;
        return now;
    }

    /** Milliseconds per phase so far (stage, validate, learners, transform, reconcile). */
    java.util.Map<String, Long> phaseMillis() {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < PHASES.length; i++) out.put(PHASES[i], phaseNanos[i] / 1_000_000);
        return out;
    }

    /** Rows whose values cannot become their target types: bad JSON, unparsable times, NULL keys, out-of-range days. */
    static String validationRejects(LegacyTable t, String table, String staged, long runId, String zone) {
        List<Check> checks = new ArrayList<>();
        for (String key : t.keyColumns()) {
            checks.add(check("null_key:" + key, q(key) + " IS NULL", "NULL"));
        }
        for (String c : t.jsonColumns()) {
            checks.add(check("invalid_json:" + c, q(c) + " IS NOT NULL AND NOT legacy_is_json(" + q(c) + ")", q(c)));
        }
        for (String c : t.localTimeColumns()) {
            checks.add(check("invalid_time:" + c, q(c) + " IS NOT NULL AND NOT legacy_is_time(" + q(c) + ")", q(c)));
        }
        for (String c : t.julianDayColumns()) {
            checks.add(check("invalid_julian_day:" + c, q(c) + " IS NOT NULL AND NOT " + q(c) + " BETWEEN 1721425.5 AND 5373484", q(c) + "::text"));
        }
        for (String c : t.epochColumns()) {
            checks.add(check("invalid_epoch:" + c, q(c) + " IS NOT NULL AND NOT " + q(c) + " BETWEEN -62135596800 AND 253402300799", q(c) + "::text"));
        }
        String from = " FROM " + staged;
        StringBuilder sql = new StringBuilder("INSERT INTO consolidation_rejects (run_id, source_table, source_key, reason, detail)\n");
        if (checks.isEmpty()) {
            return null;
        }
        // one scan of the staged table, however many checks, and only of the rows the client's checks did not
        // vouch for while staging (_checked); the checks filter first, so the reasons and details are only
        // spelled out for the few rows that fail (most tables have none)
        List<String> conditions = checks.stream().map(c -> c.condition).toList();
        List<String> rows = checks.stream().map(c -> c.row).toList();
        sql.append("SELECT ").append(runId).append(", ").append(Transforms.literal(table)).append(", _source_key, x.reason, x.detail")
                .append(" FROM (SELECT * ").append(from).append(" s WHERE NOT s._checked AND (").append(String.join(" OR ", conditions)).append(")")
                .append(") s CROSS JOIN LATERAL (VALUES ").append(String.join(", ", rows))
                .append(") x (reason, failed, detail) WHERE x.failed ON CONFLICT DO NOTHING");
        return sql.toString();
    }

    /** One validation: the condition a failing row meets, and its row of (reason, failed, detail). */
    private record Check(String condition, String row) {
    }

    private static Check check(String reason, String condition, String detail) {
        String failed = "COALESCE(" + condition + ", false)";
        return new Check(failed, "(" + Transforms.literal(reason) + ", " + failed + ", left(" + detail + ", 200))");
    }

    private static String q(String column) {
        return "s." + LegacySource.quote(column);
    }

    private static void recordStagingRejects(Connection pg, long runId, String table, List<Stager.Reject> rejects) throws SQLException {
        if (rejects.isEmpty()) return;
        try (PreparedStatement ps = pg.prepareStatement("""
                INSERT INTO consolidation_rejects (run_id, source_table, source_key, reason, detail)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (Stager.Reject r : rejects) {
                ps.setLong(1, runId);
                ps.setString(2, table);
                ps.setString(3, r.sourceKey());
                ps.setString(4, r.reason());
                ps.setString(5, r.detail());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Every learner the table's rows belong to, before the rows that refer to it. */
    private static void registerLearners(Connection pg, LegacyTable t, String table, String filtered, long runId) throws SQLException {
        String select;
        if (t.learner() != null) {
            select = "SELECT " + Transforms.literal(t.learner());
        } else if (t.learnerColumn() != null) {
            select = "SELECT DISTINCT s." + LegacySource.quote(t.learnerColumn()) + " FROM " + filtered + " s WHERE s."
                    + LegacySource.quote(t.learnerColumn()) + " IS NOT NULL";
        } else {
            return;
        }
        exec(pg, "INSERT INTO rl_learner (id, name, type, source_table, source_key, run_id) SELECT l.id, l.id, legacy_learner_type(l.id), "
                + Transforms.literal(table) + ", l.id, " + runId + " FROM (" + select + ") l (id) ON CONFLICT DO NOTHING");
    }

    /** Whether the target has no row from this source table yet (its first consolidation). */
    static boolean holdsNothingFrom(Connection pg, String target, String lineage) throws SQLException {
        try (PreparedStatement ps = pg.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM " + target + " WHERE source_table = ?)")) {
            ps.setString(1, lineage);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void exec(Connection pg, String sql) throws SQLException {
        if (sql == null) return;
        try (Statement st = pg.createStatement()) {
            st.execute(sql);
        }
    }
}

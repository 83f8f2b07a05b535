package dev.agentetl.consolidate;

import dev.agentetl.progress.Progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.db.Transactions;
import dev.agentetl.runtime.Errors;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code consolidate} job: legacy learner tables into the unified rl_* / agent_* / ui_* / sys_* tables.
 * Each table is staged, transformed and reconciled in one transaction that also records its checkpoint
 * (tables sharing one lineage-keyed target: one transaction, a savepoint each, see {@link TargetGroups}),
 * so a run that stops between tables resumes where it stopped, and a table that fails leaves nothing. Its steps
 * are those of routes/consolidate.camel.yaml; a run's state travels between them in a {@link ConsolidateRun}.
 */
public final class Consolidator {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Called after each table's transaction commits; a test uses it to stop a run between tables. */
    interface AfterTable {
        void committed(String table);
    }

    private final DataSource dataSource;
    private final String defaultZone;
    private final long bulkMinRows;
    private AfterTable afterTable = t -> { };

    public Consolidator(DataSource dataSource, ConsolidateSettings settings) {
        this.dataSource = dataSource;
        this.defaultZone = settings.defaultZone();
        this.bulkMinRows = settings.bulkMinRows();
    }

    /**
     * A bulk load drops and rebuilds the targets' indexes and foreign keys: only on tables agent-etl created.
     * A learning store an application created (adopted by migrate) is inserted into with everything in place.
     */
    private boolean ownsTargets() {
        return ownsTargets.getAsBoolean();
    }

    private java.util.function.BooleanSupplier ownsTargets = () -> false;

    /** Whether agent-etl created the learning group where it is configured (bulk loads only then). */
    public Consolidator ownsTargetsWhen(java.util.function.BooleanSupplier owns) {
        this.ownsTargets = owns;
        return this;
    }

    void afterTable(AfterTable hook) {
        this.afterTable = hook;
    }

    // ---- The steps of routes/consolidate.camel.yaml, in their order. Each takes the run's state (ConsolidateRun)
    // ---- from the exchange.

    /** Validate the request: the source time zone is known. */
    public ConsolidateRun validate(ConsolidateRequest request) {
        String zone = request.sourceTimeZone() == null || request.sourceTimeZone().isBlank() ? defaultZone : request.sourceTimeZone();
        if (!request.verifyOnly()) {
            try {
                ZoneId.of(zone);
            } catch (Exception e) {
                throw new IllegalArgumentException("--source-time-zone: unknown time zone '" + zone + "'");
            }
        }
        return new ConsolidateRun(request, zone);
    }

    /** Verify an earlier run, reading only (--verify). */
    public ConsolidationReport verify(ConsolidateRun run) throws SQLException {
        run.report = verify(run.request.runId(), false);
        return run.report;
    }

    /** Probe the source: its legacy tables, each in the layout it has; a table found twice is refused. */
    public void probe(ConsolidateRun run) throws Exception {
        run.source = LegacySource.parse(run.request.from(), dataSource);
        run.probe = run.source.probe();
        checkNoDuplicates(run.probe);
    }

    /** What a run would do (--dry-run): each table, its layout, rows and targets. */
    public ConsolidationReport plan(ConsolidateRun run) throws SQLException {
        run.report = plan(run.source, run.probe, run.zone);
        return run.report;
    }

    /** One consolidation of a database at a time: a session lock, held to the end of the run. */
    public void lock(ConsolidateRun run) throws SQLException {
        run.lock = dataSource.getConnection();
        try (PreparedStatement ps = run.lock.prepareStatement("SELECT pg_try_advisory_lock(hashtext('agent-etl consolidate'))");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new IllegalStateException("another consolidate is running on this database");
            }
        }
    }

    /**
     * Open the run: the earlier run of this source that stopped part-way is resumed (its reconciled tables kept), or
     * a new one recorded; the tables still to do grouped into units (a table, or those sharing one target).
     */
    public void openRun(ConsolidateRun run) throws Exception {
        LegacySource source = run.source;
        run.problems = new ArrayList<>(run.probe.problems());
        try (Connection c = dataSource.getConnection()) {
            Long resumable = resumable(c, source.describe());
            if (resumable != null) {
                run.runId = resumable;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT source_table FROM consolidation_tables WHERE run_id = ? AND status = 'reconciled'")) {
                    ps.setLong(1, run.runId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) run.done.add(rs.getString(1));
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE consolidation_runs SET status = 'running', error = NULL WHERE id = ?")) {
                    ps.setLong(1, run.runId);
                    ps.executeUpdate();
                }
                run.notes.add("resumed run " + run.runId + ": " + run.done.size() + " table(s) were done before it stopped");
            } else {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO consolidation_runs (source, options) VALUES (?, ?::jsonb) RETURNING id")) {
                    ps.setString(1, source.describe());
                    ps.setString(2, JSON.writeValueAsString(Map.of("source_time_zone", run.zone)));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        run.runId = rs.getLong(1);
                    }
                }
            }
        }
        run.job = new TableConsolidation(ownsTargets() ? bulkMinRows : 0);
        List<LegacySource.Found> pending = new ArrayList<>();
        for (LegacySource.Found f : run.probe.tables()) {
            if (run.done.contains(f.table())) {
                try (Connection c = dataSource.getConnection()) {
                    run.results.add(Reconciliation.compute(c, run.runId, f, stagingRejects(c, run.runId, f.lineage())));
                }
            } else {
                pending.add(f);
            }
        }
        run.units = TargetGroups.units(pending);
        // rows read from the legacy tables, a table at a time, out of their row counts
        long total = 0;
        for (LegacySource.Found f : pending) total += sourceRows(source, f);
        run.progress = Progress.start("consolidate", "rows", total);
    }

    /**
     * Consolidate unit {@code index}: each table staged (copied as it is into schema legacy), transformed by SQL into
     * its targets and reconciled to the row, in one transaction with its checkpoint (see {@link #runUnit}).
     */
    public void consolidateUnit(ConsolidateRun run, int index) throws Exception {
        TargetGroups.Unit unit = run.units.get(index);
        run.progress.note(unit.tables().stream().map(LegacySource.Found::table).collect(java.util.stream.Collectors.joining(", ")));
        int before = run.results.size();
        runUnit(run.job, run.runId, run.source, unit, run.zone, run.results, run.problems);
        long read = 0;
        for (Reconciliation.Result r : run.results.subList(before, run.results.size())) read += r.read();
        run.progress.step(read);
    }

    /** Finish the run: its status (failed with the problems found, if any) and the learners it holds. */
    public void finish(ConsolidateRun run) throws Exception {
        run.progress.close();
        run.progress = null;
        // the report lists tables as the source holds them, whatever order they were done in
        List<String> order = run.probe.tables().stream().map(LegacySource.Found::label).toList();
        run.results.sort(java.util.Comparator.comparingInt(r -> order.indexOf(r.file() + ":" + r.table())));
        if (!run.probe.ignored().isEmpty()) {
            run.notes.add("not learner tables, left alone: " + String.join(", ", run.probe.ignored()));
        }
        long learners;
        try (Connection c = dataSource.getConnection()) {
            learners = Reconciliation.count(c, "SELECT count(*) FROM rl_learner");
            long rejects = run.results.stream().mapToLong(Reconciliation.Result::rejected).sum();
            if (rejects > 0) {
                run.problems.add(rejects + " row(s) rejected, listed with their reasons in consolidation_rejects (run_id = " + run.runId + ")");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE consolidation_runs SET status = ?, finished_at = now(), error = ? WHERE id = ?")) {
                ps.setString(1, run.problems.isEmpty() ? "succeeded" : "failed");
                ps.setString(2, run.problems.isEmpty() ? null : String.join("; ", run.problems));
                ps.setLong(3, run.runId);
                ps.executeUpdate();
            }
        }
        run.notes.add("rl_learner: " + learners + " learner(s)");
    }

    /** With --drop-legacy and no problem: the run verified again, then the legacy tables and staged copies dropped. */
    public void dropLegacy(ConsolidateRun run) throws Exception {
        if (!run.request.dropLegacy()) return;
        if (!run.problems.isEmpty()) {
            run.notes.add("legacy tables kept: --drop-legacy needs a run without problems");
            return;
        }
        ConsolidationReport verified = verify(run.runId, true);
        if (!verified.problems().isEmpty()) {
            run.problems.addAll(verified.problems());
        } else {
            drop(run.source, run.probe, run.runId);
            run.notes.add("verified, then dropped the legacy tables: "
                    + (run.source instanceof LegacySource.Postgres ? "the originals in " + run.source.describe() + " and " : "")
                    + "the staged copies (legacy_<table> in agent-etl's schema)");
        }
    }

    /** The run's report: each table reconciled (or not), notes and problems, phase timings. */
    public ConsolidationReport report(ConsolidateRun run) {
        String title = "consolidate " + run.source.describe() + " (run " + run.runId + ", source time zone " + run.zone + ")";
        run.report = new ConsolidationReport(title, run.results, List.of(), run.notes, run.problems, run.job.phaseMillis());
        return run.report;
    }

    /** Whatever happened: the progress bar ended and the lock's connection closed (which releases the lock). */
    public void release(ConsolidateRun run) throws SQLException {
        if (run == null) return;
        try (Connection lock = run.lock) {
            if (run.progress != null) run.progress.close();
        }
    }

    /**
     * One unit of {@link TargetGroups} in one transaction, a savepoint per table: a table that fails or does not
     * reconcile is rolled back to its savepoint and leaves nothing, the others are kept (for a unit of one table,
     * that is its own transaction). When the tables of a unit sharing a target make a bulk load together, the
     * target's indexes and keys are set aside before the first table and put back after the last; should that
     * fail, nothing of the unit is kept.
     */
    private void runUnit(TableConsolidation job, long runId, LegacySource source, TargetGroups.Unit unit, String zone,
                         List<Reconciliation.Result> results, List<String> problems) throws Exception {
        List<Reconciliation.Result> reconciled = new ArrayList<>();
        List<Reconciliation.Result> unreconciled = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                BulkLoad aside = unit.target() == null ? null : setAsideForUnit(c, job, source, unit);
                Set<String> setAside = aside == null ? Set.of() : Set.of(unit.target());
                for (LegacySource.Found f : unit.tables()) {
                    java.sql.Savepoint savepoint = c.setSavepoint();
                    try {
                        Reconciliation.Result r = job.run(c, runId, source, f, zone, setAside);
                        if (r.reconciled()) {
                            checkpoint(c, runId, f, r, "reconciled");
                            c.releaseSavepoint(savepoint);
                            reconciled.add(r);
                        } else {
                            // nothing of a table that does not reconcile is kept; its figures and missing rows are
                            c.rollback(savepoint);
                            checkpoint(c, runId, f, r, "failed");
                            unreconciled.add(r);
                            failures.add(f.label() + ": does not reconcile: " + describeMismatch(r));
                        }
                    } catch (Exception e) {
                        try {
                            c.rollback(savepoint);
                        } catch (SQLException broken) {
                            // the connection itself failed: the whole unit goes, reported with the table's own error
                            e.addSuppressed(broken);
                            throw e;
                        }
                        failures.add(f.label() + ": " + Errors.oneLine(e) + " (nothing written for this table)");
                    }
                }
                if (aside != null) {
                    aside.putBack(c);
                }
                c.commit();
            } catch (Exception e) {
                Transactions.rollbackQuietly(c, e);
                for (LegacySource.Found f : unit.tables()) {
                    problems.add(f.label() + ": " + Errors.oneLine(e) + " (nothing written for this table)");
                }
                return;
            }
        }
        results.addAll(reconciled);
        results.addAll(unreconciled);
        problems.addAll(failures);
        for (Reconciliation.Result r : reconciled) {
            afterTable.committed(r.table());
        }
    }

    /** The shared target's indexes and keys set aside for the whole unit, when its rows together make a bulk load; else null. */
    private static BulkLoad setAsideForUnit(Connection c, TableConsolidation job, LegacySource source, TargetGroups.Unit unit)
            throws SQLException {
        long incoming = 0;
        boolean firstLoads = true;
        for (LegacySource.Found f : unit.tables()) {
            try {
                incoming += sourceRows(source, f);
            } catch (SQLException unreadable) {
                // counted as empty here; staging the table will say why it cannot be read
            }
            firstLoads &= TableConsolidation.holdsNothingFrom(c, unit.target(), f.lineage());
        }
        BulkLoad.Plan plan = BulkLoad.plan(c, unit.target(), incoming, job.bulkMinRows());
        // only first loads go in without ON CONFLICT; re-runs need the unique indexes as arbiters
        return plan == BulkLoad.Plan.NONE ? null : BulkLoad.setAside(c, unit.target(), plan, !firstLoads);
    }

    /** The source table's row count. */
    private static long sourceRows(LegacySource source, LegacySource.Found f) throws SQLException {
        try (Connection c = source.open(f);
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM (" + source.selectAll(f, List.of()) + ") x");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Raised by the after-table hook to stop a run the way a kill would. */
    static final class StopRequested extends RuntimeException {
        StopRequested(String message) {
            super(message);
        }
    }

    private static String describeMismatch(Reconciliation.Result r) {
        StringBuilder sb = new StringBuilder();
        for (Reconciliation.Target t : r.targets()) {
            if (t.present() != t.expected()) {
                sb.append(t.table()).append(" has ").append(t.present()).append(" row(s), expected ").append(t.expected()).append("; ");
            }
        }
        sb.append("source rows without their target rows: ").append(r.missingKeys().isEmpty() ? "(none found; rows deleted from the source?)"
                : String.join(", ", r.missingKeys()));
        return sb.toString();
    }

    private static long stagingRejects(Connection c, long runId, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(DISTINCT source_key) FROM consolidation_rejects WHERE run_id = ? AND source_table = ? AND reason LIKE 'wrong_type:%'")) {
            ps.setLong(1, runId);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Long resumable(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, status FROM consolidation_runs WHERE source = ? AND NOT dry_run ORDER BY id DESC LIMIT 1""")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(2).equals("running")) {
                    return rs.getLong(1);
                }
                return null;
            }
        }
    }

    private static void checkpoint(Connection c, long runId, LegacySource.Found f, Reconciliation.Result r, String status) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO consolidation_tables (run_id, source_table, source_file, layout, target_tables, rows_read, rows_written,
                    rows_expected, rows_rejected, rows_skipped, rejected_by_reason, status, missing_keys, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, now())
                ON CONFLICT (run_id, source_table) DO UPDATE SET source_file = EXCLUDED.source_file, layout = EXCLUDED.layout,
                    target_tables = EXCLUDED.target_tables, rows_read = EXCLUDED.rows_read, rows_written = EXCLUDED.rows_written,
                    rows_expected = EXCLUDED.rows_expected, rows_rejected = EXCLUDED.rows_rejected, rows_skipped = EXCLUDED.rows_skipped,
                    rejected_by_reason = EXCLUDED.rejected_by_reason, status = EXCLUDED.status, missing_keys = EXCLUDED.missing_keys,
                    updated_at = now()""")) {
            ps.setLong(1, runId);
            ps.setString(2, f.table());
            ps.setString(3, f.origin());
            ps.setString(4, r.layout());
            ps.setArray(5, c.createArrayOf("text", f.layout().fanOut().keySet().toArray()));
            ps.setLong(6, r.read());
            ps.setLong(7, status.equals("reconciled") ? r.written() : 0);
            ps.setLong(8, r.expected());
            ps.setLong(9, r.rejected());
            ps.setLong(10, r.skipped());
            ps.setString(11, JSON.writeValueAsString(r.rejectedByReason()));
            ps.setString(12, status);
            ps.setArray(13, c.createArrayOf("text", r.missingKeys().toArray()));
            ps.executeUpdate();
        }
    }

    private static void checkNoDuplicates(LegacySource.Probe probe) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (LegacySource.Found f : probe.tables()) {
            String before = seen.putIfAbsent(f.table(), f.file());
            if (before != null) {
                throw new IllegalArgumentException("table " + f.table() + " is in both " + before + " and " + f.file()
                        + "; consolidate them one at a time (--from sqlite:FILE)");
            }
        }
    }

    /** The dry run: what is there and what it would become; writes nothing. */
    private ConsolidationReport plan(LegacySource source, LegacySource.Probe probe, String zone) throws SQLException {
        List<ConsolidationReport.PlanRow> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>(probe.problems());
        for (LegacySource.Found f : probe.tables()) {
            try {
                long n = sourceRows(source, f);
                Map<String, Long> targets = new LinkedHashMap<>();
                f.layout().fanOut().forEach((t, k) -> targets.put(t, n * k));
                rows.add(new ConsolidationReport.PlanRow(f.file(), f.table(), f.layout().layout(), n, targets));
            } catch (SQLException e) {
                problems.add(f.label() + ": cannot read: " + LegacySource.sqliteReason(e));
            }
        }
        List<String> notes = new ArrayList<>();
        if (!probe.ignored().isEmpty()) notes.add("not learner tables, left alone: " + String.join(", ", probe.ignored()));
        notes.add("dry run: nothing was written");
        return new ConsolidationReport("consolidate " + source.describe() + " --dry-run (source time zone " + zone + ")",
                List.of(), rows, notes, problems, Map.of());
    }

    /**
     * Recomputes the reconciliation of a finished run from the staged tables and the targets' lineage,
     * without writing anything.
     */
    ConsolidationReport verify(Long runId, boolean quiet) throws SQLException {
        List<Reconciliation.Result> results = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String source;
        long id;
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(runId == null
                    ? "SELECT id, source, status FROM consolidation_runs WHERE NOT dry_run ORDER BY id DESC LIMIT 1"
                    : "SELECT id, source, status FROM consolidation_runs WHERE id = ?")) {
                if (runId != null) ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException(runId == null ? "no consolidation run to verify" : "no consolidation run " + runId);
                    }
                    id = rs.getLong(1);
                    source = rs.getString(2);
                }
            }
            List<LegacySource.Found> tables = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT source_table, source_file, layout FROM consolidation_tables WHERE run_id = ? ORDER BY source_file, source_table")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String table = rs.getString(1);
                        String layout = rs.getString(3);
                        LegacyTable def = LegacyCatalog.all().stream()
                                .filter(t -> t.name().equals(table) && t.layout().equals(layout)).findFirst().orElseThrow();
                        tables.add(new LegacySource.Found(rs.getString(2), rs.getString(2), table, Map.of(), def));
                    }
                }
            }
            for (LegacySource.Found f : tables) {
                if (Reconciliation.count(c, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = "
                        + Transforms.literal("legacy_" + f.table())) == 0) {
                    problems.add(f.label() + ": the staged copy legacy_" + f.table() + " is gone (dropped after verification?)");
                    continue;
                }
                Reconciliation.Result r = Reconciliation.compute(c, id, f, stagingRejects(c, id, f.lineage()));
                results.add(r);
                if (!r.reconciled()) problems.add(f.label() + ": does not reconcile: " + describeMismatch(r));
            }
        }
        return new ConsolidationReport("verify consolidation run " + id + " of " + source + (quiet ? "" : " (read only)"),
                results, List.of(), List.of(problems.isEmpty() ? "every table reconciles" : "verification failed"), problems, Map.of());
    }

    private void drop(LegacySource source, LegacySource.Probe probe, long runId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var st = c.createStatement()) {
                for (LegacySource.Found f : probe.tables()) {
                    st.execute("DROP TABLE IF EXISTS " + LegacySource.staged(f.table()));
                }
                source.dropOriginals(c, probe.tables());
                st.execute("UPDATE consolidation_runs SET legacy_dropped_at = now() WHERE id = " + runId);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }
}

package dev.agentetl.ingest;

import dev.agentetl.progress.Progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.db.GroupContract;
import dev.agentetl.db.Group;
import dev.agentetl.db.SqliteFiles;
import dev.agentetl.db.Transactions;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ingest} job's steps (routes/ingest.camel.yaml): VibeAgent's SQLite store into the interactions group. The file is read with
 * SQLite's own driver, read-only, in one read transaction (a consistent snapshot while the agent keeps
 * writing; a writer holding the file is waited for, then reported). The whole run is one PostgreSQL
 * transaction: all of it or nothing, rejected rows named with their reason and the rest kept. The state of a run
 * travels between the steps in an {@link IngestRun}; this bean holds none.
 */
public final class Ingester {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Ingester.class);

    private final DataSource dataSource;
    private final String defaultZone;
    private final int busyMillis;

    private final Path configuredStore;

    private final long bulkMinRows;
    private java.util.function.BooleanSupplier ownsTargets = () -> false;

    public Ingester(DataSource dataSource, IngestSettings settings) {
        this.dataSource = dataSource;
        this.defaultZone = settings.defaultZone();
        this.busyMillis = settings.busyMillis();
        this.configuredStore = settings.store();
        this.bulkMinRows = settings.bulkMinRows();
    }

    /**
     * Whether agent-etl created the interactions group where it is configured: only then are a big load's indexes
     * and foreign keys set aside and rebuilt ({@code BulkLoad}); tables an application created keep theirs.
     */
    public Ingester ownsTargetsWhen(java.util.function.BooleanSupplier owns) {
        this.ownsTargets = owns;
        return this;
    }

    // ---- The steps of routes/ingest.camel.yaml, in their order. Each takes the run's state (IngestRun) from the
    // ---- exchange; from opening the store to the record they are one unit (route ingest-steps), one transaction.

    /** Validate the request: the store is a SQLite file and the zone is known, before anything is read. No request (a
     * scheduled run): the configured store, incrementally. */
    public IngestRun.Plan validate(IngestRequest request) throws Exception {
        if (request == null) request = new IngestRequest("sqlite:" + configuredStore, null, false, false);
        long started = System.nanoTime();
        Path file = storePath(request.from());
        String zone = request.sourceTimeZone() != null ? request.sourceTimeZone() : defaultZone;
        java.time.ZoneId.of(zone); // an unknown zone is refused before anything is read
        return new IngestRun.Plan(request, file, zone, file.toRealPath().toString(), started);
    }

    /** A new attempt of the ingest: its state, holding nothing yet. */
    public IngestRun begin(IngestRun.Plan plan) {
        return new IngestRun(plan);
    }

    /** Open the store's snapshot: read-only, one read transaction (a writer holding the file is waited for). */
    public void openStore(IngestRun run) throws Exception {
        run.snapshot = StoreSnapshot.of(run.plan.file(), busyMillis);
        run.src = run.snapshot.connection();
        lap(run, "snapshot");
    }

    /** Check the tables: the seed's tables the store has, each with the seed's columns; the others noted. */
    public void checkTables(IngestRun run) throws SQLException {
        run.present = tables(run.src);
        run.found = new ArrayList<>(probe(run.src, run.plan.file(), run.present).entrySet());
        lap(run, "schema");
        List<String> renamed = run.found.stream().map(Map.Entry::getKey).filter(t -> !t.inGroup()).map(StoreTable::name).toList();
        if (!renamed.isEmpty()) {
            run.notes.add(String.join(", ", renamed) + " ingested into vibeagent_<table> in agent-etl's schema (these names are taken here)");
        }
    }

    /**
     * Open the transaction: one ingest of a store at a time (a transaction lock), the ingest_runs row, the store's
     * id and zone for the staging SQL; the key map is read on a connection of its own, ids resolved on a third.
     */
    public void openTransaction(IngestRun run) throws Exception {
        // asked before the run's three connections are taken: the answer takes one of the pool's for a moment, and a
        // run holding three while it waits for a fourth could wait on another run doing the same
        run.owns = ownsTargets.getAsBoolean();
        run.pg = dataSource.getConnection();
        run.keys = dataSource.getConnection();
        run.ids = dataSource.getConnection();
        Connection pg = run.pg;
        pg.setAutoCommit(false);
        run.keys.setAutoCommit(false); // the key map is streamed with a cursor
        run.keys.setReadOnly(true);
        try (PreparedStatement ps = pg.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "ingest:" + run.plan.store()); // one ingest of a store at a time
            ps.execute();
        }
        run.runId = startRun(pg, run.plan.store(), run.plan.zone(), run.request);
        String storeId = String.valueOf(storeId(pg, run.plan.store()));
        setting(pg, "agent_etl.ingest_store", storeId);
        setting(run.keys, "agent_etl.ingest_store", storeId);
        // the key map is read in source-id order, which its primary key's index gives as it is: without a row count
        // for the store at planning time (it is a setting), PostgreSQL took 21 rows, read them by bitmap and sorted
        // 77,000 on disk (70-110 ms of a 1 % increment's 600)
        setting(run.keys, "enable_bitmapscan", "off");
        setting(run.keys, "enable_seqscan", "off");
        setting(pg, "agent_etl.ingest_zone", run.plan.zone());
        setting(pg, "agent_etl.ingest_run", String.valueOf(run.runId));
        try (Statement st = pg.createStatement()) {
            st.execute("SET LOCAL TIME ZONE 'UTC'"); // timestamp columns without zone hold UTC
            // the planner needs row counts of what the run stages and maps, not fine histograms
            st.execute("SET LOCAL default_statistics_target = 10");
        }
        java.time.ZoneId javaZone = java.time.ZoneId.of(run.plan.zone());
        // local times are converted here only where this JVM and PostgreSQL agree on the zone
        run.context = new TableIngest.Context(Long.parseLong(storeId), run.runId, new java.util.HashMap<>(),
                DirectValue.sameAsPostgres(run.ids, javaZone) ? javaZone : null, bulkMinRows);
        run.pipe = new CopyPipe(pg);
        lap(run, "setup");
        // rows read from the store, out of its row count (an incremental run reads fewer: the bar ends early)
        run.progress = Progress.start("ingest " + run.plan.file().getFileName(), "rows",
                storeRows(run.src, run.found.stream().map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet())));
    }

    /** Stage table {@code index} (parents first): its rows read from the store and matched with the key map. */
    public void stage(IngestRun run, int index) throws Exception {
        Map.Entry<StoreTable, List<String>> e = run.found.get(index);
        run.progress.note(e.getKey().name());
        long t0 = System.nanoTime();
        try {
            // the catalog on ids: the run's connection may still be storing the tables before
            TableIngest job = new TableIngest(e.getKey(), e.getValue(), TargetColumn.of(run.ids, e.getKey().target()), run.context);
            run.jobs.add(job);
            job.stage(run.src, run.pg, run.keys, run.ids, run.pipe, run.request.full(), run.owns, run.progress);
        } catch (SQLException ex) {
            throw new SQLException(run.plan.store() + ": " + e.getKey().name() + ": " + SqliteFiles.reason(ex), ex);
        }
        run.stageStarted = t0;
        run.applyStarted = System.nanoTime();
    }

    /** Apply table {@code index}: new rows inserted, changed rows updated, in the run's transaction. */
    public void apply(IngestRun run, int index) throws Exception {
        TableIngest job = run.jobs.get(index);
        long t1 = run.applyStarted;
        TableIngest.Result r = job.apply(run.pg);
        job.finish(run.pg);
        LOG.debug("{}: staged in {} ms, applied in {} ms", job.name(), (t1 - run.stageStarted) / 1_000_000,
                (System.nanoTime() - t1) / 1_000_000);
        run.results.add(new TableIngest.Result(r.table(), r.read(), r.inserted(), r.updated(), r.unchanged(), r.rejected(),
                r.rejectedBy(), 0, 0, (t1 - run.stageStarted) / 1_000_000, (System.nanoTime() - t1) / 1_000_000));
    }

    /** Reconcile: rows gone at the source (children before their parents, deleted with --sync-deletes), counts recorded. */
    public void reconcile(IngestRun run) throws Exception {
        run.pipe.drain(); // every row sent is stored (or its failure thrown here), and counted
        for (TableIngest job : run.jobs) job.checkStored();
        run.progress.close();
        run.progress = null;
        lap(run, "tables");
        List<TableIngest> reversed = new ArrayList<>(run.jobs);
        Collections.reverse(reversed);
        Map<String, long[]> gone = new LinkedHashMap<>();
        for (TableIngest job : reversed) {
            gone.put(job.name(), job.gone(run.pg, run.request.syncDeletes()));
            job.recordCounts(run.pg, run.request.full());
        }
        run.finalResults = new ArrayList<>();
        for (TableIngest.Result r : run.results) {
            long[] g = gone.get(r.table());
            run.finalResults.add(new TableIngest.Result(r.table(), r.read(), r.inserted(), r.updated(), r.unchanged(), r.rejected(),
                    r.rejectedBy(), g[0], g[1], r.stageMillis(), r.applyMillis()));
            if (g[0] > 0 && !run.request.syncDeletes()) {
                run.notes.add(r.table() + ": " + g[0] + " row(s) ingested earlier are gone from the store; kept here "
                        + "(--sync-deletes deletes them)");
            }
        }
        // a run that grew the key map by a good share (a first ingest: all of it) gives the planner its counts now,
        // not when autovacuum comes by: the next run's few changed rows are then looked up in the map by index,
        // not joined by hashing the store's whole map
        long added = 0, before = 0;
        for (TableIngest job : run.jobs) {
            added += job.keysAdded();
            before += job.mappedBefore();
        }
        if (!run.request.dryRun() && added >= 10_000 && added * 10 >= before) { // a dry run's keys are rolled back
            try (Statement st = run.pg.createStatement()) {
                st.execute("ANALYZE ingest_keys");
            }
        }
        lap(run, "gone_and_counts");
    }

    /** Record the run: ingest_runs succeeded with each table's counts, and the one transaction committed (a dry run's rolled back). */
    public IngestReport record(IngestRun run) throws Exception {
        Connection pg = run.pg;
        run.keys.rollback();
        if (run.request.dryRun()) {
            pg.rollback();
        } else {
            try (PreparedStatement ps = pg.prepareStatement(
                    "UPDATE ingest_runs SET status = 'succeeded', finished_at = clock_timestamp(), tables = ?::jsonb WHERE id = ?")) {
                ps.setString(1, JSON.writeValueAsString(run.finalResults));
                ps.setLong(2, run.runId);
                ps.executeUpdate();
            }
            pg.commit();
        }
        lap(run, "commit");
        run.report = new IngestReport(run.runId, run.plan.store(), run.request.dryRun(), run.request.syncDeletes(), run.finalResults,
                run.notes, (System.nanoTime() - run.plan.startedNanos()) / 1_000_000, run.phases);
        LOG.debug("{}: phases (ms) {}", run.plan.file(), run.report.phaseMillis());
        return run.report;
    }

    /** A step failed: the transaction rolled back with everything it wrote, the failed attempt recorded on its own. */
    public void failed(IngestRun run, Exception e) throws Exception {
        if (run != null && run.pipe != null) run.pipe.close(); // its thread is done with the connection before the rollback
        if (run != null && run.pg != null) {
            Transactions.rollbackQuietly(run.pg, e);
            recordFailure(run.pg, run.plan.store(), e);
        }
        throw e;
    }

    /** Whatever happened: the progress bar ended, the connections back to the pool, the store's snapshot closed. */
    public void release(IngestRun run) throws Exception {
        if (run == null) return;
        try (StoreSnapshot snapshot = run.snapshot; Connection pg = run.pg; Connection keys = run.keys; Connection ids = run.ids) {
            if (run.pipe != null) run.pipe.close();
            if (run.progress != null) run.progress.close();
        }
    }

    /** Records the milliseconds since the last mark as {@code name} and marks now. */
    private static void lap(IngestRun run, String name) {
        long now = System.nanoTime();
        run.phases.put(name, (now - run.mark) / 1_000_000);
        run.mark = now;
    }

    private static Path storePath(String from) {
        if (from == null || !from.startsWith("sqlite:")) {
            throw new IllegalArgumentException("--from must be sqlite:PATH (VibeAgent's store, e.g. sqlite:data/vibeagent.db), got '" + from + "'");
        }
        Path file = Path.of(from.substring("sqlite:".length()));
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("store not found: " + file);
        String header = SqliteFiles.headerProblem(file);
        if (header != null) throw new IllegalArgumentException(file + ": " + header);
        return file;
    }

    private static List<String> tables(Connection src) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = src.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    /**
     * The seed's tables the store has, with their columns. A store with none of them, or a table without a
     * column the seed declares, is refused before anything is written; a store with only some tables is fine.
     */
    private static Map<StoreTable, List<String>> probe(Connection src, Path file, List<String> present) throws SQLException {
        GroupContract contract = GroupContract.of(Group.INTERACTIONS);
        Map<StoreTable, List<String>> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (StoreTable t : StoreTable.EVERY) {
            if (!present.contains(t.name())) continue;
            List<String> columns = new ArrayList<>();
            try (Statement st = src.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(" + Sql.quote(t.name()) + ")")) {
                while (rs.next()) columns.add(rs.getString("name"));
            }
            List<String> missing = new ArrayList<>();
            List<String> seed = t.inGroup() ? contract.columns(t.name()).stream().map(GroupContract.Column::name).toList()
                    : StoreTable.RENAMED_COLUMNS.get(t.name());
            for (String c : seed) if (!columns.contains(c)) missing.add(c);
            if (!columns.contains("id")) missing.add(0, "id");
            if (!missing.isEmpty()) problems.add("table " + t.name() + " lacks column(s) " + String.join(", ", missing));
            out.put(t, columns);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": has none of the interaction store's tables (sessions, messages, "
                    + "tool_calls ...); is it VibeAgent's store?");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + String.join("; ", problems) + " (the seed's columns); nothing was ingested");
        }
        return out;
    }

    private static long startRun(Connection pg, String store, String zone, IngestRequest r) throws Exception {
        try (PreparedStatement ps = pg.prepareStatement(
                "INSERT INTO ingest_runs (store, status, options) VALUES (?, ?, ?::jsonb) RETURNING id")) {
            ps.setString(1, store);
            ps.setString(2, r.dryRun() ? "dry_run" : "running");
            ps.setString(3, JSON.writeValueAsString(Map.of("source_time_zone", zone, "sync_deletes", r.syncDeletes())));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The store's id in ingest_stores (registered at its first ingest, committed with it). */
    private static long storeId(Connection pg, String path) throws SQLException {
        // under the store's advisory lock: no other ingest registers the same path meanwhile
        try (PreparedStatement ps = pg.prepareStatement("WITH found AS (SELECT id FROM ingest_stores WHERE path = ?), "
                + "added AS (INSERT INTO ingest_stores (path) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id) "
                + "SELECT id FROM found UNION ALL SELECT id FROM added")) {
            ps.setString(1, path);
            ps.setString(2, path);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void setting(Connection pg, String name, String value) throws SQLException {
        try (PreparedStatement ps = pg.prepareStatement("SELECT set_config(?, ?, true)")) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.execute();
        }
    }

    /** The failed attempt is recorded on its own (the run's transaction was rolled back with everything it wrote). */
    private static void recordFailure(Connection pg, String store, Exception e) {
        try {
            pg.setAutoCommit(true);
            try (PreparedStatement ps = pg.prepareStatement(
                    "INSERT INTO ingest_runs (store, status, finished_at, error) VALUES (?, 'failed', clock_timestamp(), ?)")) {
                ps.setString(1, store);
                ps.setString(2, dev.agentetl.runtime.Errors.oneLine(e));
                ps.executeUpdate();
            }
        } catch (SQLException ignored) {
            // the job run records the failure too
        }
    }

    /** Rows in the store's tables to ingest, by their highest key (exact for a store nothing was deleted from; no count); 0 when it cannot say. */
    private static long storeRows(Connection src, java.util.Set<StoreTable> tables) {
        long rows = 0;
        try (Statement st = src.createStatement()) {
            for (StoreTable t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM " + Sql.quote(t.name()))) {
                    if (rs.next()) rows += rs.getLong(1);
                }
            }
        } catch (SQLException e) {
            return 0; // only a bar's total
        }
        return rows;
    }
}

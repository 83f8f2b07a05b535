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
 * The {@code ingest} job: VibeAgent's SQLite store into the interactions group. The file is read with
 * SQLite's own driver, read-only, in one read transaction (a consistent snapshot while the agent keeps
 * writing; a writer holding the file is waited for, then reported). The whole run is one PostgreSQL
 * transaction: all of it or nothing, rejected rows named with their reason and the rest kept.
 */
public final class Ingester {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Ingester.class);

    private final DataSource dataSource;
    private final String defaultZone;
    private final int busyMillis;

    private final Path configuredStore;

    /** The default of agent-etl.ingest.bulk-min-rows. */
    public static final long DEFAULT_BULK_MIN_ROWS = 50_000;

    private final long bulkMinRows;
    private java.util.function.BooleanSupplier ownsTargets = () -> false;

    public Ingester(DataSource dataSource, String defaultZone, int busyMillis, Path configuredStore) {
        this(dataSource, defaultZone, busyMillis, configuredStore, DEFAULT_BULK_MIN_ROWS);
    }

    /** @param bulkMinRows new rows a table must bring for its indexes and keys to be set aside while it is written (0: never) */
    public Ingester(DataSource dataSource, String defaultZone, int busyMillis, Path configuredStore, long bulkMinRows) {
        this.dataSource = dataSource;
        this.defaultZone = defaultZone;
        this.busyMillis = busyMillis;
        this.configuredStore = configuredStore;
        this.bulkMinRows = bulkMinRows;
    }

    /**
     * Whether agent-etl created the interactions group where it is configured: only then are a big load's indexes
     * and foreign keys set aside and rebuilt ({@code BulkLoad}); tables an application created keep theirs.
     */
    public Ingester ownsTargetsWhen(java.util.function.BooleanSupplier owns) {
        this.ownsTargets = owns;
        return this;
    }

    /** No request (a scheduled run): the configured store, incrementally. */
    public IngestReport ingest(IngestRequest request) throws Exception {
        if (request == null) request = new IngestRequest("sqlite:" + configuredStore, null, false, false);
        long started = System.nanoTime();
        Path file = storePath(request.from());
        String zone = request.sourceTimeZone() != null ? request.sourceTimeZone() : defaultZone;
        java.time.ZoneId.of(zone); // an unknown zone is refused before anything is read
        String store = file.toRealPath().toString();
        Map<String, Long> phases = new LinkedHashMap<>();
        long[] mark = {started};
        try (StoreSnapshot snapshot = StoreSnapshot.of(file, busyMillis)) {
            lap(phases, "snapshot", mark);
            Connection src = snapshot.connection();
            List<String> present = tables(src);
            Map<StoreTable, List<String>> found = probe(src, file, present);
            lap(phases, "schema", mark);
            List<String> notes = new ArrayList<>();
            List<String> renamed = found.keySet().stream().filter(t -> !t.inGroup()).map(StoreTable::name).toList();
            if (!renamed.isEmpty()) {
                notes.add(String.join(", ", renamed) + " ingested into vibeagent_<table> in agent-etl's schema (these names are taken here)");
            }
            try (Connection pg = dataSource.getConnection();
                 Connection keys = dataSource.getConnection();
                 Connection ids = dataSource.getConnection()) {
                pg.setAutoCommit(false);
                keys.setAutoCommit(false); // the key map is streamed with a cursor
                keys.setReadOnly(true);
                long runId;
                try {
                    try (PreparedStatement ps = pg.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                        ps.setString(1, "ingest:" + store); // one ingest of a store at a time
                        ps.execute();
                    }
                    runId = startRun(pg, store, zone, request);
                    String storeId = String.valueOf(storeId(pg, store));
                    setting(pg, "agent_etl.ingest_store", storeId);
                    setting(keys, "agent_etl.ingest_store", storeId);
                    setting(pg, "agent_etl.ingest_zone", zone);
                    setting(pg, "agent_etl.ingest_run", String.valueOf(runId));
                    try (Statement st = pg.createStatement()) {
                        st.execute("SET LOCAL TIME ZONE 'UTC'"); // timestamp columns without zone hold UTC
                        // the planner needs row counts of what the run stages and maps, not fine histograms
                        st.execute("SET LOCAL default_statistics_target = 10");
                    }
                    List<TableIngest> jobs = new ArrayList<>();
                    List<TableIngest.Result> results = new ArrayList<>();
                    java.time.ZoneId javaZone = java.time.ZoneId.of(zone);
                    // local times are converted here only where this JVM and PostgreSQL agree on the zone
                    TableIngest.Context context = new TableIngest.Context(Long.parseLong(storeId), runId, new java.util.HashMap<>(),
                            DirectValue.sameAsPostgres(ids, javaZone) ? javaZone : null, bulkMinRows);
                    boolean owns = ownsTargets.getAsBoolean();
                    // rows read from the store, out of its row count (an incremental run reads fewer: the bar ends early)
                    lap(phases, "setup", mark);
                    try (Progress progress = Progress.start("ingest " + file.getFileName(), "rows", storeRows(src, found.keySet()))) {
                    for (Map.Entry<StoreTable, List<String>> e : found.entrySet()) {
                        progress.note(e.getKey().name());
                        TableIngest job = new TableIngest(e.getKey(), e.getValue(), TargetColumn.of(pg, e.getKey().target()), context);
                        long t0 = System.nanoTime();
                        try {
                            job.stage(src, pg, keys, ids, request.full(), owns, progress);
                        } catch (SQLException ex) {
                            throw new SQLException(store + ": " + e.getKey().name() + ": " + SqliteFiles.reason(ex), ex);
                        }
                        jobs.add(job);
                        long t1 = System.nanoTime();
                        TableIngest.Result r = job.apply(pg);
                        job.finish(pg);
                        LOG.debug("{}: staged in {} ms, applied in {} ms", e.getKey().name(), (t1 - t0) / 1_000_000,
                                (System.nanoTime() - t1) / 1_000_000);
                        results.add(new TableIngest.Result(r.table(), r.read(), r.inserted(), r.updated(), r.unchanged(), r.rejected(),
                                r.rejectedBy(), 0, 0, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000));
                    }
                    }
                    lap(phases, "tables", mark);
                    // rows gone at the source: children before their parents
                    List<TableIngest> reversed = new ArrayList<>(jobs);
                    Collections.reverse(reversed);
                    Map<String, long[]> gone = new LinkedHashMap<>();
                    for (TableIngest job : reversed) {
                        gone.put(job.name(), job.gone(pg, request.syncDeletes()));
                        job.recordCounts(pg, request.full());
                    }
                    List<TableIngest.Result> finalResults = new ArrayList<>();
                    for (TableIngest.Result r : results) {
                        long[] g = gone.get(r.table());
                        finalResults.add(new TableIngest.Result(r.table(), r.read(), r.inserted(), r.updated(), r.unchanged(), r.rejected(),
                                r.rejectedBy(), g[0], g[1], r.stageMillis(), r.applyMillis()));
                        if (g[0] > 0 && !request.syncDeletes()) {
                            notes.add(r.table() + ": " + g[0] + " row(s) ingested earlier are gone from the store; kept here "
                                    + "(--sync-deletes deletes them)");
                        }
                    }
                    lap(phases, "gone_and_counts", mark);
                    keys.rollback();
                    if (request.dryRun()) {
                        pg.rollback();
                    } else {
                        try (PreparedStatement ps = pg.prepareStatement(
                                "UPDATE ingest_runs SET status = 'succeeded', finished_at = clock_timestamp(), tables = ?::jsonb WHERE id = ?")) {
                            ps.setString(1, JSON.writeValueAsString(finalResults));
                            ps.setLong(2, runId);
                            ps.executeUpdate();
                        }
                        pg.commit();
                    }
                    lap(phases, "commit", mark);
                    IngestReport report = new IngestReport(runId, store, request.dryRun(), request.syncDeletes(), finalResults, notes,
                            (System.nanoTime() - started) / 1_000_000, phases);
                    LOG.debug("{}: phases (ms) {}", file, report.phaseMillis());
                    return report;
                } catch (Exception e) {
                    Transactions.rollbackQuietly(pg, e);
                    recordFailure(pg, store, e);
                    throw e;
                }
            }
        }
    }

    /** Records the milliseconds since the last mark as {@code name} and marks now. */
    private static void lap(Map<String, Long> phases, String name, long[] mark) {
        long now = System.nanoTime();
        phases.put(name, (now - mark[0]) / 1_000_000);
        mark[0] = now;
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

package dev.agentetl.export;

import dev.agentetl.progress.PlannerEstimate;
import dev.agentetl.progress.Progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentetl.db.Transactions;
import dev.agentetl.runtime.Cancellation;
import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The export job's steps (routes/export.camel.yaml): streams one dataset from a server-side cursor (autocommit off,
 * read-only, fetch size from the row width) into part files under {@code <out>/<dataset>/<format>/dt=<day>/},
 * renamed only when complete, then writes the manifest, the exports row and, for incremental exports, the new
 * watermark. The state of an export travels between the steps in an {@link ExportRun}; this bean holds none.
 */
public final class Exporter {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Exporter.class);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Bytes of rows fetched per round trip; bounds memory whatever the row width. */
    private static final long FETCH_BYTES = 8L << 20;

    private final DataSource dataSource;
    private final java.util.function.Function<String, DataSource> sourceOf;
    private final Path defaultOut;
    private final long rowsPerFile;
    private final int connections;
    private final long splitMinBytes;

    public Exporter(DataSource dataSource, ExportSettings settings) {
        this(dataSource, name -> dataSource, settings);
    }

    /**
     * @param sourceOf the database a dataset is read from: the pool of the group holding a table of that
     *                 name when the group lives in a database of its own, else the home pool. The export's
     *                 records (exports row, watermark, lock) stay in agent-etl's schema in the home database.
     */
    public Exporter(DataSource dataSource, java.util.function.Function<String, DataSource> sourceOf, ExportSettings settings) {
        this.dataSource = dataSource;
        this.sourceOf = sourceOf;
        this.defaultOut = settings.exportsDir();
        this.rowsPerFile = settings.rowsPerFile();
        this.connections = settings.connections();
        this.splitMinBytes = settings.splitMinBytes();
    }

    // ---- The steps of routes/export.camel.yaml, in their order. Each takes the export's state (ExportRun) from the
    // ---- exchange; the lock to record steps are one unit (route export-steps), tried again together.

    /** Validate the request: what it asks for is possible, before any connection is taken. */
    public ExportRun.Plan validate(ExportRequest request) throws IOException {
        Cancellation.throwIfRequested();
        long started = System.nanoTime();
        boolean filtered = !request.where().isEmpty() || request.since() != null || request.until() != null;
        if (request.queryFile() == null) return new ExportRun.Plan(request, null, null, filtered, started);
        if (filtered || request.incremental()) {
            throw new IllegalArgumentException("--query takes no filters; put them in the query");
        }
        String sql = Files.readString(request.queryFile()).strip();
        if (sql.endsWith(";")) sql = sql.substring(0, sql.length() - 1);
        // a --query is run read-only (ReadOnlyQuery), never as agent-etl's own login
        return new ExportRun.Plan(request, sql, ExportRequest.datasetOfQueryFile(request.queryFile()), false, started);
    }

    /** A new attempt of the export: its state, holding nothing yet. */
    public ExportRun begin(ExportRun.Plan plan) {
        return new ExportRun(plan);
    }

    /**
     * Lock the dataset: connections (the rows come from the dataset's database, the records go to agent-etl's), the
     * dataset looked up, one export of a dataset and format at a time, what an earlier export left cleaned up, and
     * what the export holds decided.
     */
    public void lockDataset(ExportRun run) throws Exception {
        ExportRequest request = run.request;
        run.sourceDs = request.queryFile() != null ? dataSource : sourceOf.apply(request.dataset());
        run.c = dataSource.getConnection();
        run.other = run.sourceDs == dataSource ? null : run.sourceDs.getConnection();
        Connection c = run.c;
        Connection src = run.src = run.other == null ? c : run.other;
        Dataset dataset = null;
        if (run.plan.userSql() != null) {
            run.datasetName = run.plan.queryDataset();
        } else {
            dataset = run.dataset = Dataset.lookup(src, request.dataset());
            run.datasetName = dataset.name();
            if (request.incremental()) {
                if (dataset.timeColumn().isEmpty()) {
                    throw new IllegalArgumentException("dataset " + run.datasetName + " has no time column for --incremental");
                }
                if (run.plan.filtered()) {
                    throw new IllegalArgumentException("--incremental continues the dataset's folder from its watermark and "
                            + "takes no --where, --since or --until; export a filtered extract without --incremental");
                }
            }
        }
        String datasetName = run.datasetName;
        Path out = request.outDir() != null ? request.outDir() : defaultOut;
        Path base = out.toAbsolutePath().normalize();
        if (datasetName.isEmpty() || !base.equals(base.resolve(datasetName).normalize().getParent())) {
            // a relation may be named "..": its files still go into a folder of its own under --out
            throw new IllegalArgumentException("dataset '" + datasetName + "' cannot be a folder of its own under " + out);
        }
        run.datasetFolder = new ExportFolder(out.resolve(datasetName).resolve(request.format().extension()));
        run.folder = out.resolve(datasetName).resolve(request.format().extension()).resolve("dt=" + run.startedAt.toLocalDate());
        // SIGTERM or Ctrl-C from here until the rows are written: the statement it waits for is cancelled (the
        // dataset's lock, the sampling, the rows) and what the export wrote is removed; once the rows are
        // written it finishes (see writeParts)
        run.onStop = Cancellation.onRequest(() -> cancel(c, src));
        // One export of a dataset and format at a time, from before it looks at the folder until its files are
        // published, its row recorded and the files it replaces removed: a session lock, held across commits
        run.lockKey = "export:" + datasetName + ":" + request.format();
        Cancellation.throwIfRequested();
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
            lock.setString(1, run.lockKey);
            lock.execute();
        }
        run.locked = true;
        run.datasetFolder.cleanUp(c, datasetName, request.format().extension());
        // what the export holds: an extract its filters; the chain (no filters) its rows up to the watermark
        // (from the last one for an incremental export) and the tail after it (see ExportFolder); a query
        // is a snapshot of what it reads, prepared once its exports row is open
        run.since = request.since();
        run.upper = request.until();
        if (run.plan.userSql() != null) {
            run.kind = ExportFolder.Kind.SNAPSHOT;
            run.filters = Map.of("query_file", request.queryFile().toString());
        } else if (run.plan.filtered()) {
            run.kind = ExportFolder.Kind.EXTRACT;
            run.query = ExportQuery.of(dataset, run.since, run.upper, request.where());
            run.filters = run.query.filters();
        } else {
            run.since = request.incremental() ? Watermarks.last(c, datasetName, request.format().extension()) : null;
            run.kind = run.since == null ? ExportFolder.Kind.SNAPSHOT : ExportFolder.Kind.INCREMENTAL;
            if (dataset.timeColumn().isPresent()) {
                run.upper = dev.agentetl.db.OpenTransactions.oldestStart(src);
                run.query = ExportQuery.of(dataset, run.since, run.upper, Map.of(), run.since == null);
                run.tail = ExportQuery.of(dataset, run.upper, null, Map.of());
            } else {
                run.query = ExportQuery.of(dataset, null, null, Map.of());
            }
            run.filters = Map.of();
        }
    }

    /**
     * Open the snapshot: the exports row (running), a read-only transaction on each connection, the query of a
     * --query file prepared, the table's block ranges (slices) and the fetch size from its row width.
     */
    public void openSnapshot(ExportRun run) throws Exception {
        ExportRequest request = run.request;
        Connection c = run.c;
        Connection src = run.src;
        run.exportId = ExportRows.start(c, request.format().extension(), run.datasetName, JSON.writeValueAsString(run.filters),
                run.folder, request.actor());
        run.manifestFile = run.folder.resolve(ExportFolder.manifestName(run.exportId));
        Cancellation.throwIfRequested();
        if (Files.exists(run.manifestFile)) {
            // export ids count per database: another database's export with this id wrote here; never overwrite it
            throw new IllegalStateException(run.manifestFile + " already exists, written by another database's export with the "
                    + "same id; choose another --out folder (or move the old output away)");
        }
        c.setAutoCommit(false);
        run.columns = run.dataset == null ? null : run.dataset.columns();
        if (run.plan.userSql() != null) {
            ReadOnlyQuery.Prepared prepared = ReadOnlyQuery.prepare(c, run.plan.userSql(), run.filters);
            run.query = prepared.query();
            run.columns = prepared.columns();
        }
        // the stored row width decides the fetch size and whether rows formatted here are split
        if (src != c) src.setAutoCommit(false);
        double width = run.dataset == null ? 0 : rowWidth(src, run.dataset);
        // a group's own database has a small pool of its own: one connection reads it
        run.slices = new Slices(run.folder, run.exportId, request.format().extension(),
                BlockRanges.of(src, run.dataset, src == c ? slicesFor(request.format(), width) : 1, splitMinBytes));
        run.fetch = fetchSize(width);
    }

    /**
     * Write the parts: every slice (and the tail after the watermark) into hidden part files, one progress bar for
     * the export. The last moment the export can stop: past it, it finishes and is recorded as succeeded.
     */
    public void writeParts(ExportRun run) throws Exception {
        ExportRequest request = run.request;
        Connection c = run.c;
        Connection src = run.src;
        // one bar (or log line) for the export, fed by every slice; the planner's row count is the total of a snapshot
        try (Progress progress = Progress.start("export " + run.datasetName + " " + request.format().extension(), "rows",
                run.kind == ExportFolder.Kind.SNAPSHOT && run.dataset != null ? estimatedRows(src, run.dataset) : 0)) {
            run.rows = run.slices.size() == 1
                    ? exportSlice(src, run.query, request, run.columns, run.fetch, run.slices.parts(0), true, progress)
                    : exportSlices(run.sourceDs, src, run.query, request, run.columns, run.fetch, run.slices, progress);
            if (run.tail != null) {
                // the rows already stamped at or after the watermark, in files of their own that the next export replaces
                run.tailParts = new PartFiles(run.folder, ExportFolder.tailPrefix(run.exportId), request.format().extension());
                run.rows += exportSlice(src, run.tail, request, run.columns, run.fetch, run.tailParts, false, progress);
            }
        }
        run.onStop.close();
        Cancellation.throwIfRequested();
        if (src != c) {
            src.commit();
            src.setAutoCommit(true);
        }
        if (run.plan.userSql() != null) {
            // nothing a query did outlives it: not a setting (set_config); its session locks go with the dataset's
            c.rollback();
        } else {
            c.commit();
        }
        c.setAutoCommit(true);
    }

    /** Write the manifest: the parts published (renamed to their names), then the manifest naming them, atomically. */
    public void writeManifest(ExportRun run) throws Exception {
        run.body = run.slices.all();
        run.tailFiles = run.tailParts == null ? List.of() : run.tailParts.parts();
        List<Long> replaces = run.datasetFolder.replaced(run.exportId, run.kind);
        run.manifest = manifest(run.exportId, run.datasetName, run.request, run.kind, run.filters, run.since, run.upper, run.body,
                run.tailFiles, replaces, run.startedAt, run.dataset);
        // published, then recorded: a process stopped in between leaves files the next export removes (ExportFolder)
        run.slices.publish();
        if (run.tailParts != null) run.tailParts.publish();
        ExportFolder.write(run.manifestFile, run.manifest);
        run.manifestWritten = true;
    }

    /** Record it: the exports row succeeded with the new watermark, the files it replaces removed; the report. */
    public ExportReport record(ExportRun run) throws Exception {
        finishRow(run.c, run.exportId, run.rows, run.body, run.tailFiles, run.manifest, run.dataset, run.upper, run.request, run.kind);
        try {
            run.datasetFolder.replace(run.exportId, run.kind);
        } catch (Exception e) {
            // recorded as succeeded: the next export of the dataset finishes the replacement
            LOG.warn("export {}: the files it replaces are not all removed yet: {}", run.exportId, e.getMessage());
        }
        List<PartFiles.Part> all = new ArrayList<>(run.body);
        all.addAll(run.tailFiles);
        run.report = new ExportReport(run.exportId, run.datasetName, run.request.format(), run.rows, all, run.folder.toString(),
                run.manifestFile.toString(), (System.nanoTime() - run.started) / 1_000_000, run.manifest);
        return run.report;
    }

    /**
     * A step failed (or the export was cancelled): what it wrote is removed and its exports row marked failed with
     * why, on another connection when its own is gone; then the failure goes on (a --query refused by the database
     * as a write is told as such).
     */
    public void failed(ExportRun run, Exception e) throws Exception {
        if (run == null || run.exportId == null) throw e;
        if (run.onStop != null) run.onStop.close(); // no cancel reaches the statements that record the failure
        if (run.manifestWritten) Files.deleteIfExists(run.manifestFile);
        if (run.slices != null) run.slices.abandon();
        if (run.tailParts != null) run.tailParts.abandon();
        endQuietly(run.src == run.c ? null : run.src, e);
        endQuietly(run.c, e);
        // cancelled or failed, with why; on another connection when the export's own is gone (or closed just
        // above), never left running
        ExportRows.fail(dataSource, run.c, run.exportId, e);
        RuntimeException refused = run.plan.userSql() == null ? null : ReadOnlyQuery.refusal(e);
        if (refused != null) throw refused;
        throw e;
    }

    /** Whatever happened: the export's row let go, the dataset's lock released, the connections back to the pool. */
    public void release(ExportRun run) throws SQLException {
        if (run == null) return;
        try {
            if (run.exportId != null) ExportRows.release(run.c, run.exportId);
        } finally {
            if (run.onStop != null) run.onStop.close(); // no cancel reaches the statements below
            try {
                if (run.locked) {
                    // a query may have taken session locks of its own (it cannot keep a setting: its transaction was
                    // rolled back): they go with the dataset's lock, so none outlives the export on the pooled connection
                    unlock(run.c, run.plan.userSql() != null ? "SELECT pg_advisory_unlock_all()" : "SELECT pg_advisory_unlock(hashtext(?))",
                            run.lockKey);
                }
            } finally {
                try {
                    if (run.other != null) run.other.close();
                } finally {
                    if (run.c != null) run.c.close();
                }
            }
        }
    }

    /**
     * Releases the dataset's lock (or every session lock of {@code c}); once more if a stop's cancel, sent just
     * before, reached this statement. A connection that is gone took its locks with it.
     */
    private static void unlock(Connection c, String sql, String lockKey) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try (PreparedStatement unlock = c.prepareStatement(sql)) {
                if (sql.contains("?")) unlock.setString(1, lockKey);
                unlock.execute();
                return;
            } catch (SQLException e) {
                if (!"57014".equals(e.getSQLState())) {
                    LOG.debug("lock {} not released: {}", lockKey, e.getMessage()); // the session is gone, and the lock with it
                    return;
                }
            }
        }
    }

    private static void cancel(Connection... connections) {
        for (Connection c : new java.util.LinkedHashSet<>(java.util.Arrays.asList(connections))) {
            try {
                c.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException e) {
                // the stop is still seen at the next safe point
            }
        }
    }

    /**
     * Rolls back what is open on a connection after a failure and gives it back autocommit; false when the
     * connection itself is gone (closed or broken). A connection whose driver lost track of the protocol (it
     * fails with a runtime exception) is closed, so the pool never hands it out again.
     */
    private static boolean endQuietly(Connection c, Exception cause) {
        if (c == null) return true;
        try {
            if (c.isClosed()) return false;
            if (!c.getAutoCommit()) {
                Transactions.rollbackQuietly(c, cause);
                c.setAutoCommit(true);
            }
            return !c.isClosed();
        } catch (SQLException e) {
            cause.addSuppressed(e);
            return false;
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            try {
                c.unwrap(org.postgresql.jdbc.PgConnection.class).close();
            } catch (SQLException | RuntimeException closing) {
                cause.addSuppressed(closing);
            }
            return false;
        }
    }

    /** The slices of a table exported at once, each on its own connection, all in this transaction's snapshot. */
    private long exportSlices(DataSource source, Connection c, ExportQuery query, ExportRequest request, List<Column> columns, int fetch,
                              Slices slices, Progress progress) throws Exception {
        return SharedSnapshot.runAll(source, c, slices.size(), (w, slice) ->
                exportSlice(w, query.restrictedTo(slices.condition(slice)), request, columns, fetch, slices.parts(slice), slice == 0,
                        progress));
    }

    /** One slice (or the whole query) into its part files, in the caller's transaction; columns as the CSV writes them. */
    private long exportSlice(Connection c, ExportQuery query, ExportRequest request, List<Column> columns, int fetch,
                             PartFiles parts, boolean fileWhenEmpty, Progress shown) throws SQLException, IOException {
        try (PreparedStatement ro = c.prepareStatement("SET TRANSACTION READ ONLY")) {
            ro.execute();
        }
        // timestamps read as text come in UTC, so the writers only reshape them
        try (PreparedStatement utc = c.prepareStatement("SET LOCAL TIME ZONE 'UTC'")) {
            utc.execute();
        }
        try (PreparedStatement iso = c.prepareStatement("SET LOCAL DateStyle = 'ISO, MDY'")) {
            iso.execute();
        }
        RowProgress progress = new RowProgress(shown);
        long rows = request.format() == ExportFormat.CSV
                ? CsvCopy.export(c, query, columns, parts, rowsPerFile, fileWhenEmpty, progress)
                : stream(c, query, request, fetch, parts, fileWhenEmpty, progress);
        progress.finished(rows);
        return rows;
    }

    private long stream(Connection c, ExportQuery query, ExportRequest request, int fetch, PartFiles parts,
                        boolean fileWhenEmpty, RowProgress progress) throws SQLException, IOException {
        long rows = 0;
        try (PreparedStatement ps = c.prepareStatement(query.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(fetch);
            // binary values for the types the driver reads in binary (integers, floats, timestamps, uuid, ...):
            // parsing their text was a large part of the client's time per row on narrow tables
            ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
            for (int i = 0; i < query.parameters().size(); i++) {
                ps.setObject(i + 1, query.parameters().get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Column> columns = columns(rs.getMetaData());
                RowExtractor extractor = new RowExtractor(columns, request.format() == ExportFormat.PARQUET);
                WriterLoop writer = new WriterLoop(request.format(), columns, parts, rowsPerFile, request.compression(), fileWhenEmpty);
                try {
                    List<Object[]> batch = new ArrayList<>(WriterLoop.BATCH);
                    while (rs.next()) {
                        batch.add(extractor.extract(rs));
                        rows++;
                        if (batch.size() == WriterLoop.BATCH) {
                            writer.put(batch);
                            batch = new ArrayList<>(WriterLoop.BATCH);
                        }
                        progress.rows(rows);
                    }
                    if (!batch.isEmpty()) writer.put(batch);
                    writer.finish();
                } catch (SQLException | IOException | RuntimeException e) {
                    writer.abort();
                    throw e;
                }
            }
        }
        return rows;
    }

    /**
     * How many connections export this table. CSV is formatted by the server, so more connections help at
     * any width. JSON Lines and Parquet are formatted here: on narrow rows the server's output is the
     * limit and two connections were 1.4-1.5x faster. On wide rows (agent_telemetry) the client is: JSON Lines'
     * formatting thread (escaping long texts), and each connection brings one, so two were faster again (290,000
     * rows, whole command, alternating, 6 rounds: best 6.67 -> 6.11 s, peak RSS 274 -> 307 MB); Parquet's were
     * 15-20 % slower with twice the memory (bench export, 2 cores), so it stays on one.
     */
    private int slicesFor(ExportFormat format, double rowWidth) {
        return format != ExportFormat.PARQUET || rowWidth <= CLIENT_FORMAT_SLICE_MAX_ROW_BYTES ? connections : 1;
    }

    /** Rows narrower than this (bytes, as stored) are exported over several connections in Parquet too. */
    private static final double CLIENT_FORMAT_SLICE_MAX_ROW_BYTES = 1024;

    /** The average stored width of the first rows (0 when empty). */
    /**
     * The rows the planner expects the dataset to have: from ANALYZE's statistics, or from the table's size when it
     * was never analyzed (a table just loaded); a view's too. Only a progress bar's total.
     */
    private static long estimatedRows(Connection c, Dataset dataset) {
        return PlannerEstimate.rows(c, "SELECT 1 FROM " + dataset.qualifiedName(), List.of());
    }

    private static double rowWidth(Connection c, Dataset dataset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT avg(pg_column_size(t.*)) FROM (SELECT * FROM "
                + dataset.qualifiedName() + " LIMIT 1000) t"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    /** A fetch size that keeps about FETCH_BYTES of rows per round trip (1000 rows when the width is unknown). */
    private static int fetchSize(double width) {
        return (int) Math.max(50, Math.min(10_000, width <= 0 ? 1000 : FETCH_BYTES / (width * 3)));
    }

    static List<Column> columns(ResultSetMetaData md) throws SQLException {
        List<Column> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            // the driver names an identity or serial column's type serial / bigserial: the stored type is what is written
            String type = switch (md.getColumnTypeName(i)) {
                case "smallserial" -> "int2";
                case "serial" -> "int4";
                case "bigserial" -> "int8";
                default -> md.getColumnTypeName(i);
            };
            boolean numeric = "numeric".equals(type) && md.getPrecision(i) > 0 && md.getPrecision(i) < 1000;
            columns.add(new Column(md.getColumnLabel(i), type, numeric ? md.getPrecision(i) : null, numeric ? md.getScale(i) : null));
        }
        return columns;
    }

    private static Map<String, Object> manifest(long id, String dataset, ExportRequest request, ExportFolder.Kind kind,
                                                Map<String, Object> filters, OffsetDateTime since, OffsetDateTime upper,
                                                List<PartFiles.Part> parts, List<PartFiles.Part> tail, List<Long> replaces,
                                                OffsetDateTime startedAt, Dataset ds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("export_id", id);
        m.put("dataset", dataset);
        m.put("format", request.format().extension());
        // snapshot / incremental: the dataset's chain, read as a folder; extract: filtered, read by its manifest
        m.put("kind", kind.label());
        m.put("filters", filters);
        Map<String, Object> watermark = new LinkedHashMap<>();
        if (ds != null && ds.timeColumn().isPresent()) {
            watermark.put("column", ds.timeColumn().get());
            watermark.put("from", since == null ? null : since.toString());
            watermark.put("to", upper == null ? null : upper.toString());
        }
        m.put("watermark", watermark);
        m.put("incremental", request.incremental());
        m.put("files", parts);
        if (kind != ExportFolder.Kind.EXTRACT && ds != null && ds.timeColumn().isPresent()) {
            // rows stamped at or after the watermark: replaced by the next export of the chain, which holds them then
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("from", upper == null ? null : upper.toString());
            t.put("rows", tail.stream().mapToLong(PartFiles.Part::rows).sum());
            t.put("files", tail);
            m.put("tail", t);
        }
        m.put("replaces", replaces);
        m.put("rows", parts.stream().mapToLong(PartFiles.Part::rows).sum() + tail.stream().mapToLong(PartFiles.Part::rows).sum());
        if (ds != null) {
            m.put("columns", ds.columns().stream().map(c -> Map.of("name", c.name(), "type", c.type())).toList());
        }
        m.put("started_at", startedAt.toString());
        m.put("finished_at", OffsetDateTime.now(ZoneOffset.UTC).toString());
        return m;
    }

    private static void finishRow(Connection c, long id, long rows, List<PartFiles.Part> parts, List<PartFiles.Part> tail,
                                  Map<String, Object> manifest, Dataset dataset, OffsetDateTime upper, ExportRequest request,
                                  ExportFolder.Kind kind) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE exports SET status = 'succeeded', record_count = ?, bytes = ?, manifest = ?::jsonb,
                       watermark = ?::jsonb, finished_at = now() WHERE id = ?""")) {
            ps.setLong(1, rows);
            ps.setLong(2, parts.stream().mapToLong(PartFiles.Part::bytes).sum() + tail.stream().mapToLong(PartFiles.Part::bytes).sum());
            ps.setString(3, JSON.writeValueAsString(manifest));
            ps.setString(4, JSON.writeValueAsString(manifest.get("watermark")));
            ps.setLong(5, id);
            ps.executeUpdate();
            // the chain continues from here: incremental exports and snapshots alike move the watermark
            if (kind != ExportFolder.Kind.EXTRACT && dataset != null && dataset.timeColumn().isPresent() && upper != null) {
                Watermarks.save(c, dataset.name(), request.format().extension(), dataset.timeColumn().orElseThrow(), upper);
            }
            c.commit();
        } catch (Exception e) {
            Transactions.rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}

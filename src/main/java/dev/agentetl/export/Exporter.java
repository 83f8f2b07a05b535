package dev.agentetl.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentetl.db.Transactions;
import dev.agentetl.runtime.Cancellation;
import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * Streams one dataset from a server-side cursor (autocommit off, read-only, fetch size from the row
 * width) into part files under {@code <out>/<dataset>/<format>/dt=<day>/}, renamed only when complete,
 * then writes the manifest, the exports row and, for incremental exports, the new watermark.
 */
public final class Exporter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Bytes of rows fetched per round trip; bounds memory whatever the row width. */
    private static final long FETCH_BYTES = 8L << 20;

    private final DataSource dataSource;
    private final java.util.function.Function<String, DataSource> sourceOf;
    private final Path defaultOut;
    private final long rowsPerFile;
    private final int connections;
    private final long splitMinBytes;

    public Exporter(DataSource dataSource, Path defaultOut, long rowsPerFile) {
        this(dataSource, defaultOut, rowsPerFile, 1, Long.MAX_VALUE);
    }

    /**
     * @param connections   how many connections export one table at once, each a block range of it
     * @param splitMinBytes tables smaller than this are exported over one connection
     */
    public Exporter(DataSource dataSource, Path defaultOut, long rowsPerFile, int connections, long splitMinBytes) {
        this(dataSource, name -> dataSource, defaultOut, rowsPerFile, connections, splitMinBytes);
    }

    /**
     * @param sourceOf the database a dataset is read from: the pool of the group holding a table of that
     *                 name when the group lives in a database of its own, else the home pool. The export's
     *                 records (exports row, watermark, lock) stay in agent-etl's schema in the home database.
     */
    public Exporter(DataSource dataSource, java.util.function.Function<String, DataSource> sourceOf, Path defaultOut,
                    long rowsPerFile, int connections, long splitMinBytes) {
        this.dataSource = dataSource;
        this.sourceOf = sourceOf;
        this.defaultOut = defaultOut;
        this.rowsPerFile = rowsPerFile;
        this.connections = Math.max(1, connections);
        this.splitMinBytes = splitMinBytes;
    }

    public ExportReport export(ExportRequest request) throws Exception {
        Cancellation.throwIfRequested();
        long started = System.nanoTime();
        OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);
        DataSource sourceDs = request.queryFile() != null ? dataSource : sourceOf.apply(request.dataset());
        try (Connection c = dataSource.getConnection();
             Connection other = sourceDs == dataSource ? null : sourceDs.getConnection()) {
            // the rows come from src (the dataset's database), the records of the export go to c (agent-etl's)
            Connection src = other == null ? c : other;
            String datasetName;
            ExportQuery query = null;
            Dataset dataset = null;
            String userSql = null; // a --query: run read-only (ReadOnlyQuery), never as agent-etl's own login
            Map<String, Object> filters;
            OffsetDateTime since = request.since();
            OffsetDateTime upper = request.until();
            if (request.queryFile() != null) {
                if (!request.where().isEmpty() || since != null || upper != null || request.incremental()) {
                    throw new IllegalArgumentException("--query takes no filters; put them in the query");
                }
                String sql = Files.readString(request.queryFile()).strip();
                if (sql.endsWith(";")) sql = sql.substring(0, sql.length() - 1);
                datasetName = ExportRequest.datasetOfQueryFile(request.queryFile());
                userSql = sql;
                filters = Map.of("query_file", request.queryFile().toString());
            } else {
                dataset = Dataset.lookup(src, request.dataset());
                datasetName = dataset.name();
                if (request.incremental()) {
                    if (dataset.timeColumn().isEmpty()) {
                        throw new IllegalArgumentException("dataset " + datasetName + " has no time column for --incremental");
                    }
                    OffsetDateTime last = Watermarks.last(c, datasetName, request.format().extension());
                    if (last != null && (since == null || last.isAfter(since))) since = last;
                    OffsetDateTime safe = dev.agentetl.db.OpenTransactions.oldestStart(src);
                    if (upper == null || safe.isBefore(upper)) upper = safe;
                }
                query = ExportQuery.of(dataset, since, upper, request.where());
                filters = query.filters();
            }
            Path out = request.outDir() != null ? request.outDir() : defaultOut;
            Path folder = out.resolve(datasetName).resolve(request.format().extension())
                    .resolve("dt=" + startedAt.toLocalDate());
            Path base = out.toAbsolutePath().normalize();
            if (datasetName.isEmpty() || !base.equals(base.resolve(datasetName).normalize().getParent())) {
                // a relation may be named "..": its files still go into a folder of its own under --out
                throw new IllegalArgumentException("dataset '" + datasetName + "' cannot be a folder of its own under " + out);
            }
            long exportId = ExportRows.start(c, request.format().extension(), datasetName, JSON.writeValueAsString(filters),
                    folder, request.actor());
            Slices slices = null;
            Cancellation.Registration onStop = null;
            try {
                c.setAutoCommit(false);
                // SIGTERM or Ctrl-C from here until the rows are written: the statement it waits for is cancelled
                // (the dataset's lock, the sampling, the rows), and the parts are removed below
                onStop = Cancellation.onRequest(() -> cancel(c, src));
                Cancellation.throwIfRequested();
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, "export:" + datasetName + ":" + request.format());
                    lock.execute();
                }
                List<Column> columns = dataset == null ? null : dataset.columns();
                if (userSql != null) {
                    ReadOnlyQuery.Prepared prepared = ReadOnlyQuery.prepare(c, userSql, filters);
                    query = prepared.query();
                    columns = prepared.columns();
                }
                PartFiles.cleanDebris(folder);
                Path finished = folder.resolve(String.format("_manifest-%06d.json", exportId));
                if (Files.exists(finished)) {
                    // export ids count per database: another database's export with this id wrote here; never overwrite it
                    throw new IllegalStateException(finished + " already exists, written by another database's export with the "
                            + "same id; choose another --out folder (or move the old output away)");
                }
                // the stored row width decides the fetch size and whether rows formatted here are split
                if (src != c) src.setAutoCommit(false);
                double width = dataset == null ? 0 : rowWidth(src, dataset);
                // a group's own database has a small pool of its own: one connection reads it
                slices = new Slices(folder, exportId, request.format().extension(),
                        BlockRanges.of(src, dataset, src == c ? slicesFor(request.format(), width) : 1, splitMinBytes));
                int fetch = fetchSize(width);
                long rows = slices.size() == 1
                        ? exportSlice(src, query, request, columns, fetch, slices.parts(0), true)
                        : exportSlices(sourceDs, src, query, request, columns, fetch, slices);
                onStop.close();
                // the last moment the export can stop: past it, it finishes and is recorded as succeeded
                Cancellation.throwIfRequested();
                if (src != c) {
                    src.commit();
                    src.setAutoCommit(true);
                }
                if (userSql != null) {
                    // nothing a query did outlives it: not a setting (set_config), not a session-level advisory lock
                    c.rollback();
                    try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                        unlock.execute();
                    }
                } else {
                    c.commit();
                }
                c.setAutoCommit(true);
                List<PartFiles.Part> parts = slices.all();
                Map<String, Object> manifest = manifest(exportId, datasetName, request, query, since, upper, parts,
                        startedAt, dataset);
                Path manifestFile = folder.resolve("_manifest-" + String.format("%06d", exportId) + ".json");
                Path tmp = folder.resolve("." + manifestFile.getFileName() + ".inprogress");
                Files.writeString(tmp, JSON.writeValueAsString(manifest));
                Files.move(tmp, manifestFile, StandardCopyOption.ATOMIC_MOVE);
                finishRow(c, exportId, rows, parts, manifest, dataset, upper, request);
                return new ExportReport(exportId, datasetName, request.format(), rows, parts, folder.toString(),
                        manifestFile.toString(), (System.nanoTime() - started) / 1_000_000, manifest);
            } catch (Exception e) {
                if (onStop != null) onStop.close(); // no cancel reaches the statements that record the failure
                if (slices != null) slices.abandon();
                endQuietly(src == c ? null : src, e);
                if (endQuietly(c, e)) {
                    ExportRows.fail(c, exportId, e);
                } else {
                    // the export's connection is gone: its row is marked on another, never left running
                    try (Connection fresh = dataSource.getConnection()) {
                        ExportRows.fail(fresh, exportId, e);
                    } catch (SQLException lost) {
                        e.addSuppressed(lost);
                    }
                }
                RuntimeException refused = userSql == null ? null : ReadOnlyQuery.refusal(e);
                if (refused != null) throw refused;
                throw e;
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
     * connection itself is gone (closed or broken).
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
        }
    }

    /** The slices of a table exported at once, each on its own connection, all in this transaction's snapshot. */
    private long exportSlices(DataSource source, Connection c, ExportQuery query, ExportRequest request, List<Column> columns, int fetch,
                              Slices slices) throws Exception {
        return SharedSnapshot.runAll(source, c, slices.size(), (w, slice) ->
                exportSlice(w, query.restrictedTo(slices.condition(slice)), request, columns, fetch, slices.parts(slice), slice == 0));
    }

    /** One slice (or the whole query) into its part files, in the caller's transaction; columns as the CSV writes them. */
    private long exportSlice(Connection c, ExportQuery query, ExportRequest request, List<Column> columns, int fetch,
                             PartFiles parts, boolean fileWhenEmpty) throws SQLException, IOException {
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
        RowProgress progress = new RowProgress((request.dataset() != null ? request.dataset() : String.valueOf(request.queryFile()))
                + " (" + parts.prefix() + ")");
        if (request.format() == ExportFormat.CSV) {
            return CsvCopy.export(c, query, columns, parts, rowsPerFile, fileWhenEmpty, progress);
        }
        return stream(c, query, request, fetch, parts, fileWhenEmpty, progress);
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
                RowExtractor extractor = new RowExtractor(columns);
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
     * limit and two connections were 1.4-1.5x faster, on wide rows (agent_telemetry) the client is, and
     * they were 15-20 % slower with twice the memory (bench export, 2 cores), so those stay on one.
     */
    private int slicesFor(ExportFormat format, double rowWidth) {
        return format == ExportFormat.CSV || rowWidth <= CLIENT_FORMAT_SLICE_MAX_ROW_BYTES ? connections : 1;
    }

    /** Rows narrower than this (bytes, as stored) are exported over several connections in every format. */
    private static final double CLIENT_FORMAT_SLICE_MAX_ROW_BYTES = 1024;

    /** The average stored width of the first rows (0 when empty). */
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
            String type = md.getColumnTypeName(i);
            boolean numeric = "numeric".equals(type) && md.getPrecision(i) > 0 && md.getPrecision(i) < 1000;
            columns.add(new Column(md.getColumnLabel(i), type, numeric ? md.getPrecision(i) : null, numeric ? md.getScale(i) : null));
        }
        return columns;
    }

    private static Map<String, Object> manifest(long id, String dataset, ExportRequest request, ExportQuery query,
                                                OffsetDateTime since, OffsetDateTime upper, List<PartFiles.Part> parts,
                                                OffsetDateTime startedAt, Dataset ds) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("export_id", id);
        m.put("dataset", dataset);
        m.put("format", request.format().extension());
        m.put("filters", query.filters());
        Map<String, Object> watermark = new LinkedHashMap<>();
        if (ds != null && ds.timeColumn().isPresent()) {
            watermark.put("column", ds.timeColumn().get());
            watermark.put("from", since == null ? null : since.toString());
            watermark.put("to", upper == null ? null : upper.toString());
        }
        m.put("watermark", watermark);
        m.put("incremental", request.incremental());
        m.put("files", parts);
        m.put("rows", parts.stream().mapToLong(PartFiles.Part::rows).sum());
        if (ds != null) {
            m.put("columns", ds.columns().stream().map(c -> Map.of("name", c.name(), "type", c.type())).toList());
        }
        m.put("started_at", startedAt.toString());
        m.put("finished_at", OffsetDateTime.now(ZoneOffset.UTC).toString());
        return m;
    }

    private static void finishRow(Connection c, long id, long rows, List<PartFiles.Part> parts, Map<String, Object> manifest,
                                  Dataset dataset, OffsetDateTime upper, ExportRequest request) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE exports SET status = 'succeeded', record_count = ?, bytes = ?, manifest = ?::jsonb,
                       watermark = ?::jsonb, finished_at = now() WHERE id = ?""")) {
            ps.setLong(1, rows);
            ps.setLong(2, parts.stream().mapToLong(PartFiles.Part::bytes).sum());
            ps.setString(3, JSON.writeValueAsString(manifest));
            ps.setString(4, JSON.writeValueAsString(manifest.get("watermark")));
            ps.setLong(5, id);
            ps.executeUpdate();
            if (request.incremental() && dataset != null && upper != null) {
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

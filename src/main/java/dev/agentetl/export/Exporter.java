package dev.agentetl.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentetl.db.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Bytes of rows fetched per round trip; bounds memory whatever the row width. */
    private static final long FETCH_BYTES = 8L << 20;

    private final DataSource dataSource;
    private final Path defaultOut;
    private final long rowsPerFile;

    public Exporter(DataSource dataSource, Path defaultOut, long rowsPerFile) {
        this.dataSource = dataSource;
        this.defaultOut = defaultOut;
        this.rowsPerFile = rowsPerFile;
    }

    public ExportReport export(ExportRequest request) throws Exception {
        long started = System.nanoTime();
        OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection()) {
            String datasetName;
            ExportQuery query;
            Dataset dataset = null;
            OffsetDateTime since = request.since();
            OffsetDateTime upper = request.until();
            if (request.queryFile() != null) {
                if (!request.where().isEmpty() || since != null || upper != null || request.incremental()) {
                    throw new IllegalArgumentException("--query takes no filters; put them in the query");
                }
                String sql = Files.readString(request.queryFile()).strip();
                if (sql.endsWith(";")) sql = sql.substring(0, sql.length() - 1);
                datasetName = request.queryFile().getFileName().toString().replaceAll("\\.sql$", "");
                query = new ExportQuery(sql, List.of(), Map.of("query_file", request.queryFile().toString()));
            } else {
                dataset = Dataset.lookup(c, request.dataset());
                datasetName = dataset.name();
                if (request.incremental()) {
                    if (dataset.timeColumn().isEmpty()) {
                        throw new IllegalArgumentException("dataset " + datasetName + " has no time column for --incremental");
                    }
                    OffsetDateTime last = Watermarks.last(c, datasetName, request.format().extension());
                    if (last != null && (since == null || last.isAfter(since))) since = last;
                    OffsetDateTime safe = dev.agentetl.db.OpenTransactions.oldestStart(c);
                    if (upper == null || safe.isBefore(upper)) upper = safe;
                }
                query = ExportQuery.of(dataset, since, upper, request.where());
            }
            Path out = request.outDir() != null ? request.outDir() : defaultOut;
            Path folder = out.resolve(datasetName).resolve(request.format().extension())
                    .resolve("dt=" + startedAt.toLocalDate());
            long exportId = ExportRows.start(c, request.format().extension(), datasetName, JSON.writeValueAsString(query.filters()),
                    folder, request.actor());
            PartFiles parts = null;
            try {
                c.setAutoCommit(false);
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, "export:" + datasetName + ":" + request.format());
                    lock.execute();
                }
                PartFiles.cleanDebris(folder);
                parts = new PartFiles(folder, String.format("part-%06d", exportId), request.format().extension());
                long rows = stream(c, query, request, parts, dataset);
                c.commit();
                c.setAutoCommit(true);
                Map<String, Object> manifest = manifest(exportId, datasetName, request, query, since, upper, parts,
                        startedAt, dataset);
                Path manifestFile = folder.resolve("_manifest-" + String.format("%06d", exportId) + ".json");
                Path tmp = folder.resolve("." + manifestFile.getFileName() + ".inprogress");
                Files.writeString(tmp, JSON.writeValueAsString(manifest));
                Files.move(tmp, manifestFile, StandardCopyOption.ATOMIC_MOVE);
                finishRow(c, exportId, rows, parts, manifest, dataset, upper, request);
                return new ExportReport(exportId, datasetName, request.format(), rows, parts.parts(), folder.toString(),
                        manifestFile.toString(), (System.nanoTime() - started) / 1_000_000, manifest);
            } catch (Exception e) {
                if (parts != null) parts.abandon();
                if (!c.getAutoCommit()) {
                    Transactions.rollbackQuietly(c, e);
                    c.setAutoCommit(true);
                }
                ExportRows.fail(c, exportId, e);
                throw e;
            }
        }
    }

    private long stream(Connection c, ExportQuery query, ExportRequest request, PartFiles parts, Dataset dataset)
            throws SQLException, IOException {
        try (PreparedStatement ro = c.prepareStatement("SET TRANSACTION READ ONLY")) {
            ro.execute();
        }
        // timestamps read as text come in UTC, so the writers only reshape them
        try (PreparedStatement utc = c.prepareStatement("SET LOCAL TIME ZONE 'UTC'")) {
            utc.execute();
        }
        int fetch = fetchSize(c, dataset);
        long rows = 0;
        long lastLog = System.nanoTime();
        long t0 = lastLog;
        try (PreparedStatement ps = c.prepareStatement(query.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(fetch);
            for (int i = 0; i < query.parameters().size(); i++) {
                ps.setObject(i + 1, query.parameters().get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Column> columns = columns(rs.getMetaData());
                RowExtractor extractor = new RowExtractor(columns, request.format() == ExportFormat.CSV);
                WriterLoop writer = new WriterLoop(request.format(), columns, parts, rowsPerFile, request.compression());
                try {
                    List<Object[]> batch = new ArrayList<>(WriterLoop.BATCH);
                    while (rs.next()) {
                        batch.add(extractor.extract(rs));
                        rows++;
                        if (batch.size() == WriterLoop.BATCH) {
                            writer.put(batch);
                            batch = new ArrayList<>(WriterLoop.BATCH);
                        }
                        if ((rows & 1023) == 0 && System.nanoTime() - lastLog > 3_000_000_000L) {
                            lastLog = System.nanoTime();
                            LOG.info("export {}: {} rows ({} rows/s)", request.dataset() != null ? request.dataset() : request.queryFile(), rows, rows * 1_000_000_000L / (lastLog - t0));
                        }
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

    /** A fetch size that keeps about FETCH_BYTES of rows per round trip. */
    private static int fetchSize(Connection c, Dataset dataset) throws SQLException {
        if (dataset == null) return 1000;
        try (PreparedStatement ps = c.prepareStatement("SELECT avg(pg_column_size(t.*)) FROM (SELECT * FROM public."
                + Dataset.quote(dataset.name()) + " LIMIT 1000) t"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            double width = rs.getDouble(1);
            return (int) Math.max(50, Math.min(10_000, width <= 0 ? 1000 : FETCH_BYTES / (width * 3)));
        }
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
                                                OffsetDateTime since, OffsetDateTime upper, PartFiles parts,
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
        m.put("files", parts.parts());
        m.put("rows", parts.parts().stream().mapToLong(PartFiles.Part::rows).sum());
        if (ds != null) {
            m.put("columns", ds.columns().stream().map(c -> Map.of("name", c.name(), "type", c.type())).toList());
        }
        m.put("started_at", startedAt.toString());
        m.put("finished_at", OffsetDateTime.now(ZoneOffset.UTC).toString());
        return m;
    }

    private static void finishRow(Connection c, long id, long rows, PartFiles parts, Map<String, Object> manifest,
                                  Dataset dataset, OffsetDateTime upper, ExportRequest request) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE exports SET status = 'succeeded', record_count = ?, bytes = ?, manifest = ?::jsonb,
                       watermark = ?::jsonb, finished_at = now() WHERE id = ?""")) {
            ps.setLong(1, rows);
            ps.setLong(2, parts.parts().stream().mapToLong(PartFiles.Part::bytes).sum());
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

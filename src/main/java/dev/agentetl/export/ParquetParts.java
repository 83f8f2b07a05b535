package dev.agentetl.export;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The export's Parquet writing for other jobs (archive): the rows of one query, in the caller's transaction,
 * into part files of a folder (rotated every {@code rowsPerFile} rows) written under hidden names by the
 * export's writer loop, published together by {@link #publish()} or removed by {@link #abandon()}.
 */
public final class ParquetParts {

    /** One published part: its path relative to the folder's parent, rows, bytes, SHA-256. */
    public record File(String file, long rows, long bytes, String sha256) {
    }

    private final PartFiles parts;
    private long rows;

    private ParquetParts(PartFiles parts) {
        this.parts = parts;
    }

    /**
     * Streams the rows of {@code sql} (bound to {@code parameters}) into {@code <folder>/<prefix>-NNNNN.parquet}
     * files; no rows still give one file with the schema. Rows go by on {@code shown}; a stop request (SIGTERM)
     * ends the writing at the next 1024 rows.
     */
    public static ParquetParts write(Connection c, String sql, List<?> parameters, Path folder, String prefix,
                                     long rowsPerFile, String compression, dev.agentetl.progress.Progress shown)
            throws SQLException, IOException {
        ParquetParts out = new ParquetParts(new PartFiles(folder, prefix, ExportFormat.PARQUET.extension()));
        RowProgress progress = new RowProgress(shown);
        try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(1000);
            for (int i = 0; i < parameters.size(); i++) ps.setObject(i + 1, parameters.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                List<Column> columns = Exporter.columns(rs.getMetaData());
                RowExtractor extractor = new RowExtractor(columns);
                WriterLoop writer = new WriterLoop(ExportFormat.PARQUET, columns, out.parts, rowsPerFile, compression, true);
                try {
                    List<Object[]> batch = new ArrayList<>(WriterLoop.BATCH);
                    while (rs.next()) {
                        batch.add(extractor.extract(rs));
                        out.rows++;
                        if (batch.size() == WriterLoop.BATCH) {
                            writer.put(batch);
                            batch = new ArrayList<>(WriterLoop.BATCH);
                        }
                        progress.rows(out.rows);
                    }
                    if (!batch.isEmpty()) writer.put(batch);
                    writer.finish();
                    progress.finished(out.rows);
                } catch (SQLException | IOException | RuntimeException e) {
                    writer.abort();
                    out.abandon();
                    throw e;
                }
            }
        }
        return out;
    }

    public long rows() {
        return rows;
    }

    public List<File> files() {
        return parts.parts().stream().map(p -> new File(p.file(), p.rows(), p.bytes(), p.sha256())).toList();
    }

    /** Every file gets its final name. */
    public void publish() throws IOException {
        parts.publish();
    }

    /** Removes what was written (published or not). */
    public void abandon() {
        parts.abandon();
    }

    /** Writes a manifest (JSON) the way the export does: to a hidden file, then renamed. */
    public static void writeManifest(Path file, Object content) throws IOException {
        ExportFolder.write(file, content);
    }
}

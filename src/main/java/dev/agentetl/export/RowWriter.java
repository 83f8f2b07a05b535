package dev.agentetl.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** Writes rows of one result set to one file. */
interface RowWriter extends AutoCloseable {

    /** One row, as {@link RowExtractor} took it from the result set. */
    void write(Object[] row) throws IOException;

    @Override
    void close() throws IOException;

    /** A writer of the format for these columns on this stream. */
    static RowWriter open(ExportFormat format, List<Column> columns, OutputStream out, String compression) throws IOException {
        return switch (format) {
            case CSV -> throw new IllegalArgumentException("CSV is written by the server's COPY (CsvCopy)");
            case JSONL -> new JsonLinesRowWriter(columns, out);
            case PARQUET -> new ParquetRowWriter(columns, out, compression);
        };
    }
}

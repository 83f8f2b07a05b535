package dev.agentetl.export;

import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * CSV through PostgreSQL's own COPY: the server formats the rows (its fastest path), a SELECT around
 * the export's query puts the values into the forms our CSV promises, and {@link CsvPartSink} lays the
 * stream out as part files. Quoting, NULL (empty) versus empty text ("") and UTF-8 are COPY's.
 */
final class CsvCopy {

    private CsvCopy() {
    }

    /** Streams one query's rows into part files; the rows written. */
    static long export(Connection c, ExportQuery query, List<Column> columns, PartFiles parts, long rowsPerFile,
                       boolean fileWhenEmpty, RowProgress progress) throws SQLException, IOException {
        query.bindSettings(c);
        CsvPartSink sink = new CsvPartSink(parts, rowsPerFile, progress, columns);
        PGConnection pg = c.unwrap(PGConnection.class);
        Receiver receiver = new Receiver(sink, pg);
        try {
            pg.getCopyAPI().copyOut(sql(query.copySql(), columns), receiver);
        } catch (SQLException | IOException e) {
            if (receiver.failure == null) throw e;
            // the COPY ended by the cancel the receiver sent: what stopped it is the failure
        }
        if (receiver.failure instanceof RuntimeException e) throw e;
        if (receiver.failure instanceof IOException e) throw e;
        return sink.finish(fileWhenEmpty);
    }

    /**
     * Passes the COPY's bytes to the sink until the sink fails (the job asked to stop, at a row; a file that
     * cannot be written), then cancels the COPY on the server and reads what the server still sends, to its end.
     * pgjdbc itself only cancels a COPY TO STDOUT whose receiver fails, without reading the rest: the messages
     * left unread would then be taken by the connection's next statement as its own answer.
     */
    private static final class Receiver extends OutputStream {
        private final OutputStream sink;
        private final PGConnection connection;
        private Exception failure;

        Receiver(OutputStream sink, PGConnection connection) {
            this.sink = sink;
            this.connection = connection;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (failure != null) return; // discarded until the COPY ends
            try {
                sink.write(b, off, len);
            } catch (RuntimeException | IOException e) {
                failure = e;
                try {
                    connection.cancelQuery();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel); // the COPY runs to its end, its rows discarded
                }
            }
        }
    }

    /**
     * The COPY of a SELECT. Its columns are renamed by position (q.c1, q.c2, ...) and given their names back
     * in the output, so a user's query whose columns share a name ({@code SELECT a.id, b.id}) still works.
     */
    static String sql(String select, List<Column> columns) {
        StringBuilder values = new StringBuilder();
        StringBuilder positions = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                values.append(", ");
                positions.append(", ");
            }
            values.append(value(columns.get(i), "q.c" + (i + 1))).append(" AS ").append(Dataset.quote(columns.get(i).name()));
            positions.append("c").append(i + 1);
        }
        return "COPY (SELECT " + values + " FROM (" + select + ") q (" + positions + ")) TO STDOUT (FORMAT csv, HEADER)";
    }

    /**
     * One column as the server should write it: arrays as JSON arrays; everything else in PostgreSQL's own
     * text (jsonb as JSON text, numeric in full, uuid), timestamps and booleans reshaped by {@link CsvPartSink}.
     */
    private static String value(Column c, String x) {
        return c.isArray() ? "to_json(" + x + ")" : x;
    }
}

package dev.agentetl.db;

import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Rows of one table in PostgreSQL's COPY text format, flushed with {@code COPY ... FROM STDIN}.
 * Values are escaped as the format requires (backslash, tab, newline, carriage return); null is \N.
 */
public final class CopyBuffer {

    private static final DateTimeFormatter TS = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final String table;
    private final String columns;
    private final StringBuilder text = new StringBuilder(1 << 16);
    private long rows;
    private long total;

    public CopyBuffer(String table, String columns) {
        this.table = table;
        this.columns = columns;
    }

    public void row(Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                text.append('\t');
            }
            append(values[i]);
        }
        text.append('\n');
        rows++;
    }

    private void append(Object value) {
        if (value == null) {
            text.append("\\N");
        } else if (value instanceof OffsetDateTime t) {
            text.append(TS.format(t));
        } else if (value instanceof Boolean b) {
            text.append(b ? 't' : 'f');
        } else if (value instanceof Number n) {
            text.append(n);
        } else {
            String s = value.toString();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '\t' -> text.append("\\t");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    default -> text.append(c);
                }
            }
        }
    }

    public long pendingRows() {
        return rows;
    }

    public int pendingChars() {
        return text.length();
    }

    /** The buffered rows as one COPY, handed to another thread; the buffer starts empty again. */
    public record Batch(String sql, String text, long rows) {
        public long send(CopyManager copy) throws SQLException, IOException {
            if (rows > 0) {
                copy.copyIn(sql, new StringReader(text));
            }
            return rows;
        }
    }

    public Batch take() {
        Batch b = new Batch("COPY " + table + " (" + columns + ") FROM STDIN", text.toString(), rows);
        total += rows;
        text.setLength(0);
        rows = 0;
        return b;
    }

    /**
     * Starts one COPY for a stream of rows handed over with {@link #drainTo}: the server stores rows while
     * the caller is still producing the next ones (a COPY per chunk would make each side wait for the other).
     */
    public CopyIn open(CopyManager copy) throws SQLException {
        return copy.copyIn("COPY " + table + " (" + columns + ") FROM STDIN");
    }

    /** Writes the buffered rows into an open COPY and empties the buffer. */
    public void drainTo(CopyIn in) throws SQLException {
        if (rows == 0) return;
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        total += rows;
        rows = 0;
        text.setLength(0);
    }

    /** Sends the buffered rows and empties the buffer; returns how many rows were sent. */
    public long flush(CopyManager copy) throws SQLException, IOException {
        return take().send(copy);
    }

    public String table() {
        return table;
    }

    public long total() {
        return total;
    }
}

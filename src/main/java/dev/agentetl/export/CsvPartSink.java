package dev.agentetl.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Receives the bytes of a {@code COPY ... TO STDOUT (FORMAT csv, HEADER)} and lays them out as part
 * files: the header line starts every file, a new file begins every {@code rowsPerFile} records, and
 * records end with CRLF as RFC 4180 asks (COPY ends them with LF). A record ends at a line feed outside
 * quotes; line breaks inside quoted values are data and stay as they are.
 * <p>
 * It also puts timestamps and booleans into the forms our CSV promises, here rather than with to_char in
 * the query, which doubled the server's time per row: PostgreSQL's ISO text of a timestamp in UTC
 * ({@code 2026-11-08 15:35:06.5+00}) becomes {@code 2026-11-08T15:35:06.500000Z}, {@code t}/{@code f}
 * become {@code true}/{@code false}. Those values never need quotes, so a field is the bytes between
 * two commas; anything not in the expected shape (infinity, years BC) is left as the server wrote it.
 */
final class CsvPartSink extends OutputStream {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] TRUE = "true".getBytes();
    private static final byte[] FALSE = "false".getBytes();

    private enum Kind { AS_IS, TIMESTAMPTZ, TIMESTAMP, BOOL }

    private final PartFiles parts;
    private final long rowsPerFile;
    private final RowProgress progress;
    private final Kind[] kinds;
    private byte[] header = new byte[256];
    private int headerLength;
    private boolean inHeader = true;
    private boolean quoted;
    private int field;
    private boolean capturing;
    private byte[] value = new byte[64];
    private int valueLength;
    private final byte[] reshaped = new byte[64];
    private OutputStream file;
    private long inFile;
    private long rows;

    CsvPartSink(PartFiles parts, long rowsPerFile, RowProgress progress, List<Column> columns) {
        this.parts = parts;
        this.rowsPerFile = rowsPerFile;
        this.progress = progress;
        this.kinds = columns.stream().map(c -> c.isTimestampTz() ? Kind.TIMESTAMPTZ : c.isTimestamp() ? Kind.TIMESTAMP
                : c.type().equals("bool") ? Kind.BOOL : Kind.AS_IS).toArray(Kind[]::new);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int start = off; // first byte not yet passed on
        for (int i = off; i < end; i++) {
            byte x = b[i];
            if (capturing) {
                if (x != ',' && x != '\n') {
                    if (valueLength == value.length) value = Arrays.copyOf(value, value.length * 2);
                    value[valueLength++] = x;
                    start = i + 1;
                    continue;
                }
                capturing = false;
                emitValue();
            }
            if (x == '"') {
                quoted = !quoted;
            } else if (!quoted && x == ',') {
                field++;
                if (!inHeader && field < kinds.length && kinds[field] != Kind.AS_IS) {
                    pass(b, start, i + 1 - start); // up to and with the comma; the value is captured
                    start = i + 1;
                    capture();
                }
            } else if (!quoted && x == '\n') {
                if (inHeader) {
                    appendHeader(b, start, i - start);
                    inHeader = false;
                } else {
                    pass(b, start, i - start);
                    file.write(CRLF);
                    rows++;
                    if (++inFile == rowsPerFile) closeFile();
                    progress.rows(rows);
                }
                start = i + 1;
                field = 0;
                if (kinds.length > 0 && kinds[0] != Kind.AS_IS) capture();
            }
        }
        if (start < end) {
            if (inHeader) appendHeader(b, start, end - start);
            else pass(b, start, end - start);
        }
    }

    private void capture() {
        capturing = true;
        valueLength = 0;
    }

    private void pass(byte[] b, int off, int len) throws IOException {
        if (file == null) open();
        if (len > 0) file.write(b, off, len);
    }

    private void emitValue() throws IOException {
        if (file == null) open();
        switch (kinds[field]) {
            case BOOL -> file.write(valueLength == 1 && value[0] == 't' ? TRUE : valueLength == 1 && value[0] == 'f' ? FALSE
                    : Arrays.copyOf(value, valueLength));
            case TIMESTAMPTZ -> iso(true);
            case TIMESTAMP -> iso(false);
            default -> file.write(value, 0, valueLength);
        }
    }

    /** {@code YYYY-MM-DD HH:MM:SS[.f{1,6}][+00]} as ISO-8601 with six fractional digits (and Z); else unchanged. */
    private void iso(boolean zone) throws IOException {
        byte[] v = value;
        int n = valueLength;
        int body = zone ? n - 3 : n;
        boolean shaped = n >= 19 && v[4] == '-' && v[10] == ' ' && v[13] == ':'
                && (!zone || (n >= 22 && v[n - 3] == '+' && v[n - 2] == '0' && v[n - 1] == '0'))
                && (body == 19 || (body > 20 && body <= 26 && v[19] == '.'));
        if (!shaped) {
            file.write(v, 0, n);
            return;
        }
        byte[] r = reshaped;
        System.arraycopy(v, 0, r, 0, 19);
        r[10] = 'T';
        r[19] = '.';
        int digits = body > 19 ? body - 20 : 0;
        if (digits > 0) System.arraycopy(v, 20, r, 20, digits);
        Arrays.fill(r, 20 + digits, 26, (byte) '0');
        int length = 26;
        if (zone) r[length++] = 'Z';
        file.write(r, 0, length);
    }

    private void appendHeader(byte[] b, int off, int len) {
        if (headerLength + len > header.length) header = Arrays.copyOf(header, Math.max(header.length * 2, headerLength + len));
        System.arraycopy(b, off, header, headerLength, len);
        headerLength += len;
    }

    private void open() throws IOException {
        file = parts.next();
        file.write(header, 0, headerLength);
        file.write(CRLF);
    }

    private void closeFile() throws IOException {
        file.close();
        parts.complete(inFile);
        file = null;
        inFile = 0;
    }

    /**
     * The COPY finished: completes the last file.
     * @param headerOnlyWhenEmpty whether no rows still give a file with the header (the first slice does, so
     *                            an empty export has one file)
     */
    long finish(boolean headerOnlyWhenEmpty) throws IOException {
        boolean betweenRecords = !quoted && field == 0 && (!capturing || valueLength == 0);
        if (!betweenRecords) throw new IOException("COPY output ended inside a record");
        if (file != null || (headerOnlyWhenEmpty && parts.parts().isEmpty())) {
            if (file == null) open();
            closeFile();
        }
        return rows;
    }

    /** The export failed: the file being written is deleted by {@link PartFiles#abandon()}. */
    @Override
    public void close() {
        // nothing to do: finish() completes files, PartFiles.abandon() removes an incomplete one
    }
}

package dev.agentetl.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Receives the bytes of a {@code COPY ... TO STDOUT (FORMAT csv, HEADER)} and lays them out as part
 * files: the header line starts every file, a new file begins every {@code rowsPerFile} records, and
 * records end with CRLF as RFC 4180 asks (COPY ends them with LF). A record ends at a line feed outside
 * quotes; line breaks inside quoted values are data and stay as they are.
 */
final class CsvPartSink extends OutputStream {

    private static final byte[] CRLF = {'\r', '\n'};

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CsvPartSink.class);

    private final PartFiles parts;
    private final long rowsPerFile;
    private final String label;
    private final long started = System.nanoTime();
    private long lastLog = started;
    private byte[] header = new byte[256];
    private int headerLength;
    private boolean inHeader = true;
    private boolean quoted;
    private OutputStream file;
    private long inFile;
    private long rows;

    /** @param label what the progress lines name (the dataset, and the slice when there are several) */
    CsvPartSink(PartFiles parts, long rowsPerFile, String label) {
        this.parts = parts;
        this.rowsPerFile = rowsPerFile;
        this.label = label;
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
            if (x == '"') {
                quoted = !quoted;
            } else if (x == '\n' && !quoted) {
                if (inHeader) {
                    appendHeader(b, start, i - start);
                    inHeader = false;
                } else {
                    if (file == null) open();
                    file.write(b, start, i - start);
                    file.write(CRLF);
                    rows++;
                    if (++inFile == rowsPerFile) closeFile();
                    if ((rows & 4095) == 0) progress();
                }
                start = i + 1;
            }
        }
        if (start < end) {
            if (inHeader) {
                appendHeader(b, start, end - start);
            } else {
                if (file == null) open();
                file.write(b, start, end - start);
            }
        }
    }

    private void progress() {
        long now = System.nanoTime();
        if (now - lastLog < 3_000_000_000L) return;
        lastLog = now;
        LOG.info("export {}: {} rows ({} rows/s)", label, rows, rows * 1_000_000_000L / (now - started));
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
        if (quoted) throw new IOException("COPY output ended inside a quoted value");
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

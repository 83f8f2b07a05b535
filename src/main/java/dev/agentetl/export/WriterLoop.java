package dev.agentetl.export;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The writing half of an export, on its own thread: takes batches of extracted rows from a bounded
 * queue (so memory stays at a few batches), formats them into part files and rotates files every
 * {@code rowsPerFile} rows. The reading half fills the queue from the cursor meanwhile.
 */
final class WriterLoop {

    static final int BATCH = 256;
    private static final List<Object[]> END = new ArrayList<>();

    private final BlockingQueue<List<Object[]>> queue = new ArrayBlockingQueue<>(4);
    private final ExportFormat format;
    private final List<Column> columns;
    private final PartFiles parts;
    private final long rowsPerFile;
    private final String compression;
    private final boolean fileWhenEmpty;
    private final Thread thread;
    private volatile Throwable failure;

    /** @param fileWhenEmpty whether no rows still give one file (with the header / schema) */
    WriterLoop(ExportFormat format, List<Column> columns, PartFiles parts, long rowsPerFile, String compression,
               boolean fileWhenEmpty) {
        this.fileWhenEmpty = fileWhenEmpty;
        this.format = format;
        this.columns = columns;
        this.parts = parts;
        this.rowsPerFile = rowsPerFile;
        this.compression = compression;
        this.thread = new Thread(this::run, "export-format");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Hands a batch to the writer; fails fast if the writer has failed. */
    void put(List<Object[]> batch) throws IOException {
        rethrow();
        try {
            while (!queue.offer(batch, 200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** No more rows: waits for the last file to be complete. */
    void finish() throws IOException {
        put(END);
        join();
        rethrow();
    }

    /** Stops the writer after a read failure. */
    void abort() {
        queue.clear();
        queue.offer(END);
        join();
    }

    private void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrow() throws IOException {
        Throwable f = failure;
        if (f instanceof IOException io) throw io;
        if (f instanceof RuntimeException re) throw re;
        if (f != null) throw new IOException(f);
    }

    private void run() {
        RowWriter writer = null;
        long inFile = 0;
        try {
            while (true) {
                List<Object[]> batch = queue.take();
                if (batch == END) break;
                for (Object[] row : batch) {
                    if (writer == null) writer = RowWriter.open(format, columns, parts.next(), compression);
                    writer.write(row);
                    if (++inFile == rowsPerFile) {
                        writer.close();
                        writer = null;
                        parts.complete(inFile);
                        inFile = 0;
                    }
                }
            }
            if (failure == null && (writer != null || (fileWhenEmpty && parts.parts().isEmpty()))) {
                // an empty result still gives one file with the header / schema
                if (writer == null) writer = RowWriter.open(format, columns, parts.next(), compression);
                writer.close();
                writer = null;
                parts.complete(inFile);
            }
        } catch (Throwable t) {
            failure = t;
            queue.clear();
        } finally {
            if (writer != null) {
                try { writer.close(); } catch (IOException ignored) { /* already failing */ }
            }
        }
    }
}

package dev.agentetl.export;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An export's progress on the log (stderr) every few seconds: rows so far and rows per second. */
final class RowProgress {

    private static final Logger LOG = LoggerFactory.getLogger(RowProgress.class);
    private static final long EVERY_NANOS = 3_000_000_000L;

    private final String label;
    private final long started = System.nanoTime();
    private long last = started;

    /** @param label what the lines name: the dataset, and the part files' prefix when a table is exported in slices */
    RowProgress(String label) {
        this.label = label;
    }

    /**
     * Called as rows go by (cheap: it looks at the clock every 1024 rows); also a safe point where the export
     * stops when it was asked to (SIGTERM, Ctrl-C).
     */
    void rows(long rows) {
        if ((rows & 1023) != 0) return;
        dev.agentetl.runtime.Cancellation.throwIfRequested();
        long now = System.nanoTime();
        if (now - last < EVERY_NANOS) return;
        last = now;
        LOG.info("export {}: {} rows ({} rows/s)", label, rows, rows * 1_000_000_000L / (now - started));
    }
}

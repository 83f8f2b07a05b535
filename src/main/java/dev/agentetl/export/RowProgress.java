package dev.agentetl.export;

import dev.agentetl.progress.Progress;

/**
 * One slice's rows counted into the export's {@link Progress} (a bar on a terminal, else a log line every few
 * seconds), in steps of 1024 rows so that slices on several threads add up cheaply.
 */
final class RowProgress {

    private static final long STEP = 1024;

    private final Progress progress;
    private long reported;

    RowProgress(Progress progress) {
        this.progress = progress;
    }

    /**
     * Called as rows go by (cheap: it does something every 1024 rows); also a safe point where the export
     * stops when it was asked to (SIGTERM, Ctrl-C).
     */
    void rows(long rows) {
        if ((rows & (STEP - 1)) != 0) return;
        dev.agentetl.runtime.Cancellation.throwIfRequested();
        progress.step(rows - reported);
        reported = rows;
    }

    /** The slice's last rows, fewer than a step. */
    void finished(long rows) {
        progress.step(rows - reported);
        reported = rows;
    }
}

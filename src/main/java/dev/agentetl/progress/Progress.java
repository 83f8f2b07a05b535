package dev.agentetl.progress;

/**
 * The progress of one piece of long work (rows generated, exported, read): a bar with percent, rows, rows/s and
 * ETA when stderr is a terminal, a log line every few seconds otherwise (see {@link ProgressReporter}). A job
 * opens one with {@link #start}, reports as it goes and closes it when done; calls are cheap enough for every row.
 *
 * <pre>{@code
 * try (Progress p = Progress.start("archive tool_calls", "rows", estimatedRows)) {
 *     for (...) { ...; p.step(1); }
 * }
 * }</pre>
 */
public interface Progress extends AutoCloseable {

    /**
     * Starts showing the progress of {@code task}, counted in {@code unit} (rows, examples), out of {@code total}
     * (an estimate is fine; 0 or less when unknown: then no percent and no ETA).
     */
    static Progress start(String task, String unit, long total) {
        return ProgressReporter.current().start(task, unit, total);
    }

    /** {@code n} more done. */
    void step(long n);

    /** {@code done} done so far (never goes back). */
    void stepTo(long done);

    /** The total, when it becomes known or better estimated. */
    void total(long total);

    /** A short note shown beside the figures (the table being read, rows written so far). */
    void note(String note);

    /** Done so far. */
    long done();

    /** Ends the bar (the last figures stay on the screen) or writes the last log line. */
    @Override
    void close();

    /** Progress that shows nothing. */
    Progress NONE = new Progress() {
        @Override public void step(long n) { }
        @Override public void stepTo(long done) { }
        @Override public void total(long total) { }
        @Override public void note(String note) { }
        @Override public long done() { return 0; }
        @Override public void close() { }
    };
}

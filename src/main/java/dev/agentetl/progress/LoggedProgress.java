package dev.agentetl.progress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Progress as a log line every few seconds (stderr that is not a terminal): done, of total, rate, ETA. */
final class LoggedProgress implements Progress {

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final String task;
    private final String unit;
    private final long everyNanos;
    private final long started = System.nanoTime();
    private volatile long total;
    private volatile String note;
    private long done;
    private long last = started;

    LoggedProgress(String task, String unit, long total, long everyNanos) {
        this.task = task;
        this.unit = unit;
        this.total = total;
        this.everyNanos = everyNanos;
    }

    @Override
    public synchronized void step(long n) {
        done += n;
        maybeLog();
    }

    @Override
    public synchronized void stepTo(long done) {
        if (done > this.done) this.done = done;
        maybeLog();
    }

    @Override public void total(long total) { this.total = total; }
    @Override public void note(String note) { this.note = note; }
    @Override public synchronized long done() { return done; }

    private void maybeLog() {
        long now = System.nanoTime();
        if (now - last < everyNanos) return;
        last = now;
        LOG.info(line(now));
    }

    String line(long now) {
        long rate = now == started ? 0 : done * 1_000_000_000L / (now - started);
        StringBuilder sb = new StringBuilder(task).append(": ").append(String.format("%,d", done));
        if (total > 0) {
            sb.append(String.format(" of %,d %s (%d%%)", total, unit, Math.min(100, done * 100 / total)));
        } else {
            sb.append(' ').append(unit);
        }
        sb.append(String.format(", %,d %s/s", rate, unit));
        if (total > 0 && rate > 0 && done < total) {
            long secs = (total - done) / rate;
            sb.append(String.format(", ETA %d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60));
        }
        if (note != null) sb.append(" (").append(note).append(')');
        return sb.toString();
    }

    @Override
    public synchronized void close() {
        // a last line only for work long enough to have had one: a short job's report says the rest
        if (last != started) LOG.info(line(System.nanoTime()));
    }
}

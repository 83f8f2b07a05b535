package dev.agentetl.ingest;

import dev.agentetl.db.CopyBuffer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.io.StringReader;

/**
 * The run's PostgreSQL connection, written on a thread of its own while the store is read: COPY batches
 * (into the targets, the key map and the staging tables, each a COPY of its own) and the few statements
 * between them run in the order given, so PostgreSQL stores one batch while the next is read and converted.
 * At most {@link #IN_FLIGHT} batches wait (bounded memory). {@link #drain} waits for all and rethrows the
 * first failure; the caller uses the connection itself only after it.
 */
final class CopyPipe implements AutoCloseable {

    /** Batches handed over and not yet stored; each is about {@link TableIngest#BATCH_CHARS} characters. */
    private static final int IN_FLIGHT = 4;

    interface Step {
        void run(Connection pg) throws Exception;
    }

    private final Connection pg;
    private final CopyManager copy;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ingest-copy");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore room = new Semaphore(IN_FLIGHT);
    private final ArrayDeque<Future<?>> pending = new ArrayDeque<>();

    CopyPipe(Connection pg) throws SQLException {
        this.pg = pg;
        this.copy = pg.unwrap(PGConnection.class).getCopyAPI();
    }

    /** One COPY; {@code stored} (optional) adds the rows PostgreSQL says it stored. */
    void send(CopyBuffer.Batch batch, AtomicLong stored) throws SQLException {
        if (batch.rows() == 0) return;
        run(c -> {
            long n = copy.copyIn(batch.sql(), new StringReader(batch.text()));
            if (stored != null) stored.addAndGet(n);
        });
    }

    /** A statement (or anything on the connection) in its turn between the batches. */
    void run(Step step) throws SQLException {
        try {
            room.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        }
        try {
            pending.add(thread.submit(() -> {
                try {
                    step.run(pg);
                    return null;
                } finally {
                    room.release();
                }
            }));
        } catch (RuntimeException e) {
            room.release();
            throw e;
        }
        // a failure is reported as soon as it is known, not only at the end
        while (!pending.isEmpty() && pending.peek().isDone()) get(pending.poll());
    }

    /** Waits until everything handed over is stored; the first failure is thrown. */
    void drain() throws SQLException {
        while (!pending.isEmpty()) get(pending.poll());
    }

    private static void get(Future<?> f) throws SQLException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof SQLException s) throw s;
            if (c instanceof RuntimeException r) throw r;
            throw new SQLException(c.getMessage(), c);
        }
    }

    @Override
    public void close() {
        // after a failure the steps still queued run against an aborted transaction and fail at once
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES)) thread.shutdownNow();
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

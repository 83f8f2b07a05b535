package dev.agentetl.finetune;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Prepares batches of candidates on worker threads while the owner keeps reading, and hands the results
 * back to the owner in the order the batches were submitted. At most a few batches are in flight, so
 * memory stays bounded; the owner blocks on the oldest batch when the limit is reached.
 */
final class OrderedWorkers implements AutoCloseable {

    interface Sink {
        void accept(List<ExamplePipeline.Prepared> batch) throws SQLException, IOException;
    }

    private final ExecutorService pool;
    private final Deque<Future<List<ExamplePipeline.Prepared>>> inFlight = new ArrayDeque<>();
    private final int maxInFlight;
    private final Sink sink;

    OrderedWorkers(int threads, Sink sink) {
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(dev.agentetl.runtime.LogSetup.carryingContext(r), "finetune-worker");
            t.setDaemon(true);
            return t;
        });
        this.maxInFlight = threads * 2;
        this.sink = sink;
    }

    void submit(Callable<List<ExamplePipeline.Prepared>> batch) throws SQLException, IOException {
        inFlight.add(pool.submit(batch));
        while (inFlight.size() > maxInFlight || (!inFlight.isEmpty() && inFlight.peek().isDone())) drainOne();
    }

    /** Waits for every batch and hands it over. */
    void finish() throws SQLException, IOException {
        while (!inFlight.isEmpty()) drainOne();
    }

    private void drainOne() throws SQLException, IOException {
        try {
            sink.accept(inFlight.poll().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while preparing examples", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}

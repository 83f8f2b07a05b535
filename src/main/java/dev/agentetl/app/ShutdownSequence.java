package dev.agentetl.app;

import dev.agentetl.runtime.Errors;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One JVM shutdown hook that closes what is still open in the reverse order it was opened (management
 * endpoint, then Camel and the pool, then the embedded server). Separate hooks would run at the same time,
 * and the database could stop under a job that is still finishing.
 */
public final class ShutdownSequence {

    private static final Deque<AutoCloseable> OPEN = new ArrayDeque<>();
    private static boolean hooked;

    private ShutdownSequence() {
    }

    /** Closes {@code resource} at JVM shutdown unless {@link #closed} was called for it first. */
    public static synchronized void register(AutoCloseable resource) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(ShutdownSequence::closeAll, "agent-etl-shutdown"));
            hooked = true;
        }
        OPEN.push(resource);
    }

    /** The resource was closed normally; the hook leaves it alone. */
    public static synchronized void closed(AutoCloseable resource) {
        OPEN.remove(resource);
    }

    private static void closeAll() {
        while (true) {
            AutoCloseable next;
            synchronized (ShutdownSequence.class) {
                next = OPEN.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.close();
            } catch (Exception e) {
                System.err.println("agent-etl: while stopping: " + Errors.oneLine(e));
            }
        }
    }
}

package dev.agentetl.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A request to stop the job this process runs: SIGTERM or Ctrl-C of a command. A job that can stop part-way
 * looks at it at its safe points ({@link #throwIfRequested}) and, while it waits for the database, registers
 * what interrupts the wait ({@link #onRequest}: cancel its statement); it then cleans up and fails with
 * {@link JobCancelledException}, and its run is recorded as cancelled. A job that cannot stop part-way runs to
 * its end. Either way the records and the exit status agree.
 */
public final class Cancellation {

    private static final Logger LOG = LoggerFactory.getLogger(Cancellation.class);

    private static String reason;
    private static final Set<Registration> ACTIONS = new LinkedHashSet<>();

    private Cancellation() {
    }

    /**
     * Asks the running job to stop (idempotent); runs what is registered to interrupt its waits, and again every
     * quarter second while anything is registered: a statement's cancel that reached the server between two
     * statements is ignored there, the next one is not.
     */
    public static void request(String why) {
        synchronized (Cancellation.class) {
            if (reason != null) return;
            reason = why;
            fireAll();
        }
        Thread again = new Thread(() -> {
            for (int i = 0; i < 2400; i++) { // ten minutes at most
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (Cancellation.class) {
                    if (ACTIONS.isEmpty() || reason == null) return;
                    fireAll();
                }
            }
        }, "agent-etl-stop");
        again.setDaemon(true);
        again.start();
    }

    private static void fireAll() {
        for (Registration r : new ArrayList<>(ACTIONS)) {
            r.fire();
        }
    }

    public static synchronized boolean requested() {
        return reason != null;
    }

    /** Why the job was asked to stop ("SIGTERM"), or null. */
    public static synchronized String reason() {
        return reason;
    }

    /** A safe point: throws when the job was asked to stop. */
    public static void throwIfRequested() {
        String why = reason();
        if (why != null) throw new JobCancelledException(why);
    }

    /**
     * Runs {@code action} if a stop is requested before the returned registration is closed (at once when it
     * already was). Once {@code close} returns, the action never runs: a statement's cancel never reaches a
     * connection that went back to the pool.
     */
    public static synchronized Registration onRequest(Runnable action) {
        Registration r = new Registration(action);
        if (reason != null) r.fire(); else ACTIONS.add(r);
        return r;
    }

    /** Forgets an earlier request: a command run in a process that ran others (the tests run the command line in-process). */
    public static synchronized void reset() {
        reason = null;
        ACTIONS.clear();
    }

    /**
     * Whether a failure is the job stopping because it was asked to: it stopped at a safe point, or its statement
     * was cancelled (SQLSTATE 57014) after the request.
     */
    public static boolean isCancellation(Throwable error) {
        boolean cancelledStatement = false;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof JobCancelledException) return true;
            if (t instanceof java.sql.SQLException e && "57014".equals(e.getSQLState())) cancelledStatement = true;
        }
        return cancelledStatement && requested();
    }

    public static final class Registration implements AutoCloseable {
        private final Runnable action;

        private Registration(Runnable action) {
            this.action = action;
        }

        private void fire() {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("while stopping: {}", e.getMessage());
            }
        }

        @Override
        public void close() {
            synchronized (Cancellation.class) {
                ACTIONS.remove(this);
            }
        }
    }
}

package dev.agentetl.export;

import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one task per slice at once, each on its own connection in a read-only REPEATABLE READ transaction
 * that imports the snapshot of the owner's transaction ({@code pg_export_snapshot}): together the tasks
 * see exactly what one query in the owner's transaction would. A failing task cancels the others' queries
 * and its failure is thrown once all have stopped.
 */
final class SharedSnapshot {

    /** The work of one slice, in its transaction; returns the rows it wrote. */
    interface SliceTask {
        long run(Connection connection, int slice) throws Exception;
    }

    private SharedSnapshot() {
    }

    /** The rows of every slice; {@code owner} must stay in its transaction until this returns. */
    static long runAll(DataSource dataSource, Connection owner, int slices, SliceTask task) throws Exception {
        String snapshot = export(owner);
        ExecutorService pool = Executors.newFixedThreadPool(slices, r -> {
            Thread t = new Thread(dev.agentetl.runtime.LogSetup.carryingContext(r), "export-slice");
            t.setDaemon(true);
            return t;
        });
        List<Connection> running = Collections.synchronizedList(new ArrayList<>());
        // SIGTERM or Ctrl-C: every slice's statement is cancelled, as when one of them fails
        try (var onStop = dev.agentetl.runtime.Cancellation.onRequest(() -> cancelAll(running))) {
            // results in the order the slices finish, so the first failure cancels the others at once
            CompletionService<Long> done = new ExecutorCompletionService<>(pool);
            for (int i = 0; i < slices; i++) {
                int slice = i;
                done.submit(() -> inSnapshot(dataSource, snapshot, running, c -> task.run(c, slice)));
            }
            long rows = 0;
            Exception failure = null;
            for (int i = 0; i < slices; i++) {
                try {
                    rows += done.take().get();
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof Exception x ? x : new RuntimeException(e.getCause());
                        cancelAll(running);
                    }
                }
            }
            if (failure != null) throw failure;
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void cancelAll(List<Connection> running) {
        synchronized (running) {
            for (Connection c : running) {
                try {
                    c.unwrap(PGConnection.class).cancelQuery();
                } catch (SQLException e) {
                    // that slice stops at its next safe point, or fails on its own
                }
            }
        }
    }

    private static String export(Connection owner) throws SQLException {
        try (PreparedStatement ps = owner.prepareStatement("SELECT pg_export_snapshot()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            String snapshot = rs.getString(1);
            // it goes into SET TRANSACTION SNAPSHOT, which takes no parameters: only the server's own form passes
            if (!snapshot.matches("[0-9A-Fa-f-]+")) throw new SQLException("unexpected snapshot name " + snapshot);
            return snapshot;
        }
    }

    private interface Work {
        long run(Connection c) throws Exception;
    }

    private static long inSnapshot(DataSource dataSource, String snapshot, List<Connection> running, Work work) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            running.add(c);
            c.setAutoCommit(false);
            try {
                try (Statement st = c.createStatement()) {
                    st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                    st.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
                }
                long rows = work.run(c);
                c.commit();
                return rows;
            } finally {
                running.remove(c); // no cancel reaches the connection once it goes back to the pool
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        }
    }
}

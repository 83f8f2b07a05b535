package dev.agentetl.app;

import dev.agentetl.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How any agent-etl process tells a live run from one whose process or database session is gone.
 * <p>
 * A running {@code job_runs} row is recorded, in one transaction, together with a session-level advisory
 * lock {@code (JOB_RUN_LOCK, id)} taken by this process's liveness connection (one connection of its own per
 * process, outside the job pool, doing nothing else); the lock is released when the run is recorded as
 * finished. An exports row is locked the same way ({@code (EXPORT_LOCK, id)}) by the connection exporting it.
 * A session lock goes away with its session, however that ends (kill -9, a stop, a cut connection), and
 * pg_locks shows every session's locks to every role: so a running row whose lock nobody holds is abandoned
 * ({@link AbandonedRuns}), and one whose lock is held is running, with no clock, heartbeat table or timeout.
 */
public final class RunLiveness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunLiveness.class);

    /** Class (first key) of the advisory locks held for running job_runs rows. */
    public static final int JOB_RUN_LOCK = 1634038785;
    /** Class (first key) of the advisory locks held for running exports rows. */
    public static final int EXPORT_LOCK = 1634038786;

    /** The second key of a row's lock: its id, wrapped into an int. */
    public static String key(String idExpression) {
        return "((" + idExpression + ") & 2147483647)::int";
    }

    /** SQL: whether some session holds the lock of class {@code lockClass} for the row id {@code idExpression}. */
    public static String held(int lockClass, String idExpression) {
        return "EXISTS (SELECT 1 FROM pg_catalog.pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2"
                + " AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database())"
                + " AND l.classid = " + lockClass + "::oid AND l.objid = " + key(idExpression) + "::oid)";
    }

    /** Binds the parameters of the INSERT that records a run. */
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private final Database database;
    private final String node;
    private final Set<Long> running = new LinkedHashSet<>();
    private Connection connection;
    private boolean closed;

    public RunLiveness(Database database, String node) {
        this.database = database;
        this.node = node;
    }

    /**
     * Inserts a running row ({@code insert} returns its id) and takes its lock in the same transaction, so no
     * other process ever sees the row running without its lock held.
     */
    public synchronized long begin(String insert, Binder binder) throws SQLException {
        Connection c = connection();
        c.setAutoCommit(false);
        try {
            long id;
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            lock(c, id);
            c.commit();
            running.add(id);
            return id;
        } catch (SQLException | RuntimeException e) {
            dev.agentetl.db.Transactions.rollbackQuietly(c, e);
            renewIfBroken();
            throw e;
        } finally {
            if (connection != null) connection.setAutoCommit(true);
        }
    }

    /** The run was recorded as finished: its lock is released. */
    public synchronized void end(long id) {
        if (!running.remove(id) || connection == null) return;
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?, " + key("?::bigint") + ")")) {
            ps.setInt(1, JOB_RUN_LOCK);
            ps.setLong(2, id);
            ps.execute();
        } catch (SQLException e) {
            LOG.warn("could not release the lock of job run {}: {}", id, e.getMessage());
            renewIfBroken();
        }
    }

    /** A broken session is replaced at once, so the runs still going hold their locks again. */
    private void renewIfBroken() {
        try {
            if (connection != null && connection.isValid(5)) return;
        } catch (SQLException ignored) {
            // broken
        }
        drop();
        if (!running.isEmpty() && !closed) {
            try {
                connection();
            } catch (SQLException e) {
                LOG.warn("liveness session of {} not available: {}", node, e.getMessage());
            }
        }
    }

    /**
     * Makes sure the liveness session is there (the long-running mode calls it at every check-in): after a cut
     * connection a new session takes the locks of the runs still going again.
     */
    public synchronized void check() {
        if (closed) return;
        try {
            connection();
        } catch (SQLException e) {
            LOG.warn("liveness session of {} not available: {}", node, e.getMessage());
        }
    }

    private Connection connection() throws SQLException {
        if (closed) throw new SQLException("agent-etl is stopping");
        if (connection != null) {
            if (connection.isValid(5)) return connection;
            drop();
        }
        java.util.Properties p = new java.util.Properties();
        if (!database.user().isEmpty()) p.setProperty("user", database.user());
        if (!database.password().isEmpty()) p.setProperty("password", database.password());
        p.setProperty("ApplicationName", "agent-etl " + node);
        p.setProperty("connectTimeout", "10");
        p.setProperty("tcpKeepAlive", "true");
        Connection c = DriverManager.getConnection(database.jdbcUrl(), p);
        for (long id : running) {
            lock(c, id);
        }
        connection = c;
        return c;
    }

    private static void lock(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?, " + key("?::bigint") + ")")) {
            ps.setInt(1, JOB_RUN_LOCK);
            ps.setLong(2, id);
            ps.execute();
        }
    }

    private void drop() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // gone already
        }
        connection = null;
    }

    /** Closes the session: runs still going are from now on seen as abandoned (the process is stopping). */
    @Override
    public synchronized void close() {
        closed = true;
        drop();
    }
}

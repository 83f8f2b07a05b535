package dev.agentetl.schedule;

import dev.agentetl.db.Database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** What health and metrics read from the database: is it reachable, and how did each job's runs go. */
final class JobHealth {

    private final Database database;

    private final String ownSchema;

    JobHealth(Database database, String ownSchema) {
        this.database = database;
        this.ownSchema = ownSchema;
    }

    /**
     * A connection of its own with short timeouts, not one from the job pool: health must answer within
     * seconds when the database is gone or every pooled connection is busy with a long job.
     */
    private Connection connect() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", database.user());
        p.setProperty("password", database.password());
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "10");
        p.setProperty("ApplicationName", "agent-etl health");
        p.setProperty("currentSchema", ownSchema); // job_runs is agent-etl's
        return DriverManager.getConnection(database.jdbcUrl(), p);
    }

    /** The last run of every job, and its counts per status (runs of every node in the cluster). */
    record JobState(String job, String lastStatus, OffsetDateTime lastStarted, OffsetDateTime lastFinished,
                    Long lastDurationMs, Long lastRowsWritten, String lastError, OffsetDateTime lastSuccess,
                    long succeeded, long failed, long running, long abandoned, long cancelled) {
    }

    record Snapshot(boolean databaseUp, String databaseError, List<JobState> jobs) {
    }

    Snapshot read() {
        try (Connection c = connect()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET statement_timeout = '5s'");
            }
            List<JobState> jobs = new ArrayList<>();
            // a running row counts as running only while a session holds its lock: one whose process is gone is
            // abandoned even before a command or a run node's check-in marks it so
            String live = dev.agentetl.runtime.RunLiveness.held(dev.agentetl.runtime.RunLiveness.JOB_RUN_LOCK, "id");
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT l.job, CASE WHEN l.status = 'running' AND NOT l.live THEN 'abandoned' ELSE l.status END,
                           l.started_at, l.finished_at, l.duration_ms, l.rows_written, l.error,
                           s.last_success, s.succeeded, s.failed, s.running, s.abandoned, s.cancelled
                    FROM (SELECT DISTINCT ON (job) *, status = 'running' AND %1$s AS live
                          FROM job_runs ORDER BY job, started_at DESC, id DESC) l
                    JOIN (SELECT job, max(finished_at) FILTER (WHERE status = 'succeeded') AS last_success,
                                 count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
                                 count(*) FILTER (WHERE status = 'failed') AS failed,
                                 count(*) FILTER (WHERE status = 'running' AND %1$s) AS running,
                                 count(*) FILTER (WHERE status = 'abandoned' OR (status = 'running' AND NOT %1$s)) AS abandoned,
                                 count(*) FILTER (WHERE status = 'cancelled') AS cancelled
                          FROM job_runs GROUP BY job) s USING (job)
                    ORDER BY l.job""".formatted(live));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new JobState(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                            rs.getObject(4, OffsetDateTime.class), (Long) rs.getObject(5), (Long) rs.getObject(6),
                            rs.getString(7), rs.getObject(8, OffsetDateTime.class), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12),
                            rs.getLong(13)));
                }
            }
            return new Snapshot(true, null, jobs);
        } catch (SQLException e) {
            return new Snapshot(false, e.getMessage(), List.of());
        }
    }
}

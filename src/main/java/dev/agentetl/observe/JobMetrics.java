package dev.agentetl.observe;

import dev.agentetl.app.RunLiveness;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * agent-etl's job figures for {@code /observe/metrics}, read from job_runs at every check-in of the node
 * (agent-etl.schedule.checkin-ms), so a scrape never waits for the database.
 * <ul>
 * <li>{@code agent_etl_job_runs_total{job,status}}: runs this node finished since it started. A counter per node:
 *     summing the nodes gives the cluster's runs, each once.</li>
 * <li>{@code agent_etl_cluster_job_*{job,scope="cluster"}}: the cluster's view from job_runs (runs by status, last
 *     success time, last duration, last rows written, last run failed, runs in progress), the same on every node:
 *     aggregate with max(), never sum().</li>
 * <li>{@code agent_etl_database_up}: 1 when the last refresh could read job_runs.</li>
 * </ul>
 */
public final class JobMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(JobMetrics.class);
    private static final List<String> STATUSES = List.of("succeeded", "failed", "cancelled", "abandoned");

    private final DatabaseProbe probe;
    private final String node;
    private final MeterRegistry registry;
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile double databaseUp;

    JobMetrics(DatabaseProbe probe, String node, MeterRegistry registry) {
        this.probe = probe;
        this.node = node;
        this.registry = registry;
        Gauge.builder("agent_etl_database_up", this, m -> m.databaseUp)
                .description("1 when the database answered the last metrics refresh").register(registry);
    }

    /** Reads job_runs again; a database that does not answer leaves the last figures and sets database_up 0. */
    public void refresh() {
        try (Connection c = probe.connect()) {
            readNode(c);
            readCluster(c);
            databaseUp = 1;
        } catch (SQLException | RuntimeException e) {
            databaseUp = 0;
            LOG.debug("job metrics not refreshed: {}", e.getMessage());
        }
    }

    private void readNode(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT job, status, count(*) FROM " + probe.ownSchema()
                + ".job_runs WHERE node = ? AND status <> 'running' GROUP BY job, status")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String job = rs.getString(1);
                    counters(job);
                    values.put(key("runs", job, rs.getString(2)), (double) rs.getLong(3));
                }
            }
        }
    }

    private void readCluster(Connection c) throws SQLException {
        // a running row counts as running only while a session holds its lock: one whose process is gone is
        // abandoned even before a command or a run node's check-in marks it so
        String live = RunLiveness.held(RunLiveness.JOB_RUN_LOCK, "id");
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s.job, l.status, l.duration_ms, l.rows_written, s.last_success, s.running,
                       s.succeeded, s.failed, s.cancelled, s.abandoned
                FROM (SELECT job, max(finished_at) FILTER (WHERE status = 'succeeded') AS last_success,
                             count(*) FILTER (WHERE status = 'running' AND %1$s) AS running,
                             count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
                             count(*) FILTER (WHERE status = 'failed') AS failed,
                             count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
                             count(*) FILTER (WHERE status = 'abandoned' OR (status = 'running' AND NOT %1$s)) AS abandoned
                      FROM %2$s.job_runs GROUP BY job) s
                LEFT JOIN (SELECT DISTINCT ON (job) job, status, duration_ms, rows_written
                           FROM %2$s.job_runs WHERE status <> 'running' ORDER BY job, started_at DESC, id DESC) l USING (job)
                """.formatted(live, probe.ownSchema()));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String job = rs.getString(1);
                gauges(job);
                String last = rs.getString(2);
                values.put(key("last_failed", job), last == null ? Double.NaN : "failed".equals(last) ? 1.0 : 0.0);
                Long duration = (Long) rs.getObject(3);
                values.put(key("last_duration", job), duration == null ? Double.NaN : duration / 1000.0);
                Long rows = (Long) rs.getObject(4);
                values.put(key("last_rows", job), rows == null ? Double.NaN : rows);
                OffsetDateTime success = rs.getObject(5, OffsetDateTime.class);
                values.put(key("last_success", job), success == null ? Double.NaN : success.toInstant().toEpochMilli() / 1000.0);
                values.put(key("running", job), (double) rs.getLong(6));
                for (int i = 0; i < STATUSES.size(); i++) {
                    values.put(key("cluster_runs", job, STATUSES.get(i)), (double) rs.getLong(7 + i));
                }
            }
        }
    }

    private void counters(String job) {
        if (!registered.add("runs|" + job)) return;
        for (String status : STATUSES) {
            String k = key("runs", job, status);
            FunctionCounter.builder("agent_etl_job_runs", values, v -> v.getOrDefault(k, 0.0))
                    .description("Job runs this node finished since it started, by status (abandoned: its process or "
                            + "database session went away first; cancelled: stopped by SIGTERM or Ctrl-C)")
                    .tags(Tags.of("job", job, "status", status)).register(registry);
        }
    }

    private void gauges(String job) {
        if (!registered.add("cluster|" + job)) return;
        gauge("agent_etl_cluster_job_last_success_timestamp_seconds", "End of the job's last successful run, any node",
                job, "last_success");
        gauge("agent_etl_cluster_job_last_duration_seconds", "Duration of the job's last finished run, any node", job, "last_duration");
        gauge("agent_etl_cluster_job_last_rows_written", "Rows the job's last finished run wrote, any node", job, "last_rows");
        gauge("agent_etl_cluster_job_last_failed", "1 when the job's last finished run failed, any node", job, "last_failed");
        gauge("agent_etl_cluster_job_running", "Runs of the job in progress on any node (a live session holds them)", job, "running");
        for (String status : STATUSES) {
            String k = key("cluster_runs", job, status);
            Gauge.builder("agent_etl_cluster_job_runs", values, v -> v.getOrDefault(k, 0.0))
                    .description("Finished runs of the job on every node since the database holds them, by status: the same "
                            + "on every node (aggregate with max, not sum)")
                    .tags(Tags.of("job", job, "status", status, "scope", "cluster")).register(registry);
        }
    }

    private void gauge(String name, String help, String job, String what) {
        String k = key(what, job);
        Gauge.builder(name, values, v -> v.getOrDefault(k, Double.NaN)).description(help)
                .tags(Tags.of("job", job, "scope", "cluster")).register(registry);
    }

    private static String key(String... parts) {
        return String.join("|", parts);
    }
}

package dev.agentetl.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.agentetl.db.Database;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The management endpoint of {@code run} (off unless agent-etl.management.enabled): {@code GET /health}
 * (JSON; 200 when the database is reachable and the scheduler runs, else 503) and {@code GET /metrics}
 * (Prometheus text format). The JDK's own HTTP server: two read-only pages need no web framework.
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final JobHealth health;
    private final Schedules schedules;

    private ManagementServer(HttpServer server, JobHealth health, Schedules schedules) {
        this.server = server;
        this.health = health;
        this.schedules = schedules;
    }

    public static ManagementServer start(String host, int port, Database database, String ownSchema, Schedules schedules) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 16);
            ManagementServer m = new ManagementServer(http, new JobHealth(database, ownSchema), schedules);
            http.createContext("/health", m::health);
            http.createContext("/metrics", m::metrics);
            http.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "management-http");
                t.setDaemon(true);
                return t;
            }));
            http.start();
            LOG.info("management endpoint on http://{}:{}/health and /metrics", host, m.port());
            return m;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the management endpoint on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void health(HttpExchange ex) throws IOException {
        JobHealth.Snapshot s = health.read();
        boolean scheduler = schedules.running();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", s.databaseUp() && scheduler ? "UP" : "DOWN");
        body.put("database", s.databaseUp() ? Map.of("status", "UP") : Map.of("status", "DOWN", "error", String.valueOf(s.databaseError())));
        body.put("scheduler", Map.of("status", scheduler ? "UP" : "DOWN", "node", schedules.nodeId()));
        Map<String, Object> jobs = new LinkedHashMap<>();
        // the next firings live in the job store: not asked while the database is down, or health would hang
        for (Schedules.JobSchedule js : schedules.describe(s.databaseUp())) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("enabled", js.enabled());
            j.put("cron", js.cron());
            j.put("next_fire", js.nextFire() == null ? null : js.nextFire().toString());
            s.jobs().stream().filter(st -> st.job().equals(js.job())).findFirst().ifPresent(st -> j.put("last_run", lastRun(st)));
            jobs.put(js.job(), j);
        }
        s.jobs().stream().filter(st -> !jobs.containsKey(st.job())).forEach(st -> jobs.put(st.job(), Map.of("last_run", lastRun(st))));
        body.put("jobs", jobs);
        send(ex, s.databaseUp() && scheduler ? 200 : 503, "application/json", JSON.writeValueAsString(body));
    }

    private static Map<String, Object> lastRun(JobHealth.JobState st) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", st.lastStatus());
        m.put("started_at", text(st.lastStarted()));
        m.put("finished_at", text(st.lastFinished()));
        m.put("duration_ms", st.lastDurationMs());
        m.put("rows_written", st.lastRowsWritten());
        m.put("error", st.lastError());
        m.put("last_success", text(st.lastSuccess()));
        return m;
    }

    private static String text(Object time) {
        return time == null ? null : time.toString();
    }

    private void metrics(HttpExchange ex) throws IOException {
        JobHealth.Snapshot s = health.read();
        send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", PrometheusText.render(s, schedules.running()));
    }

    private static void send(HttpExchange ex, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(405, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Metrics in the Prometheus text exposition format, version 0.0.4. */
    static final class PrometheusText {

        private PrometheusText() {
        }

        static String render(JobHealth.Snapshot s, boolean schedulerRunning) {
            StringBuilder sb = new StringBuilder();
            gauge(sb, "agent_etl_database_up", "1 when the database answered the last query", List.of(line("", s.databaseUp() ? 1 : 0)));
            gauge(sb, "agent_etl_scheduler_running", "1 when this node's scheduler is running", List.of(line("", schedulerRunning ? 1 : 0)));
            header(sb, "agent_etl_job_runs_total", "counter", "Finished job runs by status (abandoned: its process or database session went away first; cancelled: "
                    + "stopped part-way by SIGTERM or Ctrl-C of a command), every node of the cluster");
            for (JobHealth.JobState j : s.jobs()) {
                sb.append("agent_etl_job_runs_total").append(line(labels("job", j.job(), "status", "succeeded"), j.succeeded()));
                sb.append("agent_etl_job_runs_total").append(line(labels("job", j.job(), "status", "failed"), j.failed()));
                sb.append("agent_etl_job_runs_total").append(line(labels("job", j.job(), "status", "abandoned"), j.abandoned()));
                sb.append("agent_etl_job_runs_total").append(line(labels("job", j.job(), "status", "cancelled"), j.cancelled()));
            }
            gauge(sb, "agent_etl_job_running", "Job runs in progress (a live session holds them)", s.jobs().stream()
                    .map(j -> line(labels("job", j.job()), j.running())).toList());
            gauge(sb, "agent_etl_job_last_success_timestamp_seconds", "End of the job's last successful run", s.jobs().stream()
                    .filter(j -> j.lastSuccess() != null)
                    .map(j -> line(labels("job", j.job()), j.lastSuccess().toInstant().toEpochMilli() / 1000.0)).toList());
            gauge(sb, "agent_etl_job_last_duration_seconds", "Duration of the job's last finished run", s.jobs().stream()
                    .filter(j -> j.lastDurationMs() != null)
                    .map(j -> line(labels("job", j.job()), j.lastDurationMs() / 1000.0)).toList());
            gauge(sb, "agent_etl_job_last_rows_written", "Rows the job's last run wrote", s.jobs().stream()
                    .filter(j -> j.lastRowsWritten() != null)
                    .map(j -> line(labels("job", j.job()), j.lastRowsWritten())).toList());
            gauge(sb, "agent_etl_job_last_failed", "1 when the job's last run failed", s.jobs().stream()
                    .map(j -> line(labels("job", j.job()), "failed".equals(j.lastStatus()) ? 1 : 0)).toList());
            return sb.toString();
        }

        private static void gauge(StringBuilder sb, String name, String help, List<String> lines) {
            header(sb, name, "gauge", help);
            lines.forEach(l -> sb.append(name).append(l));
        }

        private static void header(StringBuilder sb, String name, String type, String help) {
            sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
            sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        private static String line(String labels, double value) {
            String v = value == Math.rint(value) && !Double.isInfinite(value) ? String.valueOf((long) value) : String.valueOf(value);
            return labels + " " + v + "\n";
        }

        private static String labels(String... kv) {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < kv.length; i += 2) {
                if (i > 0) sb.append(',');
                sb.append(kv[i]).append("=\"").append(kv[i + 1].replace("\\", "\\\\").replace("\"", "\\\"")
                        .replace("\n", "\\n")).append('"');
            }
            return sb.append('}').toString();
        }
    }
}

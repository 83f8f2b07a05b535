package dev.agentetl.app;

import dev.agentetl.runtime.Cancellation;
import dev.agentetl.runtime.Errors;
import dev.agentetl.runtime.JobReport;
import dev.agentetl.runtime.LogSetup;
import dev.agentetl.runtime.Secrets;
import dev.agentetl.runtime.SystemEvents;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.Map;

/**
 * Records every run of a job route (a route consuming from {@code direct:}) in job_runs: start,
 * end, status, row counts from the returned {@link JobReport} and the error of a failed run.
 * Being a route policy, it covers runs from the CLI, the scheduler and tests alike.
 */
public final class JobRunPolicy extends RoutePolicySupport {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunPolicy.class);
    /** The start and end of every recorded run, on a logger of their own ("runs" on each line). */
    private static final Logger RUNS = LoggerFactory.getLogger("dev.agentetl.runs");
    static final String RUN_ID = "agentEtlJobRunId.";
    static final String STARTED = "agentEtlJobStarted.";
    static final String MDC_BEFORE = "agentEtlMdcBefore.";
    /** Header naming what started the job (cli, schedule, test); defaults to cli. */
    public static final String TRIGGER = "agentEtlTrigger";
    /** Header with the firing time a scheduled run answers (set by Quartz as a java.util.Date). */
    public static final String SCHEDULED_FOR = "scheduledFireTime";
    /** This process, as it appears in job_runs.node: pid@host. */
    public static final String NODE = ProcessHandle.current().pid() + "@" + hostName();

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final DataSource dataSource;
    private final String jobRuns;
    private final SystemEvents events;
    private final java.util.function.BooleanSupplier ready;
    private final String host;
    private final RunLiveness liveness;
    /** Runs recorded as running whose end is not recorded yet. */
    private final java.util.Set<Long> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Runs are recorded in agent-etl's own job_runs, named with its schema (never an app's table of the
     * same name on the search path); before that schema exists (a read-only command on a database never
     * migrated) they are not recorded. A running row is recorded through {@code liveness}, which holds its lock
     * until the end is recorded, so other processes can tell it from a run whose process is gone.
     */
    public JobRunPolicy(DataSource dataSource, String ownSchema, SystemEvents events, java.util.function.BooleanSupplier ready,
                        RunLiveness liveness) {
        this.dataSource = dataSource;
        this.liveness = liveness;
        this.jobRuns = ownSchema + ".job_runs";
        this.events = events;
        this.ready = ready;
        this.host = hostName();
    }

    /** Routes in group {@code steps} (notify) are steps other routes call, not jobs. */
    private static boolean isJob(Route route) {
        return route.getEndpoint().getEndpointUri().startsWith("direct:") && !"steps".equals(route.getGroup());
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        if (!isJob(route)) {
            return;
        }
        exchange.setProperty(STARTED + route.getRouteId(), java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
        // every log line of the run names the job and its run id; a job run inside another (demo) restores the outer's
        exchange.setProperty(MDC_BEFORE + route.getRouteId(), new String[]{MDC.get(LogSetup.JOB), MDC.get(LogSetup.RUN)});
        MDC.put(LogSetup.JOB, route.getRouteId());
        MDC.remove(LogSetup.RUN);
        if (!ready.getAsBoolean()) {
            return; // no job_runs yet; migrate records its own run when it has created it
        }
        String trigger = exchange.getMessage().getHeader(TRIGGER, "cli", String.class);
        java.util.Date scheduledFor = exchange.getMessage().getHeader(SCHEDULED_FOR, java.util.Date.class);
        try {
            long id = liveness.begin("INSERT INTO " + jobRuns + " " + """
                     (job, status, trigger, host, node, scheduled_for)
                    VALUES (?, 'running', ?, ?, ?, ?) RETURNING id""", ps -> {
                ps.setString(1, route.getRouteId());
                ps.setString(2, trigger);
                ps.setString(3, host);
                ps.setString(4, NODE);
                ps.setObject(5, scheduledFor == null ? null
                        : java.time.OffsetDateTime.ofInstant(scheduledFor.toInstant(), java.time.ZoneOffset.UTC));
            });
            exchange.setProperty(RUN_ID + route.getRouteId(), id);
            MDC.put(LogSetup.RUN, Long.toString(id));
            RUNS.info("{} started ({})", route.getRouteId(), trigger);
            pending.add(id);
            // Camel does not call onExchangeDone while it is stopping: a run that ends during run's shutdown (which
            // waits for it) is recorded when its exchange completes instead, before the pool closes
            exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    if (pending.remove(id)) finish(route, done, id);
                    restoreMdc(route, done);
                }
            });
        } catch (Exception e) {
            LOG.warn("could not record the start of job {}: {}", route.getRouteId(), e.getMessage());
        }
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        try {
            recordDone(route, exchange);
        } finally {
            restoreMdc(route, exchange);
        }
    }

    /** Puts back the job and run id of the log lines as they were before this run began, in the thread that began it. */
    private static void restoreMdc(Route route, Exchange exchange) {
        String[] before = exchange.getProperty(MDC_BEFORE + route.getRouteId(), String[].class);
        if (before == null || !route.getRouteId().equals(MDC.get(LogSetup.JOB))) return;
        exchange.removeProperty(MDC_BEFORE + route.getRouteId());
        putOrRemove(LogSetup.JOB, before[0]);
        putOrRemove(LogSetup.RUN, before[1]);
    }

    private static void putOrRemove(String key, String value) {
        if (value == null) MDC.remove(key);
        else MDC.put(key, value);
    }

    private void recordDone(Route route, Exchange exchange) {
        Long runId = exchange.getProperty(RUN_ID + route.getRouteId(), Long.class);
        if (runId == null) {
            runId = recordLate(route, exchange);
            if (runId == null) return;
        } else if (!pending.remove(runId)) {
            return; // recorded already
        }
        finish(route, exchange, runId);
    }

    /** Records the end of run {@code runId} of the job: its status, counts and error, then releases its lock. */
    private void finish(Route route, Exchange exchange, long runId) {
        Throwable error = exchange.getException();
        // stopped part-way because it was asked to (SIGTERM, Ctrl-C): cancelled, not failed
        boolean cancelled = error != null && Cancellation.isCancellation(error);
        JobReport report = error == null ? exchange.getMessage().getBody(JobReport.class) : null;
        boolean rejected = report != null && !report.problems().isEmpty();
        String status = cancelled ? "cancelled" : error == null && !rejected ? "succeeded" : "failed";
        String reason = Secrets.scrub(cancelled ? "cancelled by " + Cancellation.reason() + ": " + Errors.oneLine(error)
                : error != null ? Errors.oneLine(error)
                : rejected ? report.problems().size() + " problem(s), first: " + report.problems().get(0) : null);
        logEnd(route, exchange, status, report, reason);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + jobRuns + " " + """
                      SET status = ?, finished_at = clock_timestamp(), rows_read = ?, rows_written = ?,
                            rows_rejected = ?, rows_skipped = ?, error = ?, details = ?::jsonb WHERE id = ?""")) {
            ps.setString(1, status);
            setCount(ps, 2, report == null ? null : report.rowsRead());
            setCount(ps, 3, report == null ? null : report.rowsWritten());
            setCount(ps, 4, report == null ? null : report.rowsRejected());
            setCount(ps, 5, report == null ? null : report.rowsSkipped());
            ps.setString(6, reason);
            ps.setString(7, report == null || report.details() == null ? null : Secrets.scrub(JSON.writeValueAsString(report.details())));
            ps.setLong(8, runId);
            ps.executeUpdate();
        } catch (Exception e) {
            LOG.warn("could not record the end of job {}: {}", route.getRouteId(), e.getMessage());
        } finally {
            liveness.end(runId);
        }
        if (cancelled) {
            events.record("error", "warning", "job " + route.getRouteId() + " cancelled by " + Cancellation.reason(),
                    Map.of("job", route.getRouteId(), "job_run_id", runId));
        } else if (error != null) {
            events.record("error", "error", "job " + route.getRouteId() + " failed: " + Errors.oneLine(error),
                    Map.of("job", route.getRouteId(), "job_run_id", runId));
        }
    }

    /** The run's end in the log: how long it took and its counts, or why it failed. */
    private static void logEnd(Route route, Exchange exchange, String status, JobReport report, String reason) {
        java.time.OffsetDateTime started = exchange.getProperty(STARTED + route.getRouteId(), java.time.OffsetDateTime.class);
        long ms = started == null ? -1 : java.time.Duration.between(started, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)).toMillis();
        if (status.equals("succeeded")) {
            RUNS.info("{} succeeded in {} ms{}", route.getRouteId(), ms, report == null ? "" : ": " + counts(report));
        } else {
            RUNS.warn("{} {} after {} ms: {}", route.getRouteId(), status, ms, reason);
        }
    }

    private static String counts(JobReport report) {
        return "read " + report.rowsRead() + ", written " + report.rowsWritten() + ", rejected " + report.rowsRejected()
                + ", skipped " + report.rowsSkipped();
    }

    /** A job that created job_runs itself (the first migrate) is recorded once it is there. */
    private Long recordLate(Route route, Exchange exchange) {
        java.time.OffsetDateTime started = exchange.getProperty(STARTED + route.getRouteId(), java.time.OffsetDateTime.class);
        if (started == null || !isJob(route) || !ready.getAsBoolean()) return null;
        try {
            return liveness.begin("INSERT INTO " + jobRuns
                    + " (job, status, trigger, host, node, started_at) VALUES (?, 'running', ?, ?, ?, ?) RETURNING id", ps -> {
                ps.setString(1, route.getRouteId());
                ps.setString(2, exchange.getMessage().getHeader(TRIGGER, "cli", String.class));
                ps.setString(3, host);
                ps.setString(4, NODE);
                ps.setObject(5, started);
            });
        } catch (Exception e) {
            LOG.warn("could not record job {}: {}", route.getRouteId(), e.getMessage());
            return null;
        }
    }

    private static void setCount(PreparedStatement ps, int index, Long value) throws java.sql.SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}

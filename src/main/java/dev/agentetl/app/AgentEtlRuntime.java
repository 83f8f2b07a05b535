package dev.agentetl.app;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.Errors;
import dev.agentetl.runtime.JobReport;
import dev.agentetl.runtime.SystemEvents;
import dev.agentetl.runtime.Version;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentetl.db.DataSources;
import dev.agentetl.db.Database;
import dev.agentetl.db.GroupInstaller;
import dev.agentetl.db.Layout;
import dev.agentetl.db.MigrateReport;
import dev.agentetl.db.SchemaMigrator;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One running agent-etl: the database (embedded or external), its pool, the migrated schema and
 * Camel Main with the YAML routes from {@code routes/}. Jobs are run by sending to {@code direct:<job>}.
 */
public final class AgentEtlRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentEtlRuntime.class);

    private final AppConfig config;
    private final Database database;
    private final DataSources sources;
    private final HikariDataSource dataSource;
    private final SchemaMigrator migrator;
    private final SystemEvents events;
    /** agent-etl's schema is migrated: jobs may run and runs are recorded. */
    private volatile boolean ownSchemaReady;
    /** close() has begun: no job starts any more (one already running finishes and is recorded). */
    private volatile boolean stopping;
    private final String command;
    private final long startedNanos = System.nanoTime();
    /** What the start migrated (the embedded server, or a database agent-etl owns), or null. */
    private volatile MigrateReport startupMigration;
    private Main main;
    private ProducerTemplate template;
    private dev.agentetl.schedule.Schedules schedules;
    /** Camel's management server (health, metrics) of the long-running mode, or null. */
    private dev.agentetl.observe.Management management;
    private boolean closed;
    /** This process's liveness session: holds the lock of every run it records as running. */
    private final RunLiveness liveness;
    /** The long-running mode's check-in: liveness session kept, abandoned runs marked. */
    private java.util.concurrent.ScheduledExecutorService checkIn;

    private AgentEtlRuntime(AppConfig config, Database database, DataSources sources, SchemaMigrator migrator, String command) {
        this.config = config;
        this.database = database;
        this.sources = sources;
        this.dataSource = sources.home();
        this.migrator = migrator;
        this.events = new SystemEvents(dataSource, sources.layout().ownSchema(), () -> ownSchemaReady);
        this.command = command;
        this.liveness = new RunLiveness(database, JobRunPolicy.NODE);
    }

    /**
     * Opens the database, migrates it (migrations run before any job), records the start in
     * system_events and boots Camel. Anything that fails here leaves nothing running.
     */
    public static AgentEtlRuntime start(AppConfig config, String command) {
        return start(config, command, false);
    }

    /**
     * As {@link #start(AppConfig, String)}, and with {@code scheduling} also the trigger routes of
     * {@code routes/scheduled/} on a clustered Quartz scheduler (the long-running mode, {@code run}).
     */
    public static AgentEtlRuntime start(AppConfig config, String command, boolean scheduling) {
        return start(config, command, scheduling, false, false);
    }

    /**
     * As {@link #start(AppConfig, String)} for a command that runs one job and stops: only the route files that
     * job needs are loaded ({@link RouteFiles#forJob}), so {@link #run} takes that job (and what it calls) only.
     */
    public static AgentEtlRuntime startForJob(AppConfig config, String job) {
        return start(config, job, false, false, true);
    }

    /**
     * Starts on a database agent-etl owns (a benchmark's scratch database, a test's): migrated first, as
     * {@code agent-etl migrate} would, its absent groups created.
     */
    public static AgentEtlRuntime startMigrated(AppConfig config, String command) {
        return start(config, command, false, true, false);
    }

    public static AgentEtlRuntime startMigrated(AppConfig config, String command, boolean scheduling) {
        return start(config, command, scheduling, true, false);
    }

    private static AgentEtlRuntime start(AppConfig config, String command, boolean scheduling, boolean migrate, boolean oneJob) {
        dev.agentetl.progress.ProgressReporter.configure(config);
        Path routes = config.installedPath("agent-etl.routes-dir");
        if (!Files.isDirectory(routes)) {
            throw new IllegalStateException("routes folder not found: " + routes + " (set agent-etl.install-dir to the install folder)");
        }
        java.util.List<Path> routeFiles = oneJob ? RouteFiles.forJob(routes, command) : RouteFiles.all(routes);
        if (!scheduling && Database.isExternal(config)) {
            return startAlongside(config, command, migrate, routes, routeFiles);
        }
        Layout layout = Layout.of(config);
        Database database = Database.open(config);
        DataSources pool = null;
        AgentEtlRuntime runtime = null;
        try {
            pool = pools(config, layout, database).open();
            runtime = new AgentEtlRuntime(config, database, pool, migrator(config, layout, database, pool), command);
            ShutdownSequence.register(runtime);
            runtime.openDatabase(database.isEmbedded() || migrate, !migrate);
            if (scheduling) {
                runtime.schedules = dev.agentetl.schedule.Schedules.prepare(config,
                        dev.agentetl.schedule.QuartzSettings.of(config, database));
                runtime.management = dev.agentetl.observe.Management.of(config, database, layout.ownSchema());
                // the settings are checked first (they need no database), then that the job store is there
                String notReady = runtime.migrator.notReadyReason();
                if (notReady != null) {
                    throw new IllegalStateException("cannot run the schedule: " + notReady);
                }
            }
            runtime.bootCamel(routes, routeFiles);
            if (scheduling) runtime.startCheckIn(config.getInt("agent-etl.schedule.checkin-ms"));
            return runtime;
        } catch (RuntimeException e) {
            if (runtime != null) {
                runtime.close(false);
            } else {
                if (pool != null) pool.close();
                database.close();
            }
            throw e;
        }
    }

    /**
     * A command on an external server: Camel's routes are built and started on this thread while another reaches the
     * database (connects, reads the state of agent-etl's schema, records the start, marks abandoned runs). Each is
     * about a third of a short command's start-up, on its own core, and neither needs the other before the job runs:
     * the routes' beans hold the pool, which starts when first used. The job runs only once both are done; when
     * either fails, nothing is left running and the database's failure is the one reported (it is what the user has
     * to mend first).
     */
    private static AgentEtlRuntime startAlongside(AppConfig config, String command, boolean migrate, Path routes,
                                                  java.util.List<Path> routeFiles) {
        Layout layout = Layout.of(config);
        Database database = Database.unconnected(config);
        DataSources pools = pools(config, layout, database);
        AgentEtlRuntime runtime = new AgentEtlRuntime(config, database, pools, migrator(config, layout, database, pools), command);
        ShutdownSequence.register(runtime);
        java.util.concurrent.CompletableFuture<Void> opened = new java.util.concurrent.CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                database.probe();
                runtime.sources.open();
                runtime.openDatabase(migrate, false);
                // the session that holds the job runs' locks, opened here rather than when the job begins
                if (runtime.ownSchemaReady) runtime.liveness.check();
                opened.complete(null);
            } catch (Throwable e) {
                opened.completeExceptionally(e);
            }
        }, "agent-etl-open-database");
        opener.setDaemon(true);
        opener.start();
        RuntimeException failure = null;
        try {
            runtime.bootCamel(routes, routeFiles);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            opened.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            failure = cause instanceof RuntimeException r ? r : new IllegalStateException(Errors.oneLine(cause), cause);
        }
        if (failure != null) {
            runtime.close(false);
            throw failure;
        }
        return runtime;
    }

    private static DataSources pools(AppConfig config, Layout layout, Database database) {
        return new DataSources(layout, database, config.getInt("agent-etl.db.pool-size"), config.getInt("agent-etl.group-pool-size"));
    }

    /** agent-etl's schema on the home database; its readiness check reads through the home pool. */
    private static SchemaMigrator migrator(AppConfig config, Layout layout, Database database, DataSources pools) {
        return new SchemaMigrator(database, layout.ownSchema(), config.installedPath("agent-etl.migrations-dir"))
                .readingThrough(pools.home());
    }

    /**
     * The database part of the start, once the pool is open: migrations and groups first when asked (the embedded
     * server, a database agent-etl owns; with {@code homeGroupsOnly} the groups of other databases are left for
     * {@code migrate}), then whether agent-etl's schema is ready, the start recorded and the runs of processes that
     * are gone marked abandoned.
     */
    private void openDatabase(boolean migrate, boolean homeGroupsOnly) {
        if (migrate) {
            // the embedded server is agent-etl's own: it is migrated at every start (its groups included); any other
            // database changes only when the user runs `agent-etl migrate` (or agent-etl owns it: a benchmark's)
            MigrateReport migrated = migrator.migrate().withGroups(new GroupInstaller(sources.layout(), sources).installAll(homeGroupsOnly));
            if (!migrated.problems().isEmpty()) {
                LOG.warn("groups with problems: {}", String.join("; ", migrated.problems()));
            }
            startupMigration = migrated;
        }
        ownSchemaReady = migrator.notReadyReason() == null;
        recordStart();
        markAbandonedRuns();
    }

    private void recordStart() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("command", command);
        details.put("version", Version.current());
        details.put("database", database.describe());
        details.put("configuration", config.describe());
        details.put("configuration_files", config.files().stream().map(Path::toString).toList());
        details.put("pid", ProcessHandle.current().pid());
        events.record("startup", "info", "agent-etl " + command + " started", details);
    }

    /**
     * Marks abandoned the runs whose process or database session is gone (see {@link AbandonedRuns}), so this
     * command, and whatever reads job_runs and exports after it, never sees them as running.
     */
    private void markAbandonedRuns() {
        if (!ownSchemaReady) return;
        try (java.sql.Connection c = dataSource.getConnection()) {
            AbandonedRuns.Marked marked = AbandonedRuns.mark(c, sources.layout().ownSchema(), command + " on " + JobRunPolicy.NODE);
            if (!marked.isEmpty()) {
                marked.runs().forEach(r -> LOG.warn("{}", r));
                events.record("error", "warning", marked.runs().size() + " run(s) whose process or database session is gone "
                        + "marked abandoned", Map.of("runs", marked.runs()));
            }
        } catch (java.sql.SQLException | RuntimeException e) {
            LOG.warn("could not look for abandoned runs: {}", e.getMessage());
        }
    }

    /** Every check-in interval: the liveness session is made sure of and abandoned runs are marked. */
    private void startCheckIn(long intervalMs) {
        checkIn = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-etl-check-in");
            t.setDaemon(true);
            return t;
        });
        checkIn.scheduleWithFixedDelay(() -> {
            liveness.check();
            markAbandonedRuns();
            if (management != null) management.refresh();
        }, intervalMs, intervalMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void bootCamel(Path routes, java.util.List<Path> routeFiles) {
        main = new Main();
        StringBuilder include = new StringBuilder("file:" + routes.toAbsolutePath() + "/*.yaml");
        if (!routeFiles.isEmpty()) {
            include.setLength(0);
            for (Path f : routeFiles) include.append(include.isEmpty() ? "" : ",").append("file:").append(f.toAbsolutePath());
        }
        if (schedules != null) {
            include.append(",file:").append(routes.toAbsolutePath()).append("/scheduled/*.yaml");
            main.bind("quartz", schedules.component());
        }
        main.configure().withRoutesIncludePattern(include.toString());
        main.configure().setName("agent-etl");
        java.util.Properties properties = config.asProperties();
        if (management != null) {
            properties.putAll(management.camelProperties());
            // Camel's Prometheus support reports to this registry, and so do the pools
            main.bind("metricsRegistry", management.registry());
            sources.reportMetricsTo(management.registry());
        }
        main.setOverrideProperties(properties);
        main.bind("dataSource", dataSource);
        // found in the registry at startup and applied to every route, so every job run is recorded
        main.bind("jobRunPolicy", (org.apache.camel.spi.RoutePolicyFactory)
                (camelContext, routeId, route) -> new JobRunPolicy(dataSource, sources.layout().ownSchema(), events,
                        () -> ownSchemaReady && !stopping, liveness));
        Beans.bindAll(main::bind, this);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the routes: " + Errors.oneLine(e), e);
        }
        CamelContext context = main.getCamelContext();
        template = context.createProducerTemplate();
        if (management != null) management.started(context, migrator, schedules, JobRunPolicy.NODE);
        if (schedules != null) {
            try {
                // a scheduled job's options are checked now, not at its first firing
                new dev.agentetl.cli.ScheduledRequests(config).check(dev.agentetl.schedule.ScheduledJob.enabledJobs(config));
                // the first trigger route starts the scheduler; then the triggers no job is configured for go
                schedules.addTriggers(context);
                schedules.removeDisabled(context);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot update the schedule: " + Errors.oneLine(e), e);
            }
        }
    }

    /** Runs {@code direct:<job>} with the given body and returns its report; a failure is thrown. */
    public JobReport run(String job, Object body) {
        lastRunId = null;
        org.apache.camel.Exchange done = template.request("direct:" + job, exchange -> {
            exchange.getIn().setBody(body);
            exchange.getIn().setHeader(JobRunPolicy.TRIGGER, "cli");
        });
        lastRunId = done.getProperty(JobRunPolicy.RUN_ID + job, Long.class);
        if (done.getException() != null) {
            // thrown as the producer template's request methods throw it
            throw org.apache.camel.CamelExecutionException.wrapCamelExecutionException(done, done.getException());
        }
        Object result = done.getMessage().getBody();
        if (result instanceof JobReport report) {
            return report;
        }
        throw new IllegalStateException("job " + job + " returned no report");
    }

    private volatile Long lastRunId;

    /** The job_runs id of the last {@link #run}, or null when it was not recorded (it failed before it started). */
    public Long lastRunId() {
        return lastRunId;
    }

    public AppConfig config() { return config; }
    public Database database() { return database; }
    public HikariDataSource dataSource() { return dataSource; }
    public DataSources sources() { return sources; }
    public Layout layout() { return sources.layout(); }
    public SchemaMigrator migrator() { return migrator; }
    /** Why jobs cannot run yet (agent-etl's schema missing or behind), or null. */
    public String notReadyReason() { return stopping ? "agent-etl is stopping" : migrator.notReadyReason(); }
    /** Called after {@code migrate}: jobs may run and be recorded from now on. */
    public void schemaMigrated() {
        boolean before = ownSchemaReady;
        ownSchemaReady = migrator.notReadyReason() == null;
        if (!before && ownSchemaReady) {
            recordStart(); // the start of the run that created system_events
            markAbandonedRuns(); // an older install's runs left running
        }
    }
    public boolean ownSchemaReady() { return ownSchemaReady; }
    public SystemEvents events() { return events; }
    public MigrateReport startupMigration() { return startupMigration; }
    public CamelContext camelContext() { return main.getCamelContext(); }
    /** The schedule of the long-running mode, or null when started without it. */
    public dev.agentetl.schedule.Schedules schedules() { return schedules; }
    /** The management server of the long-running mode, or null when it is off. */
    public dev.agentetl.observe.Management management() { return management; }

    @Override
    public void close() {
        close(true);
    }

    /** Stops Camel, records the stop, closes the pool and the database (in that order). */
    public synchronized void close(boolean ok) {
        if (closed) {
            return;
        }
        closed = true;
        ShutdownSequence.closed(this);
        stopping = true;
        if (checkIn != null) checkIn.shutdownNow();
        if (schedules != null) schedules.standby(); // no new firing; a running job finishes while Camel stops
        try {
            if (main != null) {
                main.stop();
            }
        } catch (Exception e) {
            LOG.warn("routes did not stop cleanly: {}", e.getMessage());
        }
        liveness.close(); // a run still going now is abandoned: its process is stopping
        events.record("shutdown", "info", "agent-etl " + command + " stopped",
                Map.of("command", command, "ok", ok, "duration_ms", (System.nanoTime() - startedNanos) / 1_000_000));
        sources.close();
        database.close();
    }
}

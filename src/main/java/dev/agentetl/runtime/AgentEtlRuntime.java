package dev.agentetl.runtime;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentetl.db.Database;
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
    private final HikariDataSource dataSource;
    private final SystemEvents events;
    private final String command;
    private final long startedNanos = System.nanoTime();
    private final MigrateReport startupMigration;
    private Main main;
    private ProducerTemplate template;
    private dev.agentetl.schedule.Schedules schedules;
    private boolean closed;

    private AgentEtlRuntime(AppConfig config, Database database, HikariDataSource dataSource,
                            MigrateReport startupMigration, String command) {
        this.config = config;
        this.database = database;
        this.dataSource = dataSource;
        this.events = new SystemEvents(dataSource);
        this.startupMigration = startupMigration;
        this.command = command;
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
        Path routes = config.path("agent-etl.routes-dir");
        if (!Files.isDirectory(routes)) {
            throw new IllegalStateException("routes folder not found: " + routes + " (set agent-etl.home to the install folder)");
        }
        Database database = Database.open(config);
        HikariDataSource pool = null;
        AgentEtlRuntime runtime = null;
        try {
            pool = (HikariDataSource) database.pool("jobs", config.getInt("agent-etl.db.pool-size"));
            MigrateReport migrated = new SchemaMigrator(pool, config.path("agent-etl.migrations-dir")).migrate();
            runtime = new AgentEtlRuntime(config, database, pool, migrated, command);
            ShutdownSequence.register(runtime);
            runtime.recordStart();
            if (scheduling) {
                runtime.schedules = dev.agentetl.schedule.Schedules.prepare(config,
                        dev.agentetl.schedule.QuartzSettings.of(config, database));
            }
            runtime.bootCamel(routes);
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

    private void recordStart() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("command", command);
        details.put("version", Version.current());
        details.put("database", database.describe());
        details.put("configuration", config.describe());
        details.put("pid", ProcessHandle.current().pid());
        events.record("startup", "info", "agent-etl " + command + " started", details);
    }

    private void bootCamel(Path routes) {
        main = new Main();
        String include = "file:" + routes.toAbsolutePath() + "/*.yaml";
        if (schedules != null) {
            include += ",file:" + routes.toAbsolutePath() + "/scheduled/*.yaml";
            main.bind("quartz", schedules.component());
        }
        main.configure().withRoutesIncludePattern(include);
        main.configure().setName("agent-etl");
        main.setOverrideProperties(config.asProperties());
        main.bind("dataSource", dataSource);
        // found in the registry at startup and applied to every route, so every job run is recorded
        main.bind("jobRunPolicy", (org.apache.camel.spi.RoutePolicyFactory)
                (camelContext, routeId, route) -> new JobRunPolicy(dataSource, events));
        Beans.bindAll(main::bind, this);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the routes: " + Errors.oneLine(e), e);
        }
        CamelContext context = main.getCamelContext();
        template = context.createProducerTemplate();
        if (schedules != null) {
            try {
                schedules.removeDisabled(context);
            } catch (Exception e) {
                throw new IllegalStateException("cannot update the schedule: " + Errors.oneLine(e), e);
            }
        }
    }

    /** Runs {@code direct:<job>} with the given body and returns its report; a failure is thrown. */
    public JobReport run(String job, Object body) {
        Object result = template.requestBodyAndHeader("direct:" + job, body, JobRunPolicy.TRIGGER, "cli");
        if (result instanceof JobReport report) {
            return report;
        }
        throw new IllegalStateException("job " + job + " returned no report");
    }

    public AppConfig config() { return config; }
    public Database database() { return database; }
    public HikariDataSource dataSource() { return dataSource; }
    public SystemEvents events() { return events; }
    public MigrateReport startupMigration() { return startupMigration; }
    public CamelContext camelContext() { return main.getCamelContext(); }
    /** The schedule of the long-running mode, or null when started without it. */
    public dev.agentetl.schedule.Schedules schedules() { return schedules; }

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
        try {
            if (main != null) {
                main.stop();
            }
        } catch (Exception e) {
            LOG.warn("routes did not stop cleanly: {}", e.getMessage());
        }
        events.record("shutdown", "info", "agent-etl " + command + " stopped",
                Map.of("command", command, "ok", ok, "duration_ms", (System.nanoTime() - startedNanos) / 1_000_000));
        dataSource.close();
        database.close();
    }
}

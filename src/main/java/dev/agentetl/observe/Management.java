package dev.agentetl.observe;

import dev.agentetl.db.Database;
import dev.agentetl.db.SchemaMigrator;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.schedule.Schedules;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

import java.util.Properties;

/**
 * The management server of {@code run}, Camel's own (camel-platform-http-main on its own port, off unless
 * agent-etl.management.enabled): {@code /observe/health}, {@code /observe/health/live},
 * {@code /observe/health/ready} (Camel's health checks, with the database's readiness and the scheduler's
 * liveness added) and {@code /observe/metrics} (camel-micrometer-prometheus: JVM, the HikariCP pools, Camel's
 * routes and exchanges, and agent-etl's job figures).
 */
public final class Management {

    /** The JVM figures Micrometer adds (camel.metrics.binders). */
    static final String JVM_BINDERS = "jvm-memory,jvm-gc,jvm-thread,jvm-info,class-loader,processor,uptime,file-descriptor";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DatabaseProbe probe;
    private final String host;
    private final int port;
    private JobMetrics jobs;

    private Management(AppConfig config, Database database, String ownSchema) {
        this.probe = new DatabaseProbe(database, ownSchema);
        this.host = config.get("agent-etl.management.host");
        this.port = config.getInt("agent-etl.management.port");
    }

    /** The management server the configuration asks for, or null when agent-etl.management.enabled is false. */
    public static Management of(AppConfig config, Database database, String ownSchema) {
        return config.getBoolean("agent-etl.management.enabled") ? new Management(config, database, ownSchema) : null;
    }

    /** Camel Main's settings for it, from agent-etl's keys (agent-etl.management.enabled|host|port). */
    public Properties camelProperties() {
        Properties p = new Properties();
        p.setProperty("camel.management.enabled", "true");
        p.setProperty("camel.management.host", host);
        p.setProperty("camel.management.port", String.valueOf(port));
        p.setProperty("camel.management.health-check-enabled", "true");
        p.setProperty("camel.management.metrics-enabled", "true");
        p.setProperty("camel.health.enabled", "true");
        p.setProperty("camel.metrics.enabled", "true");
        p.setProperty("camel.metrics.binders", JVM_BINDERS);
        return p;
    }

    /** The Prometheus registry, bound as Camel's metricsRegistry, to which the pools report. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Once Camel runs: the database's readiness, the scheduler's liveness and the job figures. */
    public void started(CamelContext context, SchemaMigrator migrator, Schedules schedules, String node) {
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        health.register(new DatabaseReadiness(probe, migrator));
        health.register(new SchedulerLiveness(schedules));
        jobs = new JobMetrics(probe, node, registry);
        jobs.refresh();
    }

    /** At every check-in of the node. */
    public void refresh() {
        if (jobs != null) jobs.refresh();
    }

    public String url() {
        return "http://" + host + ":" + port + "/observe/health (/live, /ready), /observe/metrics";
    }
}

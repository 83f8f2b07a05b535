package dev.agentetl.schedule;

import dev.agentetl.db.Database;
import dev.agentetl.runtime.AppConfig;

import java.util.Properties;

/**
 * The Quartz configuration of {@code run}: a clustered JDBC job store on the agent-etl database (tables
 * from migration V7), so several processes share one schedule and each firing runs on exactly one of them.
 * Every node must use the same settings except the instance id, which Quartz generates.
 */
public final class QuartzSettings {

    /** Scheduler name; also the Quartz cluster name, so it must be the same on every node. */
    public static final String SCHEDULER = "agent-etl";

    private QuartzSettings() {
    }

    public static Properties of(AppConfig config, Database database) {
        int threads = config.getInt("agent-etl.schedule.threads");
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER);
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", config.get("agent-etl.schedule.checkin-ms"));
        // triggers are acquired under the job store's row lock, so two nodes never take the same firing
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        // after the database went away, how soon the scheduler tries again
        p.setProperty("org.quartz.jobStore.dbRetryInterval", config.get("agent-etl.schedule.db-retry-ms"));
        p.setProperty("org.quartz.jobStore.misfireThreshold", config.get("agent-etl.schedule.misfire-threshold-ms"));
        // the job store's tables are agent-etl's, in its own schema, named with it (Quartz's own
        // connections do not have agent-etl's search path)
        p.setProperty("org.quartz.jobStore.tablePrefix", dev.agentetl.db.Layout.of(config).ownSchema() + ".QRTZ_");
        p.setProperty("org.quartz.jobStore.dataSource", "qds");
        p.setProperty("org.quartz.dataSource.qds.driver", "org.postgresql.Driver");
        p.setProperty("org.quartz.dataSource.qds.URL", database.jdbcUrl());
        p.setProperty("org.quartz.dataSource.qds.user", database.user());
        p.setProperty("org.quartz.dataSource.qds.password", database.password());
        p.setProperty("org.quartz.dataSource.qds.provider", "hikaricp");
        // Quartz asks for at least one connection per worker thread plus three for its own housekeeping
        p.setProperty("org.quartz.dataSource.qds.maxConnections", String.valueOf(threads + 3));
        return p;
    }
}

package dev.agentetl.db;

/** The {@code migrate} job. Startup already migrated, so the report says what that applied. */
public final class MigrateJob {

    private final SchemaMigrator migrator;
    private final MigrateReport atStartup;

    public MigrateJob(SchemaMigrator migrator, MigrateReport atStartup) {
        this.migrator = migrator;
        this.atStartup = atStartup;
    }

    public MigrateReport run() {
        MigrateReport now = migrator.migrate();
        return now.applied() > 0 ? now : atStartup;
    }
}

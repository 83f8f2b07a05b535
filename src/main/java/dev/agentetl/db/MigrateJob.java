package dev.agentetl.db;

/**
 * The {@code migrate} job: agent-etl's schema (an older install moved into it, pending migrations applied),
 * then every group adopted where it is or created where it is configured. The only job that creates tables.
 */
public final class MigrateJob {

    private final SchemaMigrator migrator;
    private final GroupInstaller installer;
    private final Runnable migrated;

    public MigrateJob(SchemaMigrator migrator, GroupInstaller installer, Runnable migrated) {
        this.migrator = migrator;
        this.installer = installer;
        this.migrated = migrated;
    }

    public MigrateReport run() {
        MigrateReport report = migrator.migrate();
        migrated.run();
        return report.withGroups(installer.installAll());
    }
}

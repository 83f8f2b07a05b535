package dev.agentetl.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;

/** Validates and applies the Flyway SQL in {@code migrations/}; runs before any job. */
public final class SchemaMigrator {

    private final DataSource dataSource;
    private final Path migrations;

    public SchemaMigrator(DataSource dataSource, Path migrations) {
        this.dataSource = dataSource;
        this.migrations = migrations;
    }

    private Flyway flyway() {
        if (!Files.isDirectory(migrations)) {
            throw new IllegalStateException("migrations folder not found: " + migrations);
        }
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("filesystem:" + migrations)
                .validateMigrationNaming(true)
                .load();
    }

    /** Applies pending migrations; a failed or edited migration stops here with Flyway's reason. */
    public MigrateReport migrate() {
        long started = System.nanoTime();
        MigrateResult result = flyway().migrate();
        return new MigrateReport(result.migrationsExecuted, result.initialSchemaVersion,
                result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The version of the newest applied migration, or "none". */
    public String currentVersion() {
        MigrationInfo current = flyway().info().current();
        return current == null ? "none" : current.getVersion() + " (" + current.getDescription() + ")";
    }

    public int pendingCount() {
        return flyway().info().pending().length;
    }
}

package dev.agentetl.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * agent-etl's own schema: Flyway's history and every object only agent-etl reads, migrated by the SQL in
 * {@code migrations/}. Installs of the layout before agent-etl had a schema of its own (everything in
 * {@code public}, V1-V13) are moved into it first; a new install starts at V14, which creates agent-etl's
 * objects in their current shape (the groups' tables are {@link GroupInstaller}'s).
 */
public final class SchemaMigrator {

    /** The last version of the layout that put everything in public; new installs are baselined here. */
    static final String BASELINE = "13";

    private final String url;
    private final String user;
    private final String password;
    private final String schema;
    private final Path migrations;

    /** Where the readiness check reads (the home pool, once there is one); null: a connection of its own. */
    private javax.sql.DataSource reads;

    public SchemaMigrator(Database home, String schema, Path migrations) {
        this.url = home.jdbcUrl();
        this.user = home.user();
        this.password = home.password();
        this.schema = schema;
        this.migrations = migrations;
    }

    /**
     * Takes {@link #notReadyReason}'s connection from {@code pool}: the check runs at every start and before every
     * job, and a connection of its own cost 15-30 ms each time (a new session: connect, authenticate, start-up),
     * more than the check itself. Its queries name the schema, so the pool's search path does not matter.
     */
    public SchemaMigrator readingThrough(javax.sql.DataSource pool) {
        this.reads = pool;
        return this;
    }

    /** Connections of Flyway's own: their search path is agent-etl's schema alone, never an app's. */
    private PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        if (!user.isEmpty()) ds.setUser(user);
        if (!password.isEmpty()) ds.setPassword(password);
        ds.setCurrentSchema(schema);
        ds.setApplicationName("agent-etl-migrate");
        // V14's IF NOT EXISTS statements notice every object a moved install already has: not worth a log line each
        ds.setOptions("-c client_min_messages=warning");
        return ds;
    }

    private Flyway flyway() {
        if (!Files.isDirectory(migrations)) {
            throw new IllegalStateException("migrations folder not found: " + migrations);
        }
        return Flyway.configure()
                .dataSource(dataSource())
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .baselineVersion(BASELINE)
                .baselineDescription("agent-etl schema (V1-V13 are the layout before it)")
                .placeholderReplacement(false)
                .locations("filesystem:" + migrations)
                .validateMigrationNaming(true)
                .load();
    }

    /** Applies pending migrations; a failed or edited migration stops here with Flyway's reason. */
    public MigrateReport migrate() {
        long started = System.nanoTime();
        // one migrate at a time per database (the move, the baseline and Flyway): a second one waits,
        // then finds the work done
        try (Connection lock = dataSource().getConnection()) {
            try (Statement st = lock.createStatement()) {
                st.execute("SELECT pg_advisory_lock(hashtext('agent-etl:migrate'))");
            }
            try {
                boolean upgraded;
                try (Connection c = dataSource().getConnection()) {
                    upgraded = LegacyInstallUpgrade.moveIfNeeded(c, schema, migrations);
                    if (!upgraded && !historyExists(c)) {
                        refuseForeignTables(c);
                        try (Statement st = c.createStatement()) {
                            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                        }
                        flyway().baseline();
                    }
                }
                // an unchanged install (every file applied, as recorded): nothing to apply or to refuse, and
                // Flyway, the slowest part of a start, is not built (see AppliedMigrations)
                try (Connection c = dataSource().getConnection()) {
                    if (!upgraded && historyExists(c)) {
                        AppliedMigrations state = AppliedMigrations.read(c, schema, migrations);
                        if (state.unchanged()) {
                            return new MigrateReport(0, state.current(), state.current(), (System.nanoTime() - started) / 1_000_000, false);
                        }
                    }
                }
                MigrateResult result = flyway().migrate();
                return new MigrateReport(result.migrationsExecuted, result.initialSchemaVersion,
                        result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                        (System.nanoTime() - started) / 1_000_000, upgraded);
            } finally {
                try (Statement st = lock.createStatement()) {
                    st.execute("SELECT pg_advisory_unlock(hashtext('agent-etl:migrate'))");
                }
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot prepare agent-etl's schema " + schema + ": " + e.getMessage(), e);
        }
    }

    /** A new install's schema must be agent-etl's alone: one that already holds tables belongs to someone else. */
    private void refuseForeignTables(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT string_agg(relname, ', ' ORDER BY relname) FROM pg_class
                WHERE relnamespace = to_regnamespace(?) AND relkind IN ('r', 'v', 'm', 'p', 'f')""")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String tables = rs.getString(1);
                if (tables != null) {
                    throw new IllegalStateException("schema " + schema + " already holds tables agent-etl did not create ("
                            + (tables.length() > 200 ? tables.substring(0, 200) + "..." : tables)
                            + "); set agent-etl.schema to a schema of agent-etl's own");
                }
            }
        }
    }

    private boolean historyExists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, schema + ".flyway_schema_history");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Why jobs cannot run yet, or null when agent-etl's schema is migrated: read-only, for every command.
     * An install still in the old layout, or with pending migrations, needs {@code agent-etl migrate}.
     */
    public String notReadyReason() {
        try (Connection c = reads != null ? reads.getConnection() : dataSource().getConnection()) {
            return notReadyReason(c);
        } catch (SQLException e) {
            return "cannot read agent-etl's schema " + schema + ": " + e.getMessage();
        }
    }

    /**
     * As {@link #notReadyReason()}, read on {@code c} (the readiness health check's own connection, which a busy pool
     * does not hold up).
     */
    public String notReadyReason(Connection c) {
        try {
            if (!historyExists(c)) {
                return LegacyInstallUpgrade.isLegacyInstall(c)
                        ? "this database holds agent-etl data in the layout of an older release; run `agent-etl migrate` to move it into schema " + schema
                        : "agent-etl's schema " + schema + " is not in this database yet; run `agent-etl migrate`";
            }
            // every file applied: nothing pending, without building Flyway (half a second of each command's start)
            if (AppliedMigrations.read(c, schema, migrations).allApplied()) return null;
        } catch (SQLException e) {
            return "cannot read agent-etl's schema " + schema + ": " + e.getMessage();
        }
        int pending = pendingCount();
        return pending == 0 ? null : pending + " migration(s) of agent-etl's schema " + schema + " pending; run `agent-etl migrate`";
    }

    /** The version of the newest applied migration, or "none"; reads only. */
    public String currentVersion() {
        try (Connection c = dataSource().getConnection()) {
            if (!historyExists(c)) return "none";
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        MigrationInfo current = flyway().info().current();
        return current == null ? "none" : current.getVersion() + " (" + current.getDescription() + ")";
    }

    public int pendingCount() {
        try (Connection c = dataSource().getConnection()) {
            if (!historyExists(c)) {
                return (int) java.util.Arrays.stream(flyway().info().all())
                        .filter(m -> m.getVersion() != null && m.getVersion().isNewerThan(BASELINE)).count();
            }
        } catch (SQLException e) {
            return 0;
        }
        try (Connection c = dataSource().getConnection()) {
            if (AppliedMigrations.read(c, schema, migrations).allApplied()) return 0;
        } catch (SQLException e) {
            // Flyway says
        }
        return flyway().info().pending().length;
    }

    public String schema() {
        return schema;
    }
}

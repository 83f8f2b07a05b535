package dev.agentetl.observe;

import dev.agentetl.db.SchemaMigrator;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * Readiness of {@code run}: the database answers and agent-etl's migrations are applied. DOWN while it is not,
 * UP again as soon as it is, without a restart; never a liveness check, so an orchestrator does not restart a
 * process that is only waiting for its database (the scheduler tries again by itself).
 */
public final class DatabaseReadiness extends AbstractHealthCheck {

    private final DatabaseProbe probe;
    /** Why jobs cannot run, read on the check's own connection (null: ready). */
    private final java.util.function.Function<Connection, String> notReadyReason;

    DatabaseReadiness(DatabaseProbe probe, SchemaMigrator migrator) {
        this(probe, migrator::notReadyReason);
    }

    DatabaseReadiness(DatabaseProbe probe, java.util.function.Function<Connection, String> notReadyReason) {
        super("agent-etl", "database");
        this.probe = probe;
        this.notReadyReason = notReadyReason;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        // the check's own short-timeout connection for both questions: a pool that jobs keep busy does not hold it up
        String notReady;
        try (Connection c = probe.connect()) {
            c.isValid(3);
            notReady = notReadyReason.apply(c);
        } catch (SQLException e) {
            builder.message("database unreachable: " + e.getMessage()).down();
            return;
        }
        if (notReady != null) {
            builder.message(notReady).down();
        } else {
            builder.up();
        }
    }
}

package dev.agentetl.observe;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentetl.db.Database;
import dev.agentetl.db.SchemaMigrator;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.TestDatabases;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The readiness check of {@code run} answers on its own connection: the jobs' pool, busy to its last connection, does
 * not hold it up; a database without agent-etl's schema is reported not ready, with what to run.
 */
class DatabaseReadinessTest {

    @Test
    void should_answer_at_once_while_every_pooled_connection_is_taken() throws Exception {
        AppConfig config = TestDatabases.migratedConfig();
        try (Database db = Database.open(config); HikariDataSource pool = pool(db); Connection taken = pool.getConnection()) {
            DatabaseReadiness check = check(db, new SchemaMigrator(db, "agent_etl", config.installedPath("agent-etl.migrations-dir"))
                    .readingThrough(pool));
            long started = System.nanoTime();
            HealthCheck.Result result = check.call();
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(HealthCheck.State.UP, result.getState(), result.getMessage().orElse(""));
            assertTrue(millis < 5_000, "answered in " + millis + " ms; the pool would have kept it 20 s");
        }
    }

    @Test
    void should_say_what_to_run_when_the_schema_is_not_there() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        try (Database db = Database.open(config); HikariDataSource pool = pool(db)) {
            HealthCheck.Result result = check(db, new SchemaMigrator(db, "agent_etl",
                    config.installedPath("agent-etl.migrations-dir")).readingThrough(pool)).call();
            assertEquals(HealthCheck.State.DOWN, result.getState());
            assertTrue(result.getMessage().orElse("").contains("run `agent-etl migrate`"), result.getMessage().orElse(""));
        }
    }

    private static DatabaseReadiness check(Database db, SchemaMigrator migrator) {
        DatabaseReadiness check = new DatabaseReadiness(new DatabaseProbe(db, "agent_etl"), migrator);
        check.setCamelContext(new DefaultCamelContext());
        return check;
    }

    /** A pool of one connection that waits 20 s for it, as a busy pool of jobs would. */
    private static HikariDataSource pool(Database db) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(db.jdbcUrl());
        pool.setUsername(db.user());
        pool.setMaximumPoolSize(1);
        pool.setConnectionTimeout(20_000);
        return pool;
    }
}

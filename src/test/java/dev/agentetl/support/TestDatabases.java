package dev.agentetl.support;

import dev.agentetl.db.EmbeddedDatabase;
import dev.agentetl.runtime.AppConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL per test JVM (data under target/), and a fresh, empty database in it for
 * every test that asks, so tests never see each other's rows.
 */
public final class TestDatabases {

    private static EmbeddedDatabase server;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestDatabases() {
    }

    public static synchronized EmbeddedDatabase server() {
        if (server == null) {
            Path dir = Path.of("target", "test-postgres", "pg-" + ProcessHandle.current().pid()).toAbsolutePath();
            server = EmbeddedDatabase.start(dir, 0);
            EmbeddedDatabase started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return server;
    }

    /** A new empty database; returns its JDBC URL. */
    public static String freshDatabaseUrl() {
        String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(server().jdbcUrl(), "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return server().jdbcUrl().replace("/postgres", "/" + name);
    }

    /**
     * Configuration pointing at a new empty database, with the project root as home (for routes and
     * migrations) and the folders jobs write into (exports, legacy files, inbox) in a temporary folder of its
     * own: tests never write into the project's exports/ or data/, nor meet what a demo left there.
     */
    public static AppConfig freshConfig() {
        Path scratch;
        try {
            scratch = java.nio.file.Files.createTempDirectory("agent-etl-test");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return AppConfig.load().with(Map.of(
                "agent-etl.db.url", freshDatabaseUrl(),
                "agent-etl.db.user", "postgres",
                "agent-etl.db.password", "",
                "agent-etl.home", Path.of("").toAbsolutePath().toString(),
                "agent-etl.exports-dir", scratch.resolve("exports").toString(),
                "agent-etl.legacy-dir", scratch.resolve("legacy").toString(),
                "agent-etl.inbox-dir", scratch.resolve("inbox").toString()));
    }

    /** As {@link #freshConfig()}, on a database `agent-etl migrate` has already prepared. */
    public static AppConfig migratedConfig() {
        AppConfig config = freshConfig();
        dev.agentetl.app.AgentEtlRuntime.startMigrated(config, "test").close();
        return config;
    }

    /** A connection to the configured database that finds tables as the jobs do (agent-etl's schema, then the groups'). */
    public static Connection connect(AppConfig config) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "postgres");
        p.setProperty("currentSchema", dev.agentetl.db.Layout.of(config).searchPath(dev.agentetl.db.DbTarget.HOME));
        return DriverManager.getConnection(config.get("agent-etl.db.url"), p);
    }

    /** A plain connection (the server's default search path), as an application would open. */
    public static Connection connectPlain(String url) throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }
}

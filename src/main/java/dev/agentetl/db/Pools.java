package dev.agentetl.db;

import com.zaxxer.hikari.HikariDataSource;

/** HikariCP pools on a PostgreSQL database. */
final class Pools {

    private Pools() {
    }

    /** A pool, started: an unreachable server fails here rather than on first use. */
    static HikariDataSource create(String name, String url, String user, String password, int size, String searchPath) {
        HikariDataSource ds = unstarted(name, url, user, password, size, searchPath);
        start(ds);
        return ds;
    }

    /** Opens the pool's first connection now (the pool is closed again when that fails). */
    static void start(HikariDataSource ds) {
        try (java.sql.Connection ignored = ds.getConnection()) {
            // the pool is started and keeps this connection
        } catch (java.sql.SQLException | RuntimeException e) {
            ds.close();
            throw new DatabaseUnavailableException(String.valueOf(e.getMessage()), e);
        }
    }

    /**
     * A pool that starts on its first use: it can be handed to whatever will use it (the routes' beans) before the
     * server has been reached.
     */
    static HikariDataSource unstarted(String name, String url, String user, String password, int size, String searchPath) {
        HikariDataSource cfg = new HikariDataSource();
        cfg.setPoolName("agent-etl-" + name);
        cfg.setJdbcUrl(url);
        if (!user.isEmpty()) cfg.setUsername(user);
        if (!password.isEmpty()) cfg.setPassword(password);
        cfg.setMaximumPoolSize(size);
        cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(15_000);
        // fail at start when the server is gone rather than on first use
        cfg.setInitializationFailTimeout(10_000);
        cfg.addDataSourceProperty("ApplicationName", "agent-etl");
        cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
        // tables are named without a schema in the jobs' SQL: agent-etl's schema first, then the groups'.
        // Set on every new connection, after whatever search path the URL asked for (?currentSchema=...)
        cfg.setConnectionInitSql("SET search_path TO " + searchPath);
        return cfg;
    }
}

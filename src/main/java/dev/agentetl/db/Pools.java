package dev.agentetl.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** HikariCP pools on a PostgreSQL database. */
final class Pools {

    private Pools() {
    }

    static HikariDataSource create(String name, String url, String user, String password, int size, String searchPath) {
        HikariConfig cfg = new HikariConfig();
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
        return new HikariDataSource(cfg);
    }
}

package dev.agentetl.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** HikariCP pools on a {@link Database}. */
final class Pools {

    private Pools() {
    }

    static HikariDataSource create(String name, Database db, int size) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("agent-etl-" + name);
        cfg.setJdbcUrl(db.jdbcUrl());
        if (!db.user().isEmpty()) cfg.setUsername(db.user());
        if (!db.password().isEmpty()) cfg.setPassword(db.password());
        cfg.setMaximumPoolSize(size);
        cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(15_000);
        // fail at start when the server is gone rather than on first use
        cfg.setInitializationFailTimeout(10_000);
        cfg.addDataSourceProperty("ApplicationName", "agent-etl");
        cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(cfg);
    }
}

package dev.agentetl.bench;

import dev.agentetl.db.Database;
import dev.agentetl.runtime.AppConfig;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A throw-away database on the same server, so benchmarks never touch the user's data: created
 * empty, migrated by the runtime that opens it, dropped at the end.
 */
final class ScratchDatabase implements AutoCloseable {

    private final DataSource admin;
    private final String name;
    private final AppConfig config;

    ScratchDatabase(DataSource admin, Database server, AppConfig base) throws SQLException {
        this(admin, server, base, "");
    }

    /** A scratch database whose name ends with {@code suffix}, for a benchmark that needs two. */
    ScratchDatabase(DataSource admin, Database server, AppConfig base, String suffix) throws SQLException {
        this.admin = admin;
        this.name = "agent_etl_bench_" + ProcessHandle.current().pid() + suffix;
        try (Connection c = admin.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
            st.execute("CREATE DATABASE " + name);
        }
        this.config = base.with(Map.of("agent-etl.db.url", withDatabase(server.jdbcUrl(), name),
                "agent-etl.db.user", server.user(), "agent-etl.db.password", server.password()));
    }

    /** The same URL with another database name (query parameters kept). */
    static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String params = query < 0 ? "" : url.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }

    String name() {
        return name;
    }

    AppConfig config() {
        return config;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = admin.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}

package dev.agentetl.support;

import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** A running agent-etl on a fresh database, and a connection to that database for assertions. */
public final class TestRuntime implements AutoCloseable {

    public final AppConfig config;
    public final AgentEtlRuntime runtime;
    public final Connection db;

    private TestRuntime(AppConfig config) throws SQLException {
        this.config = config;
        this.runtime = AgentEtlRuntime.startMigrated(config, "test");
        this.db = TestDatabases.connect(config);
    }

    public static TestRuntime start() throws SQLException {
        return new TestRuntime(TestDatabases.freshConfig());
    }

    public static TestRuntime start(Map<String, String> settings) throws SQLException {
        return new TestRuntime(TestDatabases.freshConfig().with(settings));
    }

    @Override
    public void close() throws SQLException {
        db.close();
        runtime.close();
    }
}

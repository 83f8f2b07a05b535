package dev.agentetl.status;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.CliProcess;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.CuttableProxy;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs whose process or database session is gone (kill -9, a cut connection) are marked abandoned, with when and
 * why, by the next command; a run whose process is alive and connected is left running.
 */
class AbandonedRunsTest {

    @TempDir
    Path dir;

    /** An export in a process of its own, held up by a lock on its table until the test lets go. */
    private CliProcess blockedExport(AppConfig config, Map<String, String> settings, Connection locker) throws Exception {
        Sql.exec(locker, "CREATE TABLE events (id int PRIMARY KEY, created_at timestamptz DEFAULT now())");
        Sql.exec(locker, "INSERT INTO events SELECT g FROM generate_series(1, 100) g");
        locker.setAutoCommit(false);
        Sql.exec(locker, "LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
        CliProcess export = CliProcess.start(settings, dir.resolve("export.log"), "export", "events", "--format", "csv",
                "--out", dir.resolve("out").toString());
        try (Connection c = TestDatabases.connect(config)) {
            waitFor(60, () -> count(c, "SELECT count(*) FROM job_runs WHERE job = 'export' AND status = 'running'") == 1
                    && count(c, "SELECT count(*) FROM exports WHERE dataset = 'events' AND status = 'running'") == 1
                    || !export.process.isAlive());
        }
        assertTrue(export.process.isAlive(), export.output());
        return export;
    }

    /** Lets the export's query go on; a session whose client is gone then ends, and its locks with it. */
    private static void release(Connection locker, Connection c) throws Exception {
        locker.rollback();
        waitFor(30, () -> count(c, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND application_name LIKE 'agent-etl%'") == 0);
    }

    @Test
    void should_mark_the_runs_of_a_killed_process_abandoned_at_the_next_command() throws Exception {
        AppConfig config = TestDatabases.migratedConfig();
        try (Connection locker = TestDatabases.connect(config); Connection c = TestDatabases.connect(config);
             CliProcess export = blockedExport(config, CliProcess.settingsOf(config), locker)) {

            CliRun alive = CliRun.of(config, "status");
            assertEquals(0, alive.exit(), alive.err());
            assertEquals("running", Sql.value(c, "SELECT status FROM job_runs WHERE job = 'export'"), "a live run is left alone");
            assertEquals("running", Sql.value(c, "SELECT status FROM exports WHERE dataset = 'events'"));

            export.kill();
            release(locker, c);
            CliRun next = CliRun.of(config, "status");

            assertEquals(0, next.exit(), next.err());
            assertTrue(next.out().matches("(?s).*\\nexport\\s+abandoned .*abandoned: process " + export.node() + " is gone.*"), next.out());
            assertEquals("abandoned", Sql.value(c, "SELECT status FROM job_runs WHERE job = 'export'"));
            assertEquals(1, count(c, "SELECT count(*) FROM job_runs WHERE job = 'export' AND abandoned_at > started_at "
                    + "AND finished_at IS NULL AND error LIKE 'abandoned: process " + export.node() + " is gone (killed or stopped "
                    + "before recording the end); found by status on %'"));
            assertEquals(1, count(c, "SELECT count(*) FROM exports WHERE dataset = 'events' AND status = 'abandoned' "
                    + "AND abandoned_at IS NOT NULL AND error LIKE 'abandoned: the database session exporting it is gone%'"));
            assertEquals(0, count(c, "SELECT count(*) FROM job_runs WHERE status = 'running'"), "nothing left running");
            assertEquals(1, count(c, "SELECT count(*) FROM system_events WHERE event_level = 'warning' "
                    + "AND message = '2 run(s) whose process or database session is gone marked abandoned'"));
        }
    }

    @Test
    void should_mark_the_runs_of_a_process_that_lost_its_connection_abandoned_at_the_next_command() throws Exception {
        AppConfig config = TestDatabases.migratedConfig();
        URI db = URI.create(config.get("agent-etl.db.url").substring("jdbc:".length()));
        try (CuttableProxy proxy = new CuttableProxy(db.getHost(), db.getPort());
             Connection locker = TestDatabases.connect(config); Connection c = TestDatabases.connect(config)) {
            Map<String, String> settings = new java.util.LinkedHashMap<>(CliProcess.settingsOf(config));
            settings.put("agent-etl.db.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + db.getPath());
            try (CliProcess export = blockedExport(config, settings, locker)) {
                String node = export.node();

                proxy.cut(); // the process lives on, without its database
                release(locker, c);
                CliRun next = CliRun.of(config, "status");

                assertEquals(0, next.exit(), next.err());
                assertEquals("abandoned", Sql.value(c, "SELECT status FROM job_runs WHERE job = 'export'"), next.out());
                String why = (String) Sql.value(c, "SELECT error FROM job_runs WHERE job = 'export'");
                assertTrue(why.startsWith("abandoned: process " + node + " "), why);
                assertEquals("abandoned", Sql.value(c, "SELECT status FROM exports WHERE dataset = 'events'"));
                assertTrue(next.out().matches("(?s).*\\nexport\\s+abandoned .*"), next.out());
            }
        }
    }

    private static long count(Connection c, String sql) {
        try {
            return Sql.count(c, sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("condition not met within " + seconds + " s");
            Thread.sleep(100);
        }
    }
}

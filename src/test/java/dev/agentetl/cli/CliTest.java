package dev.agentetl.cli;

import dev.agentetl.db.EmbeddedDatabase;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: exit statuses, one-line reasons on failure, reports on stdout, nothing written on failure. */
class CliTest {

    private static final String HOME = Path.of("").toAbsolutePath().toString();

    @Test
    void should_exit_non_zero_with_one_line_when_the_external_database_is_unreachable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        AppConfig config = AppConfig.load().with(Map.of("agent-etl.home", HOME,
                "agent-etl.db.url", "jdbc:postgresql://localhost:" + closedPort + "/agents",
                "agent-etl.db.user", "etl", "agent-etl.db.password", "s3cret"));

        CliRun run = CliRun.of(config, "status");

        assertEquals(1, run.exit());
        assertEquals("", run.out(), "no report on failure");
        String line = lastLine(run.err());
        assertTrue(line.startsWith("agent-etl: cannot connect to jdbc:postgresql://localhost:" + closedPort), line);
        assertFalse(run.err().contains("s3cret"), "the password never appears");
    }

    @Test
    void should_exit_non_zero_and_write_nothing_for_an_unknown_command(@TempDir Path tmp) {
        Path dataDir = tmp.resolve("pg");
        AppConfig config = AppConfig.load().with(Map.of("agent-etl.home", HOME,
                "agent-etl.embedded.data-dir", dataDir.toString()));

        CliRun run = CliRun.of(config, "frobnicate");

        assertEquals(2, run.exit());
        assertTrue(run.err().contains("Unmatched argument") && run.err().contains("frobnicate"), run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
        assertFalse(Files.exists(dataDir), "no database was created");
    }

    @Test
    void should_refuse_a_data_folder_another_process_uses_and_leave_it_untouched(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("pg");
        try (EmbeddedDatabase owner = EmbeddedDatabase.start(dataDir, 0)) {
            long eventsBefore;
            try (Connection c = DriverManager.getConnection(owner.jdbcUrl(), "postgres", "")) {
                Sql.exec(c, "CREATE TABLE marker (n int)");
                eventsBefore = Sql.count(c, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'");
            }
            AppConfig config = AppConfig.load().with(Map.of("agent-etl.home", HOME,
                    "agent-etl.embedded.data-dir", dataDir.toString()));

            CliRun run = CliRun.of(config, "migrate");

            assertEquals(1, run.exit());
            assertTrue(lastLine(run.err()).contains("is in use by another agent-etl process (pid "), run.err());
            try (Connection c = DriverManager.getConnection(owner.jdbcUrl(), "postgres", "")) {
                assertEquals(eventsBefore, Sql.count(c, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"),
                        "the refused process created no tables (it did not migrate)");
            }
        }
    }

    @Test
    void should_print_help_for_every_command_and_the_version() {
        AppConfig config = AppConfig.load().with(Map.of("agent-etl.home", HOME));
        for (String command : new String[]{"migrate", "status", "demo", "generate"}) {
            CliRun run = CliRun.of(config, command, "--help");
            assertEquals(0, run.exit(), command);
            assertTrue(run.out().startsWith("Usage: agent-etl " + command), run.out());
        }
        // a '%' in a description is a format directive to picocli: unescaped, it warns on stderr at every --help
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String bench : new String[]{"import", "ingest", "export", "stats", "finetune", "consolidate"}) {
                CliRun run = CliRun.of(config, "bench", bench, "--help");
                assertEquals(0, run.exit(), bench);
                assertTrue(run.out().startsWith("Usage: agent-etl bench " + bench), run.out());
            }
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", warnings.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(CliRun.of(config, "bench", "ingest", "--help").out().contains("and a 1 % increment"));
        CliRun version = CliRun.of(config, "--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("agent-etl "), version.out());
    }

    @Test
    void should_migrate_report_status_and_record_the_lifecycle() throws Exception {
        // the test server trusts local connections, so the password is only there to be kept secret
        AppConfig config = TestDatabases.freshConfig().with(Map.of("agent-etl.db.password", "s3cret"));

        CliRun migrate = CliRun.of(config, "migrate");
        assertEquals(0, migrate.exit(), migrate.err());
        assertTrue(migrate.out().startsWith("applied "), migrate.out());

        CliRun status = CliRun.of(config, "status");
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().matches("(?s).*schema version  \\d+ \\(.*\\) \\(up to date\\).*"), status.out());
        assertTrue(status.out().contains("interactions (agent_etl)"), status.out());
        assertTrue(status.out().matches("(?s).*migrate\\s+succeeded.*"), "last run of migrate is shown: " + status.out());

        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(2, Sql.count(c, "SELECT count(*) FROM system_events WHERE event_type = 'startup'"));
            assertEquals(2, Sql.count(c, "SELECT count(*) FROM system_events WHERE event_type = 'shutdown'"));
            assertEquals("********", Sql.value(c, "SELECT details->'configuration'->>'agent-etl.db.password' "
                    + "FROM system_events WHERE event_type = 'startup' LIMIT 1"), "configuration is recorded without secrets");
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM system_events WHERE details::text LIKE '%s3cret%'"));
            assertEquals(2, Sql.count(c, "SELECT count(*) FROM job_runs WHERE status = 'succeeded'"));
        }
    }

    @Test
    void should_exit_non_zero_with_the_reason_for_invalid_options() {
        AppConfig config = AppConfig.load().with(Map.of("agent-etl.home", HOME));

        CliRun run = CliRun.of(config, "generate", "--rows", "100", "--days", "3");

        assertEquals(2, run.exit(), "an option value that cannot be right is a usage error");
        assertTrue(lastLine(run.err()).contains("--days must be at least 8"), run.err());
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }
}

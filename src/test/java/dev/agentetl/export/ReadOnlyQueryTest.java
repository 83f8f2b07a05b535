package dev.agentetl.export;

import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.Errors;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code export --query} runs a user's SELECT so that it cannot write or signal: every attempt is refused with
 * the reason, its exports row is marked failed, and nothing it tried is left behind.
 */
class ReadOnlyQueryTest {

    @TempDir
    Path dir;
    AppConfig config;

    @BeforeEach
    void migrate() throws Exception {
        config = TestDatabases.migratedConfig();
        try (Connection c = TestDatabases.connect(config)) {
            Sql.exec(c, "CREATE TABLE notes (id int PRIMARY KEY, body varchar(20), price numeric(10,2))");
            Sql.exec(c, "INSERT INTO notes VALUES (1, 'one', 1.50), (2, 'two', 2.25)");
            Sql.exec(c, "CREATE SEQUENCE ticket");
        }
    }

    private CliRun export(String name, String sql, String format) throws Exception {
        Path query = Files.writeString(dir.resolve(name + ".sql"), sql);
        return CliRun.of(config, "export", "--query", query.toString(), "--format", format, "--out", dir.resolve("out").toString());
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** The one-line reason an export of the query fails with (what the command line prints after "agent-etl: "). */
    private String refusal(AgentEtlRuntime runtime, String name, String sql, String format) throws Exception {
        Path query = Files.writeString(dir.resolve(name + ".sql"), sql);
        try {
            runtime.run("export", new ExportRequest(null, query, ExportFormat.parse(format), null, null, Map.of(), false,
                    dir.resolve("out"), "snappy", "test"));
        } catch (RuntimeException e) {
            return Errors.oneLine(e);
        }
        throw new AssertionError(name + " was exported");
    }

    @Test
    void should_refuse_every_attempt_to_write_or_signal_and_mark_its_export_failed() throws Exception {
        CliRun cli = export("from_the_command_line", "SELECT lo_from_bytea(0, 'x'::bytea) AS oid", "csv");
        assertEquals(1, cli.exit());
        assertEquals("agent-etl: --query may only read (it runs in a read-only transaction as role agent_etl_query, which may read "
                + "every table and do nothing else): ERROR: cannot execute lo_from_bytea() in a read-only transaction", lastLine(cli.err()));
        try (AgentEtlRuntime runtime = AgentEtlRuntime.start(config, "test");
             Connection victim = TestDatabases.connect(config)) {
            long pid = Sql.number(victim, "SELECT pg_backend_pid()").longValue();
            List<String[]> attempts = List.of(
                    new String[]{"large_object", "SELECT lo_from_bytea(0, 'x'::bytea) AS oid", "cannot execute lo_from_bytea() in a read-only transaction"},
                    new String[]{"server_file", "SELECT lo_import('/etc/hostname') AS oid", "permission denied for function lo_import"},
                    new String[]{"read_file", "SELECT pg_read_file('/etc/hostname') AS text", "permission denied for function pg_read_file"},
                    new String[]{"terminate", "SELECT pg_terminate_backend(" + pid + ") AS killed", "permission denied to terminate process"},
                    new String[]{"cancel", "SELECT pg_cancel_backend(" + pid + ") AS cancelled", "permission denied to cancel query"},
                    new String[]{"reload", "SELECT pg_reload_conf() AS reloaded", "permission denied for function pg_reload_conf"},
                    new String[]{"take_role", "SELECT set_config('role', 'postgres', false) AS r", "cannot set parameter \"role\" within security-definer function"},
                    new String[]{"take_session", "SELECT set_config('session_authorization', 'postgres', false) AS r",
                            "cannot set parameter \"session_authorization\" within security-definer function"},
                    new String[]{"delete_cte", "WITH gone AS (DELETE FROM notes RETURNING id) SELECT id FROM gone",
                            // PostgreSQL names the statement, a SELECT with a DELETE inside
                            "cannot execute SELECT in a read-only transaction"},
                    new String[]{"sequence", "SELECT nextval('ticket') AS n", "permission denied for sequence ticket"});
            for (String format : new String[]{"csv", "jsonl"}) {
                for (String[] a : attempts) {
                    // CSV (COPY) takes every attempt; the cursor of JSON Lines and Parquet a few
                    if (format.equals("jsonl") && !List.of("large_object", "terminate", "take_role", "delete_cte").contains(a[0])) continue;
                    String reason = refusal(runtime, a[0] + "_" + format, a[1], format);
                    assertTrue(reason.startsWith("--query may only read (it runs in a read-only transaction as "
                            + "role agent_etl_query, which may read every table and do nothing else): ERROR: " + a[2]), a[0] + " " + format + ": " + reason);
                    try (Connection c = TestDatabases.connect(config)) {
                        assertEquals("failed", Sql.value(c, "SELECT status FROM exports WHERE dataset = '" + a[0] + "_" + format + "'"), a[0]);
                        assertEquals("failed", Sql.value(c, "SELECT status FROM job_runs WHERE job = 'export' ORDER BY id DESC LIMIT 1"), a[0]);
                    }
                }
            }
            assertEquals(1, Sql.count(victim, "SELECT 1"), "the other session was neither cancelled nor terminated");
            // a setting the query changes for its session is undone with its transaction: the next job on that
            // connection (the pool hands this thread the same one) still finds agent-etl's tables
            for (int i = 0; i < 2; i++) {
                Path settings = Files.writeString(dir.resolve("settings_" + i + ".sql"),
                        "SELECT set_config('search_path', 'pg_catalog', false) AS path, pg_try_advisory_lock(42) AS locked");
                runtime.run("export", new ExportRequest(null, settings, ExportFormat.CSV, null, null, Map.of(), false,
                        dir.resolve("kept"), "snappy", "test"));
            }
            assertEquals(0, Sql.count(victim, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"), "no lock outlives the query");
            // a second statement after the SELECT is refused before anything runs
            assertEquals("--query takes one SELECT, found 2 statements",
                    refusal(runtime, "two_statements", "SELECT 1 AS one; DELETE FROM notes", "csv"));
        }
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM pg_largeobject_metadata"), "no large object was created");
            assertEquals(2, Sql.count(c, "SELECT count(*) FROM notes"), "nothing was deleted");
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM exports WHERE status = 'running'"));
            try (Stream<Path> files = Files.walk(dir.resolve("out"))) {
                assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "no file of a refused query is left");
            }
        }
    }

    @Test
    void should_export_what_a_select_reads_with_its_names_and_types() throws Exception {
        CliRun csv = export("pairs", "SELECT a.id, b.id, a.body, a.price FROM notes a JOIN notes b ON b.id = a.id + 1", "csv");
        assertEquals(0, csv.exit(), csv.err());
        CliRun jsonl = export("prices", "SELECT id, price, body FROM notes WHERE jsonb_build_object(body, 1) ?? 'one' "
                + "OR id = 2 ORDER BY id", "jsonl");
        assertEquals(0, jsonl.exit(), jsonl.err());
        assertEquals("id,id,body,price\r\n1,2,one,1.50\r\n", Files.readString(part("pairs", ".csv")), "shared names, numeric in full");
        assertEquals(List.of("{\"id\":1,\"price\":1.50,\"body\":\"one\"}", "{\"id\":2,\"price\":2.25,\"body\":\"two\"}"),
                Files.readAllLines(part("prices", ".jsonl")), "numbers as numbers, with every digit");
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(2L, Sql.number(c, "SELECT record_count FROM exports WHERE dataset = 'prices' AND status = 'succeeded'").longValue());
        }
    }

    private Path part(String dataset, String extension) throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("out").resolve(dataset))) {
            return files.filter(p -> p.getFileName().toString().endsWith(extension)).findFirst().orElseThrow();
        }
    }

    @Test
    void should_migrate_as_a_user_who_cannot_set_the_role_up_and_refuse_queries_until_a_superuser_does() throws Exception {
        AppConfig fresh = TestDatabases.freshConfig();
        String url = fresh.get("agent-etl.db.url");
        String database = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = TestDatabases.connectPlain(url)) {
            Sql.exec(c, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'etl_plain') THEN CREATE ROLE etl_plain LOGIN; END IF; END $$");
            Sql.exec(c, "GRANT CREATE ON DATABASE " + database + " TO etl_plain");
        }
        AppConfig plain = fresh.with(Map.of("agent-etl.db.user", "etl_plain"));
        CliRun migrate = CliRun.of(plain, "migrate");
        assertEquals(0, migrate.exit(), "the rest of the schema does not need a superuser: " + migrate.err());
        config = plain;

        CliRun refused = export("refused", "SELECT 1 AS one", "csv");
        assertEquals(1, refused.exit());
        assertEquals("agent-etl: --query is refused, it could not be run read-only: query_rows() is owned by etl_plain, not by the "
                + "read-only role agent_etl_query. A superuser sets it up with: CREATE ROLE agent_etl_query NOLOGIN (unless it exists); "
                + "GRANT pg_read_all_data TO agent_etl_query; ALTER FUNCTION agent_etl.query_rows(text) OWNER TO agent_etl_query; "
                + "GRANT EXECUTE ON FUNCTION agent_etl.query_rows(text) TO etl_plain", lastLine(refused.err()));
        CliRun table = CliRun.of(plain, "export", "job_runs", "--format", "csv", "--out", dir.resolve("out").toString());
        assertEquals(0, table.exit(), "tables and views are exported as before: " + table.err());

        try (Connection c = TestDatabases.connectPlain(url)) {
            Sql.exec(c, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'agent_etl_query') THEN "
                    + "CREATE ROLE agent_etl_query NOLOGIN; END IF; END $$");
            Sql.exec(c, "GRANT pg_read_all_data TO agent_etl_query");
            Sql.exec(c, "ALTER FUNCTION agent_etl.query_rows(text) OWNER TO agent_etl_query");
            Sql.exec(c, "GRANT EXECUTE ON FUNCTION agent_etl.query_rows(text) TO etl_plain");
        }
        CliRun after = export("after", "SELECT 1 AS one", "csv");
        assertEquals(0, after.exit(), after.err());
    }

    @Test
    void should_refuse_queries_when_the_function_is_not_run_by_the_read_only_role() throws Exception {
        try (Connection c = TestDatabases.connect(config)) {
            Sql.exec(c, "ALTER FUNCTION query_rows(text) OWNER TO postgres");
        }
        CliRun run = export("anything", "SELECT id FROM notes", "csv");
        assertEquals(1, run.exit());
        assertTrue(lastLine(run.err()).contains("--query is refused, it could not be run read-only: query_rows() is owned by postgres, "
                + "not by the read-only role agent_etl_query"), run.err());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals("failed", Sql.value(c, "SELECT status FROM exports WHERE dataset = 'anything'"));
        }
    }
}

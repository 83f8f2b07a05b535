package dev.agentetl.db;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.Catalog;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * agent-etl on the databases its users already have, built from the seeds' own DDL and filled the way the
 * apps fill them: migrate adopts them unchanged, check reports them, the jobs run on them, and the apps
 * keep writing them as before.
 */
class RealDatabasesTest {

    @TempDir
    Path out;

    private static String url(AppConfig config) {
        return config.get("agent-etl.db.url");
    }

    private static AppConfig appDatabase(String... fixtures) throws SQLException {
        AppConfig config = TestDatabases.freshConfig();
        try (Connection c = TestDatabases.connectPlain(url(config))) {
            for (String f : fixtures) Catalog.apply(c, "/layouts/" + f);
        }
        return config;
    }

    private static String definition(AppConfig config, String table) throws SQLException {
        try (Connection c = TestDatabases.connectPlain(url(config))) {
            return Catalog.definition(c, table);
        }
    }

    private static String everything(String url) throws SQLException {
        try (Connection c = TestDatabases.connectPlain(url)) {
            return Catalog.everything(c);
        }
    }

    @Test
    void should_adopt_the_web_apps_agent_telemetry_unchanged_and_run_the_jobs_on_it() throws Exception {
        AppConfig config = appDatabase("telemetry_004.sql", "telemetry_004_rows.sql")
                .with(Map.of("agent-etl.telemetry.schema", "public"));
        String before = definition(config, "public.agent_telemetry");
        String catalogBefore = everything(url(config));

        CliRun status = CliRun.of(config, "status");
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().contains("agent_telemetry") && status.out().contains("run `agent-etl migrate`"), status.out());
        CliRun early = CliRun.of(config, "check");
        assertEquals(1, early.exit(), "nothing can run before migrate: " + early.out());
        CliRun job = CliRun.of(config, "refresh-stats");
        assertEquals(1, job.exit());
        assertTrue(job.err().contains("run `agent-etl migrate`"), job.err());
        assertEquals(catalogBefore, everything(url(config)), "status, check and a refused job create nothing");

        CliRun migrate = CliRun.of(config, "migrate");
        assertEquals(0, migrate.exit(), migrate.out() + migrate.err());
        assertTrue(migrate.out().matches("(?s).*telemetry\\s+adopted\\s+schema public.*"), migrate.out());
        assertTrue(migrate.out().matches("(?s).*interactions\\s+created\\s+in schema agent_etl.*"), migrate.out());

        CliRun check = CliRun.of(config, "check");
        assertEquals(0, check.exit(), check.out() + check.err());
        assertTrue(check.out().matches("(?s).*telemetry\\s+adopted\\s+schema public of the home database.*"), check.out());
        assertTrue(check.out().contains("agent_telemetry.stop_reason = 'budget_exhausted' (1 rows)"), check.out());
        assertTrue(check.out().contains("agent_telemetry.chat_mode = 'autopilot'"), check.out());
        assertTrue(check.out().matches("(?s).*agent_telemetry\\s+8 rows.*"), check.out());

        CliRun export = CliRun.of(config, "export", "agent_telemetry", "--format", "jsonl", "--out", out.toString());
        assertEquals(0, export.exit(), export.err());
        CliRun stats = CliRun.of(config, "refresh-stats");
        assertEquals(0, stats.exit(), stats.err());
        CliRun finetune = CliRun.of(config, "finetune", "--source", "telemetry", "--out", out.toString());
        assertEquals(0, finetune.exit(), finetune.err());
        assertEquals(0, CliRun.of(config, "insights").exit());
        CliRun generate = CliRun.of(config, "generate", "--rows", "100");
        assertEquals(1, generate.exit(), "made-up rows never go into an app's table");
        assertTrue(generate.err().contains("belongs to an application"), generate.err());

        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(8, Sql.count(c, "SELECT record_count FROM agent_etl.exports WHERE dataset = 'agent_telemetry'"));
            assertTrue(Sql.count(c, "SELECT sum(turns) FROM agent_etl.turn_outcome_daily") >= 3,
                    "the app's turn summaries are counted");
            assertTrue(Sql.count(c, "SELECT record_count FROM agent_etl.exports WHERE export_type = 'finetune'") > 0,
                    "the app's llm_call rows become examples");
            assertEquals(8, Sql.count(c, "SELECT count(*) FROM public.agent_telemetry"), "generate wrote nothing");
        }
        assertEquals(before, definition(config, "public.agent_telemetry"), "the app's table is exactly as it was");
        try (Connection c = TestDatabases.connectPlain(url(config))) {
            Sql.exec(c, "INSERT INTO agent_telemetry (model_used, system_prompt, chat_history, duration_ms, stop_reason, chat_mode) "
                    + "VALUES ('gpt-5', 's', '[]', 12, 'token_budget', 'pair')");
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                    + "AND relname <> 'agent_telemetry' AND relname NOT LIKE 'idx_agent_telemetry%' AND relname NOT LIKE 'agent_telemetry_%'"),
                    "agent-etl put nothing of its own into the app's schema");
        }
    }

    @Test
    void should_adopt_the_execution_store_and_refresh_its_statistics_with_the_apps_own_function() throws Exception {
        AppConfig config = appDatabase("executions_002.sql", "executions_002_rows.sql")
                .with(Map.of("agent-etl.executions.schema", "public"));
        Map<String, String> before = new HashMap<>();
        for (String t : Group.EXECUTIONS.tables()) before.put(t, definition(config, "public." + t));

        assertEquals(0, CliRun.of(config, "migrate").exit());
        CliRun check = CliRun.of(config, "check");
        assertEquals(0, check.exit(), check.out());
        assertTrue(check.out().matches("(?s).*executions\\s+adopted\\s+schema public.*"), check.out());
        CliRun stats = CliRun.of(config, "refresh-stats");
        assertEquals(0, stats.exit(), stats.err());
        assertEquals(0, CliRun.of(config, "insights").exit());
        CliRun export = CliRun.of(config, "export", "tool_executions", "--format", "csv", "--out", out.toString());
        assertEquals(0, export.exit(), export.err());

        for (String t : Group.EXECUTIONS.tables()) {
            assertEquals(before.get(t), definition(config, "public." + t), t + " is exactly as the app created it");
        }
        try (Connection c = TestDatabases.connectPlain(url(config))) {
            Sql.exec(c, "INSERT INTO tool_creation_events (tool_name, tool_class, goal_text, created_by) VALUES ('x', 'X', 'g', 'admin')");
            Sql.exec(c, "INSERT INTO executions (goal_id, goal_text, success) VALUES ('9', 'g', true)");
            assertTrue(Sql.count(c, "SELECT count(*) FROM tool_statistics") > 0);
        }
    }

    @Test
    void should_adopt_agent_loggys_registry_and_import_into_it_so_the_app_reads_what_was_imported() throws Exception {
        AppConfig config = appDatabase("agent_loggy_003.sql", "agent_loggy_003_rows.sql")
                .with(Map.of("agent-etl.registry.schema", "agent_loggy"));
        Map<String, String> before = new HashMap<>();
        for (String t : Group.REGISTRY.tables()) before.put(t, definition(config, "agent_loggy." + t));

        CliRun migrate = CliRun.of(config, "migrate");
        assertEquals(0, migrate.exit(), migrate.out() + migrate.err());
        assertTrue(migrate.out().matches("(?s).*registry\\s+adopted\\s+schema agent_loggy.*"), migrate.out());
        CliRun imported = CliRun.of(config, "import", "prompts");
        assertEquals(0, imported.exit(), imported.err());
        CliRun check = CliRun.of(config, "check");
        assertEquals(0, check.exit(), check.out());
        assertTrue(check.out().matches("(?s).*registry\\s+adopted\\s+schema agent_loggy of the home database.*"), check.out());
        assertTrue(check.out().matches("(?s).*import-prompts\\s+can run.*"), check.out());

        for (String t : Group.REGISTRY.tables()) {
            assertEquals(before.get(t), definition(config, "agent_loggy." + t), t + " is exactly as alembic created it");
        }
        try (Connection c = TestDatabases.connectPlain(url(config))) {
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM agent_loggy.prompts WHERE name = 'trace_analysis' "
                    + "AND 'production' = ANY(labels) AND is_active"), "the app's own query finds the imported version");
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM agent_loggy.prompts WHERE name = 'trace_entry_analysis' "
                    + "AND 'production' = ANY(labels)"), "the bundled placeholder is not put in production");
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM pg_class WHERE relnamespace = 'agent_loggy'::regnamespace "
                    + "AND relname LIKE 'registry%'"), "agent-etl's facts are in its own schema");
        }
    }

    @Test
    void should_read_a_telemetry_group_in_a_second_database_and_say_what_cannot_span_two() throws Exception {
        AppConfig telemetryDb = appDatabase("telemetry_004.sql", "telemetry_004_rows.sql");
        String before = definition(telemetryDb, "public.agent_telemetry");
        String telemetryCatalog = everything(url(telemetryDb));
        AppConfig config = TestDatabases.freshConfig().with(Map.of(
                "agent-etl.telemetry.db.url", url(telemetryDb), "agent-etl.telemetry.db.user", "postgres",
                "agent-etl.telemetry.schema", "public"));

        CliRun migrate = CliRun.of(config, "migrate");
        assertEquals(0, migrate.exit(), migrate.out() + migrate.err());
        assertTrue(migrate.out().matches("(?s).*telemetry\\s+adopted\\s+schema public of jdbc:postgresql://.*"), migrate.out());
        assertEquals(telemetryCatalog, everything(url(telemetryDb)), "nothing was created in the telemetry database");

        CliRun export = CliRun.of(config, "export", "agent_telemetry", "--format", "csv", "--out", out.toString());
        assertEquals(0, export.exit(), export.err());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(8, Sql.count(c, "SELECT record_count FROM agent_etl.exports WHERE dataset = 'agent_telemetry'"),
                    "read from the second database, recorded in agent-etl's");
        }
        CliRun stats = CliRun.of(config, "refresh-stats");
        assertEquals(1, stats.exit());
        assertTrue(stats.err().contains("the telemetry group lives in another database"), stats.err());
        CliRun check = CliRun.of(config, "check");
        assertEquals(1, check.exit(), "refresh-stats is scheduled and cannot run: " + check.out());
        assertTrue(check.out().contains("refresh-stats") && check.out().contains("cannot run"), check.out());
        assertEquals(before, definition(telemetryDb, "public.agent_telemetry"));
    }

    @Test
    void should_create_nothing_when_status_and_check_run_on_an_empty_database() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        String before = everything(url(config));
        CliRun status = CliRun.of(config, "status");
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().contains("interactions") && status.out().contains("not there"), status.out());
        CliRun check = CliRun.of(config, "check");
        assertEquals(1, check.exit());
        assertTrue(check.out().contains("absent"), check.out());
        CliRun list = CliRun.of(config, "prompts", "list");
        assertEquals(1, list.exit());
        assertEquals(before, everything(url(config)), "no schema, table or function appeared");
    }

    @Test
    void should_refuse_clearly_when_an_adopted_table_lacks_a_required_column() throws Exception {
        AppConfig config = TestDatabases.freshConfig().with(Map.of("agent-etl.telemetry.schema", "public"));
        try (Connection c = TestDatabases.connectPlain(url(config))) {
            Catalog.apply(c, "/layouts/telemetry_004.sql");
            Sql.exec(c, "ALTER TABLE agent_telemetry DROP COLUMN duration_ms");
        }
        String before = definition(config, "public.agent_telemetry");

        CliRun migrate = CliRun.of(config, "migrate");
        assertEquals(1, migrate.exit());
        assertTrue(migrate.err().contains("telemetry: agent_telemetry.duration_ms: expected integer, found no such column"), migrate.err());
        CliRun stats = CliRun.of(config, "refresh-stats");
        assertEquals(1, stats.exit());
        assertTrue(stats.err().contains("refresh-stats cannot run") && stats.err().contains("agent_telemetry.duration_ms"), stats.err());
        CliRun check = CliRun.of(config, "check");
        assertEquals(1, check.exit());
        assertTrue(check.out().contains("problem: agent_telemetry.duration_ms: expected integer, found no such column"), check.out());
        assertEquals(before, definition(config, "public.agent_telemetry"));
    }

    @Test
    void should_refuse_a_group_that_is_only_partly_there_and_create_nothing_of_it() throws Exception {
        AppConfig config = TestDatabases.freshConfig().with(Map.of("agent-etl.executions.schema", "public"));
        try (Connection c = TestDatabases.connectPlain(url(config))) {
            Sql.exec(c, "CREATE TABLE executions (execution_id uuid PRIMARY KEY, goal_id varchar(255), goal_text text, intent varchar(50), "
                    + "success boolean, error text, duration_ms integer, created_at timestamp, metadata jsonb)");
        }
        CliRun migrate = CliRun.of(config, "migrate");
        assertEquals(1, migrate.exit());
        assertTrue(migrate.err().contains("has only part of the group; missing: tool_executions"), migrate.err());
        try (Connection c = TestDatabases.connectPlain(url(config))) {
            assertEquals(null, Sql.value(c, "SELECT to_regclass('public.tool_executions')"));
        }
    }

    @Test
    void should_upgrade_an_install_of_the_old_layout_in_place_with_its_rows() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        // an install of the previous release: V1-V13 in public, with rows in every kind of table
        Flyway.configure().dataSource(url(config), "postgres", "").locations("filesystem:" + Path.of("migrations").toAbsolutePath())
                .target("13").load().migrate();
        try (Connection c = TestDatabases.connectPlain(url(config))) {
            Sql.exec(c, "INSERT INTO sessions (id, session_id, session_type, model) VALUES (1, 's-1', 'test', 'gpt-4o')");
            Sql.exec(c, "INSERT INTO agent_telemetry (model_used, system_prompt, chat_history, duration_ms, stop_reason) "
                    + "VALUES ('m', 's', '[]', 5, 'completed')");
            Sql.exec(c, "INSERT INTO job_runs (job, status) VALUES ('refresh-stats', 'succeeded')");
            Sql.exec(c, "INSERT INTO prompts (name, version, template, content_hash) VALUES ('greet', 1, 'Hello', repeat('a', 64))");
            Sql.exec(c, "INSERT INTO prompt_labels (name, label, prompt_id) SELECT 'greet', 'production', id FROM prompts");
            Sql.exec(c, "CREATE TABLE public.someone_elses (n int)");
            Sql.exec(c, "CREATE TABLE legacy.rl_outcomes (_source_key text PRIMARY KEY, learner text)");
            Sql.exec(c, "INSERT INTO legacy.rl_outcomes VALUES ('1', 'model_selector')");
        }
        CliRun refused = CliRun.of(config, "status");
        assertEquals(0, refused.exit());
        assertTrue(refused.out().contains("layout of an older release"), refused.out());

        CliRun migrate = CliRun.of(config, "migrate");
        assertEquals(0, migrate.exit(), migrate.out() + migrate.err());
        assertTrue(migrate.out().startsWith("moved the tables of an older release"), migrate.out());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM agent_etl.sessions"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM agent_etl.agent_telemetry"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM agent_etl.job_runs WHERE job = 'refresh-stats'"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM agent_etl.prompts WHERE name = 'greet'"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"),
                    "only the table agent-etl never created is left in public");
            assertEquals("created", Sql.value(c, "SELECT action FROM agent_etl.group_installs WHERE group_name = 'telemetry'"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM agent_etl.legacy_rl_outcomes"), "staged legacy copies come along");
            assertEquals(null, Sql.value(c, "SELECT to_regnamespace('legacy')"));
            Sql.exec(c, "INSERT INTO agent_telemetry (model_used, system_prompt, chat_history, duration_ms, stop_reason) "
                    + "VALUES ('m', 's', '[]', 5, 'gave_up')");
            assertNotEquals(0, Sql.count(c, "SELECT count(*) FROM agent_etl.flyway_schema_history WHERE version = '14'"));
        }
        CliRun check = CliRun.of(config, "check");
        assertEquals(0, check.exit(), check.out());
        CliRun stats = CliRun.of(config, "refresh-stats");
        assertEquals(0, stats.exit(), stats.err());
        assertEquals(0, CliRun.of(config, "migrate").exit(), "a second migrate is a no-op");
    }
}

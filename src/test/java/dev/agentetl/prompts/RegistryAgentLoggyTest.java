package dev.agentetl.prompts;

import dev.agentetl.importing.ImportReport;
import dev.agentetl.importing.FileResult;
import dev.agentetl.rules.ImportRulesRequest;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.JobReport;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * agent-loggy's own registry (its alembic migration and the rows its migration script writes), adopted in
 * schema agent_loggy: imports write what the app reads with its own query, a re-import writes nothing, a
 * label moved by hand moves in the arrays, and the app's tables are exactly as the app made them.
 */
class RegistryAgentLoggyTest {

    private static final List<String> TABLES = List.of("prompts", "model_configs", "embedding_configs", "context_rules",
            "negate_keys", "config_changelog");

    /** The app's own query for a prompt (seed 003's ConfigurationManager). */
    private static final String APP_QUERY =
            "SELECT template FROM agent_loggy.prompts WHERE name = ? AND 'production' = ANY(labels) AND is_active";

    @TempDir
    Path dir;

    @Test
    void should_write_agent_loggys_tables_as_the_app_reads_them_and_never_alter_them() throws Exception {
        AppConfig config = TestDatabases.freshConfig().with(Map.of("agent-etl.registry.schema", "agent_loggy"));
        try (Connection db = TestDatabases.connect(config)) {
            Sql.exec(db, resource("layouts/agent_loggy_003.sql"));
            Sql.exec(db, resource("layouts/agent_loggy_003_rows.sql"));
            String definition = definition(db);
            long traceV2 = Sql.count(db, "SELECT id FROM agent_loggy.prompts WHERE name = 'trace_analysis' AND version = 2");

            Path greet = dir.resolve("greet.prompt");
            Files.writeString(greet, "---\nname: greet\ntype: system\nmodel: gpt-4o\ntools: [{name: lookup}]\n"
                    + "labels: [production]\nmetadata: {owner: ops}\n---\nHello {name}\n");
            Path rules = dir.resolve("context_rules.csv");
            Files.writeString(rules, "context,important,ignore,description\n"
                    // changed: a new version, the app's v1 deactivated
                    + "mfs,\"processPayment,transferMoney\",HEARTBEAT,MFS payments\n"
                    // exactly the app's row: unchanged
                    + "transactions,\"transaction_created,payment_processed,amount,merchant,transfer_completed\","
                    + "\"session_cleanup,cache_refresh,log_rotation\",\"Transaction processing - the transactions themselves, not maintenance\"\n"
                    // new; npsb is missing, so deactivated
                    + "bkash,checkBkashInfo,,bKash\n");
            Path keys = dir.resolve("negate_keys.csv");
            Files.writeString(keys, "label,operator,value\nevent,!=,processMfsStatusUpdateInvocationEvent\nlevel,!=,DEBUG\njob,=~,cleanup_.*\n");

            try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "test")) {
                assertNull(Sql.value(db, "SELECT to_regclass('agent_etl.prompts')"), "no registry of agent-etl's own beside the app's");

                ImportReport catalog = (ImportReport) rt.run("import-prompts", new ImportPromptsRequest(List.of(), false, "etl"));
                assertEquals(List.of(), catalog.problems());
                ImportReport file = (ImportReport) rt.run("import-prompts", new ImportPromptsRequest(List.of(greet), false, "etl"));
                assertEquals(1, file.files().get(0).created(), file.render());
                ImportReport ruleReport = (ImportReport) rt.run("import-rules", new ImportRulesRequest(List.of(rules, keys), false, "etl"));
                FileResult contexts = ruleReport.files().get(0);
                assertEquals(List.of(1L, 1L, 1L, 1L), List.of(contexts.created(), contexts.updated(), contexts.unchanged(), contexts.deactivated()),
                        ruleReport.render());
                FileResult negate = ruleReport.files().get(1);
                assertEquals(List.of(1L, 2L, 1L), List.of(negate.created(), negate.unchanged(), negate.deactivated()), ruleReport.render());

                // the app's own query finds exactly the imported template; the placeholder is left to the app's own prompt
                for (CatalogFile f : CatalogFile.bundled()) {
                    if (f.source().endsWith(".prompt")) {
                        PromptDefinition def = PromptFileParser.parse(f);
                        assertEquals(def.labels().contains("production") ? List.of(def.template()) : List.of(), appQuery(db, def.name()),
                                def.name());
                    }
                }
                assertEquals(List.of(), appQuery(db, "trace_entry_analysis"), "the bundled placeholder never reaches the app");
                assertEquals(List.of("Hello {name}"), appQuery(db, "greet"));
                assertEquals("{v1}", Sql.value(db, "SELECT labels::text FROM agent_loggy.prompts WHERE id = " + traceV2),
                        "production moved off the app's version, its other label kept");
                long traceV3 = Sql.count(db, "SELECT id FROM agent_loggy.prompts WHERE name = 'trace_analysis' AND version = 3");
                assertEquals(1, Sql.count(db, "SELECT count(*) FROM agent_loggy.prompts WHERE id = " + traceV3
                        + " AND labels = '{production}' AND is_active AND created_by = 'etl' AND embedding IS NULL"));
                assertEquals(1, Sql.count(db, "SELECT count(*) FROM agent_loggy.model_configs "
                        + "WHERE name = 'extraction' AND 'production' = ANY(labels) AND is_active AND model_name = 'gpt-4o-mini'"));
                assertEquals(2, Sql.count(db, "SELECT count(*) FROM agent_loggy.context_rules WHERE context = 'mfs'"));
                assertEquals(2, Sql.count(db, "SELECT version FROM agent_loggy.context_rules WHERE context = 'mfs' AND is_active"));
                assertEquals(1, Sql.count(db, "SELECT count(*) FROM agent_loggy.context_rules WHERE context = 'mfs' AND version = 1 "
                        + "AND NOT is_active"), "the app's version retired");
                assertEquals(0, Sql.count(db, "SELECT count(*) FROM agent_loggy.context_rules WHERE context = 'npsb' AND is_active"));
                assertEquals(0, Sql.count(db, "SELECT count(*) FROM agent_loggy.negate_keys WHERE label = 'default' AND is_active"));

                // the changelog carries the real ids, and agent-etl's facts are keyed by them
                assertEquals(1, Sql.count(db, "SELECT count(*) FROM agent_loggy.config_changelog WHERE config_type = 'prompt' "
                        + "AND change_type = 'update' AND config_name = 'default:trace_analysis' AND config_id = " + traceV3
                        + " AND previous_version = 2 AND new_version = 3 AND changed_by = 'etl' AND previous_data->>'template' IS NOT NULL"));
                assertEquals(1, Sql.count(db, "SELECT count(*) FROM agent_loggy.config_changelog WHERE config_type = 'prompt' "
                        + "AND change_type = 'label' AND config_id = " + traceV3 + " AND previous_version = 2 AND new_version = 3 "
                        + "AND (previous_data->>'id')::int = " + traceV2));
                assertTrue(Sql.count(db, "SELECT count(*) FROM agent_loggy.config_changelog WHERE changed_by = 'etl'") > 10);
                assertEquals(0, Sql.count(db, """
                        SELECT count(*) FROM agent_loggy.config_changelog c WHERE c.changed_by = 'etl' AND NOT EXISTS (
                            SELECT 1 FROM agent_loggy.prompts p WHERE c.config_type = 'prompt' AND p.id = c.config_id
                            UNION ALL SELECT 1 FROM agent_loggy.model_configs m WHERE c.config_type = 'model_config' AND m.id = c.config_id
                            UNION ALL SELECT 1 FROM agent_loggy.embedding_configs e WHERE c.config_type = 'embedding_config' AND e.id = c.config_id
                            UNION ALL SELECT 1 FROM agent_loggy.context_rules r WHERE c.config_type = 'context_rule' AND r.id = c.config_id
                            UNION ALL SELECT 1 FROM agent_loggy.negate_keys k WHERE c.config_type = 'negate_key' AND k.id = c.config_id)"""),
                        "every changelog row agent-etl wrote names a real row");
                assertEquals(1, Sql.count(db, "SELECT count(*) FROM agent_etl.registry_facts f JOIN agent_loggy.prompts p "
                        + "ON f.config_type = 'prompt' AND f.config_id = p.id WHERE p.name = 'greet' AND f.source_file = '" + greet + "' "
                        + "AND f.tools = '[{\"name\": \"lookup\"}]' AND f.metadata = '{\"owner\": \"ops\"}'"));

                // a re-import writes nothing at all
                Map<String, String> before = contents(db);
                ImportReport again = (ImportReport) rt.run("import-prompts", new ImportPromptsRequest(List.of(), false, "etl"));
                ImportReport againFile = (ImportReport) rt.run("import-prompts", new ImportPromptsRequest(List.of(greet), false, "etl"));
                ImportReport againRules = (ImportReport) rt.run("import-rules", new ImportRulesRequest(List.of(rules, keys), false, "etl"));
                assertEquals(0, again.rowsWritten() + againFile.rowsWritten() + againRules.rowsWritten());
                assertEquals(before, contents(db), "row counts and contents of the six tables unchanged");

                // a label moved by hand (a rollback) moves in the arrays
                JobReport moved = rt.run("prompts-label", new PromptRegistry.Query("trace_analysis", 2, "production", null, "bob"));
                assertEquals(1, moved.rowsWritten());
                assertEquals("{v1,production}", Sql.value(db, "SELECT labels::text FROM agent_loggy.prompts WHERE id = " + traceV2));
                assertEquals("{}", Sql.value(db, "SELECT labels::text FROM agent_loggy.prompts WHERE id = " + traceV3),
                        "the version it left no longer has it");
                assertEquals(List.of(Sql.value(db, "SELECT template FROM agent_loggy.prompts WHERE id = " + traceV2)),
                        appQuery(db, "trace_analysis"));
                assertEquals(1, Sql.count(db, "SELECT count(*) FROM agent_loggy.config_changelog WHERE change_type = 'label' "
                        + "AND changed_by = 'bob' AND config_id = " + traceV2 + " AND previous_version = 3 AND new_version = 2"));
                assertEquals(1, Sql.count(db, "SELECT count(*) FROM agent_etl.registry_label_moves WHERE moved_by = 'bob' "
                        + "AND from_id = " + traceV3 + " AND to_id = " + traceV2 + " AND source_file IS NULL"));
            }

            assertEquals(definition, definition(db), "agent_loggy's tables exactly as the app created them");

            // the app keeps writing its tables its own way
            long appId = Sql.count(db, "INSERT INTO agent_loggy.prompts (name, template) VALUES ('app_prompt', 'from the app') RETURNING id");
            assertTrue(appId > Sql.count(db, "SELECT max(id) FROM agent_loggy.prompts WHERE name <> 'app_prompt'"));
            Sql.exec(db, "INSERT INTO agent_loggy.prompts (project, name, version, type, template, is_active, labels, created_by) "
                    + "VALUES ('default', 'trace_analysis', 4, 'user', 'app v4', true, ARRAY['staging'], 'app')");
            Sql.exec(db, "INSERT INTO agent_loggy.config_changelog (config_type, config_id, config_name, new_version, change_type) "
                    + "VALUES ('prompt', 0, 'default:app_prompt', 1, 'create')");
            Sql.exec(db, "INSERT INTO agent_loggy.context_rules (context, important) VALUES ('app_rule', 'x')");
            Sql.exec(db, "UPDATE agent_loggy.prompts SET labels = array_append(labels, 'canary') WHERE name = 'app_prompt'");
            Sql.exec(db, "DELETE FROM agent_loggy.prompts WHERE name = 'app_prompt'");
        }
    }

    /**
     * An install of an older release (V1-V13 in public; the registry agent-etl's own, V4's layout, with
     * prompt_labels) is brought to agent-loggy's layout by V15: labels into the arrays, the facts and the
     * label history into agent-etl's tables, prompt_labels and its view gone; and imports carry on from it.
     */
    @Test
    void should_upgrade_an_older_installs_registry_to_the_app_layout_keeping_its_facts() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        String url = config.get("agent-etl.db.url");
        org.flywaydb.core.Flyway.configure().dataSource(url, "postgres", "")
                .locations("filesystem:" + Path.of("migrations").toAbsolutePath()).target("13").load().migrate();
        String withTools = PromptDefinition.hash("system", "Hello again", "gpt-4o", Map.of("temperature", 0.1),
                List.of(Map.of("name", "lookup")));
        try (Connection old = TestDatabases.connectPlain(url)) {
            Sql.exec(old, """
                    INSERT INTO prompts (project, name, version, type, template, model, parameters, tools, metadata,
                                         content_hash, source_file, created_by)
                    VALUES ('default', 'greet', 1, 'system', 'Hello', 'gpt-4o', '{"temperature": 0.1}', '[]', '{}',
                            '%s', '/old/greet.prompt', 'alice'),
                           ('default', 'greet', 2, 'system', 'Hello again', 'gpt-4o', '{"temperature": 0.1}',
                            '[{"name": "lookup"}]', '{"owner": "ops"}', '%s', '/old/greet.prompt', 'alice');
                    INSERT INTO prompt_labels (name, label, prompt_id) VALUES ('greet', 'production', 2), ('greet', 'staging', 1);
                    INSERT INTO config_changelog (config_type, config_id, config_name, previous_version, new_version, change_type,
                                                  previous_data, new_data, changed_by, source_file)
                    VALUES ('prompt_label', 2, 'default:greet@production', 1, 2, 'label', '{"label": "production", "version": 1}',
                            '{"label": "production", "version": 2}', 'alice', '/old/greet.prompt');
                    INSERT INTO model_configs (name, version, model_provider, model_name, parameters, labels, content_hash, source_file)
                    VALUES ('fast', 1, 'openai', 'gpt-4o-mini', '{}', '{production}', '%s', '/old/fast.model.yaml');
                    INSERT INTO context_rules (context, important, content_hash, source_file) VALUES ('mfs', 'a, b', '%s', '/old/rules.csv');
                    INSERT INTO negate_keys (label, operator, value, source_file) VALUES ('event', '!=', 'heartbeat', '/old/keys.csv');
                    """.formatted(PromptDefinition.hash("system", "Hello", "gpt-4o", Map.of("temperature", 0.1), List.of()),
                    withTools, "0".repeat(64), "1".repeat(64)));
        }

        Path greet = dir.resolve("greet.prompt");
        Files.writeString(greet, "---\nname: greet\ntype: system\nmodel: gpt-4o\nconfig: {temperature: 0.1}\n"
                + "tools: [{name: lookup}]\nlabels: [production]\n---\nHello again\n");
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "test"); Connection db = TestDatabases.connect(config)) {
            assertNull(Sql.value(db, "SELECT to_regclass('agent_etl.prompt_labels')"));
            assertNull(Sql.value(db, "SELECT to_regclass('agent_etl.prompt_versions')"));
            assertEquals("{staging}", Sql.value(db, "SELECT labels::text FROM agent_etl.prompts WHERE id = 1"));
            assertEquals("{production}", Sql.value(db, "SELECT labels::text FROM agent_etl.prompts WHERE id = 2"));
            assertEquals(5, Sql.count(db, "SELECT count(*) FROM agent_etl.registry_facts"), "2 prompts, a model, a rule, a key");
            assertEquals(1, Sql.count(db, "SELECT count(*) FROM agent_etl.registry_facts WHERE config_type = 'prompt' AND config_id = 2 "
                    + "AND content_hash = '" + withTools + "' AND source_file = '/old/greet.prompt' "
                    + "AND tools = '[{\"name\": \"lookup\"}]' AND metadata = '{\"owner\": \"ops\"}'"));
            assertEquals(1, Sql.count(db, "SELECT count(*) FROM agent_etl.registry_facts WHERE config_type = 'negate_key' "
                    + "AND config_name = 'event != heartbeat' AND source_file = '/old/keys.csv'"));
            assertEquals(1, Sql.count(db, "SELECT count(*) FROM agent_etl.registry_label_moves WHERE config_type = 'prompt' "
                    + "AND project = 'default' AND name = 'greet' AND label = 'production' AND from_id = 1 AND from_version = 1 "
                    + "AND to_id = 2 AND to_version = 2 AND moved_by = 'alice' AND source_file = '/old/greet.prompt'"));

            // the same file again: unchanged by the hash kept in the facts (tools are not in the prompts row)
            ImportReport same = (ImportReport) rt.run("import-prompts", new ImportPromptsRequest(List.of(greet), false, "bob"));
            assertEquals(1, same.rowsSkipped(), same.render());
            Files.writeString(greet, Files.readString(greet).replace("Hello again", "Hello, third"));
            rt.run("import-prompts", new ImportPromptsRequest(List.of(greet), false, "bob"));
            assertEquals("{production}", Sql.value(db, "SELECT labels::text FROM agent_etl.prompts WHERE version = 3"));
            assertEquals("{}", Sql.value(db, "SELECT labels::text FROM agent_etl.prompts WHERE id = 2"));
            Path fast = dir.resolve("fast.model.yaml");
            Files.writeString(fast, "name: fast\nprovider: openai\nmodel: gpt-4o\nlabels: [production]\n");
            rt.run("import-prompts", new ImportPromptsRequest(List.of(fast), false, "bob"));
            assertEquals("{}", Sql.value(db, "SELECT labels::text FROM agent_etl.model_configs WHERE version = 1"),
                    "the older text[] labels column is written too");
            assertEquals("{production}", Sql.value(db, "SELECT labels::text FROM agent_etl.model_configs WHERE version = 2"));
        }
    }

    private static List<String> appQuery(Connection db, String name) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(APP_QUERY)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Each table's row count and a digest of every row's text, updated_at included. */
    private static Map<String, String> contents(Connection db) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String t : TABLES) {
            out.put(t, Sql.count(db, "SELECT count(*) FROM agent_loggy." + t) + " rows, md5 "
                    + Sql.value(db, "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM agent_loggy." + t + " t"));
        }
        return out;
    }

    /**
     * The catalog definition of everything in schema agent_loggy: relations (tables, indexes, sequences)
     * and their options, columns with types, defaults and nullability (pg_catalog and information_schema),
     * constraints, indexes, triggers (foreign keys' internal ones included), rules, policies, and any
     * constraint elsewhere that references them.
     */
    private static String definition(Connection db) throws Exception {
        return (String) Sql.value(db, """
                WITH rel AS (SELECT oid, relname FROM pg_class WHERE relnamespace = 'agent_loggy'::regnamespace)
                SELECT string_agg(x, E'\\n' ORDER BY x) FROM (
                    SELECT format('rel %s kind=%s rls=%s replident=%s options=%s persistence=%s', c.relname, c.relkind,
                                  c.relrowsecurity, c.relreplident, c.reloptions, c.relpersistence) AS x
                    FROM pg_class c JOIN rel USING (oid)
                    UNION ALL
                    SELECT format('att %s.%s #%s %s notnull=%s default=%s identity=%s generated=%s', r.relname, a.attname, a.attnum,
                                  format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
                                  a.attidentity, a.attgenerated)
                    FROM pg_attribute a JOIN rel r ON r.oid = a.attrelid
                    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                    WHERE a.attnum > 0 AND NOT a.attisdropped
                    UNION ALL
                    SELECT format('col %s.%s %s %s %s %s nullable=%s default=%s', table_name, column_name, ordinal_position, data_type,
                                  udt_name, character_maximum_length, is_nullable, column_default)
                    FROM information_schema.columns WHERE table_schema = 'agent_loggy'
                    UNION ALL
                    SELECT format('con %s %s %s %s', r.relname, k.conname, k.contype, pg_get_constraintdef(k.oid))
                    FROM pg_constraint k JOIN rel r ON r.oid = k.conrelid
                    UNION ALL
                    SELECT format('ref %s.%s %s', k.connamespace::regnamespace, k.conname, pg_get_constraintdef(k.oid))
                    FROM pg_constraint k WHERE k.confrelid IN (SELECT oid FROM rel)
                    UNION ALL
                    SELECT format('idx %s', pg_get_indexdef(i.indexrelid)) FROM pg_index i WHERE i.indrelid IN (SELECT oid FROM rel)
                    UNION ALL
                    SELECT format('trg %s %s internal=%s', r.relname, t.tgname, t.tgisinternal)
                    FROM pg_trigger t JOIN rel r ON r.oid = t.tgrelid
                    UNION ALL
                    SELECT format('rule %s %s', r.relname, w.rulename) FROM pg_rewrite w JOIN rel r ON r.oid = w.ev_class
                    UNION ALL
                    SELECT format('policy %s %s', r.relname, p.polname) FROM pg_policy p JOIN rel r ON r.oid = p.polrelid
                ) s""");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RegistryAgentLoggyTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("test resource missing: " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

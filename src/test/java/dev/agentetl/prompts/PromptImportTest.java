package dev.agentetl.prompts;

import dev.agentetl.importing.ImportReport;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.JobReport;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prompt imports are idempotent, version on behaviour changes only, move labels, and audit everything. */
class PromptImportTest {

    @TempDir
    Path dir;
    TestRuntime rt;
    AppConfig config;
    AgentEtlRuntime runtime;
    Connection db;

    @BeforeEach
    void start() throws Exception {
        rt = TestRuntime.start(Map.of("agent-etl.demo.rows", "500"));
        config = rt.config;
        runtime = rt.runtime;
        db = rt.db;
    }

    @AfterEach
    void stop() throws Exception {
        rt.close();
    }

    private Path prompt(String name, String type, String template, String extra) throws Exception {
        Path file = dir.resolve(name + ".prompt");
        Files.writeString(file, "---\nname: " + name + "\ntype: " + type + "\nmodel: gpt-4o\nconfig:\n  temperature: 0.1\n"
                + "labels: [production, staging]\n" + extra + "---\n" + template + "\n");
        return file;
    }

    private ImportReport importPrompts(boolean dryRun, Path... paths) {
        return (ImportReport) runtime.run("import-prompts", new ImportPromptsRequest(List.of(paths), dryRun, "alice"));
    }

    private long count(String sql) throws Exception {
        return Sql.count(db, sql);
    }

    /** Every registry and facts row, as text: equal before and after means nothing was written. */
    private String state() throws Exception {
        return (String) Sql.value(db, """
                SELECT concat_ws(' | ',
                    (SELECT string_agg(concat_ws(',', id, version, labels, is_active, updated_at), ';' ORDER BY id) FROM prompts),
                    (SELECT string_agg(concat_ws(',', config_type, config_id, recorded_at), ';' ORDER BY config_type, config_id) FROM registry_facts),
                    (SELECT count(*) FROM registry_label_moves), (SELECT count(*) FROM config_changelog))""");
    }

    @Test
    void should_write_nothing_at_all_when_the_same_files_are_imported_again() throws Exception {
        prompt("greet", "system", "Hello {name}", "");
        prompt("bye", "user", "Bye {name}", "");
        ImportReport first = importPrompts(false, dir);
        assertEquals(2, first.files().stream().mapToLong(f -> f.created()).sum());
        long changelog = count("SELECT count(*) FROM config_changelog");
        assertEquals(2 + 4, changelog, "2 creates and 4 label moves");
        assertEquals(4, count("SELECT count(*) FROM registry_label_moves WHERE from_id IS NULL"));
        String rows = state();

        ImportReport second = importPrompts(false, dir);

        assertEquals(2, second.rowsSkipped(), "both unchanged");
        assertEquals(0, second.rowsWritten());
        assertEquals(2, count("SELECT count(*) FROM prompts"));
        assertEquals(changelog, count("SELECT count(*) FROM config_changelog"), "not even changelog rows");
        assertEquals(rows, state(), "no row touched (updated_at, labels, facts)");
    }

    @Test
    void should_make_exactly_one_new_version_and_move_its_labels_when_the_template_changes() throws Exception {
        prompt("greet", "system", "Hello {name}", "");
        importPrompts(false, dir);
        prompt("greet", "system", "Hello {name}, welcome back", "");

        ImportReport report = importPrompts(false, dir);

        assertEquals(1, report.files().get(0).updated());
        assertEquals(2, count("SELECT count(*) FROM prompts WHERE name = 'greet'"));
        long v1 = count("SELECT id FROM prompts WHERE name = 'greet' AND version = 1");
        long v2 = count("SELECT id FROM prompts WHERE name = 'greet' AND version = 2");
        assertEquals("{production,staging}", Sql.value(db, "SELECT labels::text FROM prompts WHERE id = " + v2),
                "production and staging moved to v2");
        assertEquals("{}", Sql.value(db, "SELECT labels::text FROM prompts WHERE id = " + v1), "and taken off v1");
        assertEquals(2, count("SELECT count(*) FROM prompts WHERE name = 'greet' AND is_active"), "v1 stays active for a rollback");
        assertEquals(1, count("SELECT count(*) FROM config_changelog WHERE change_type = 'update' AND config_type = 'prompt' "
                + "AND config_id = " + v2 + " AND config_name = 'default:greet'"
                + " AND previous_version = 1 AND new_version = 2 AND changed_by = 'alice' AND change_summary LIKE '%greet.prompt'"
                + " AND previous_data->>'template' = 'Hello {name}' AND new_data->>'template' = 'Hello {name}, welcome back'"
                + " AND new_data->>'source_file' LIKE '%greet.prompt'"));
        assertEquals(1, count("SELECT count(*) FROM registry_facts WHERE config_type = 'prompt' AND config_id = " + v2
                + " AND version = 2 AND source_file LIKE '%greet.prompt' AND length(content_hash) = 64"), "the version's facts");
        assertEquals(2, count("SELECT count(*) FROM config_changelog WHERE change_type = 'label' AND previous_version = 1 "
                + "AND new_version = 2 AND config_id = " + v2 + " AND (previous_data->>'id')::bigint = " + v1));
        assertEquals(2, count("SELECT count(*) FROM registry_label_moves WHERE name = 'greet' AND from_id = " + v1
                + " AND from_version = 1 AND to_id = " + v2 + " AND to_version = 2 AND moved_by = 'alice' AND source_file LIKE '%greet.prompt'"));
        assertEquals(0, count("SELECT count(*) FROM config_changelog c WHERE c.config_type = 'prompt' "
                + "AND NOT EXISTS (SELECT 1 FROM prompts p WHERE p.id = c.config_id)"), "changelog ids are real prompt ids");
    }

    @Test
    void should_not_version_documentation_only_changes() throws Exception {
        prompt("greet", "system", "Hello {name}", "description: first\n");
        importPrompts(false, dir);
        prompt("greet", "system", "Hello {name}", "description: reworded\nmetadata:\n  owner: team-a\n");

        ImportReport report = importPrompts(false, dir);

        assertEquals(1, report.rowsSkipped());
        assertEquals(1, count("SELECT count(*) FROM prompts WHERE name = 'greet'"));
    }

    @Test
    void should_roll_back_by_moving_a_label_back_and_keep_it_there_on_reimport() throws Exception {
        prompt("greet", "system", "v1 text", "");
        importPrompts(false, dir);
        prompt("greet", "system", "v2 text", "");
        importPrompts(false, dir);

        long events = count("SELECT count(*) FROM agent_etl.system_events WHERE event_type = 'config_change'");
        assertEquals(2, events, "each import that changed the registry is a config_change event");
        JobReport moved = runtime.run("prompts-label", new PromptRegistry.Query("greet", 1, "production", null, "bob"));
        assertEquals(1, moved.rowsWritten());
        assertEquals(1, count("SELECT count(*) FROM agent_etl.system_events WHERE event_type = 'config_change' "
                + "AND details->>'label' = 'production' AND details->>'version' = '1' AND details->>'actor' = 'bob'"), "and each label move");
        JobReport shown = runtime.run("prompts-show", new PromptRegistry.Query("greet", null, null, null, null));
        assertTrue(shown.render().contains("v1 text"), "show uses the production label: " + shown.render());
        assertEquals(1, count("SELECT count(*) FROM config_changelog WHERE change_type = 'label' AND changed_by = 'bob' "
                + "AND previous_version = 2 AND new_version = 1"));
        assertEquals(1, count("SELECT count(*) FROM registry_label_moves WHERE moved_by = 'bob' AND label = 'production' "
                + "AND from_version = 2 AND to_version = 1 AND source_file IS NULL"), "a move by hand");
        assertEquals("{staging}", Sql.value(db, "SELECT labels::text FROM prompts WHERE name = 'greet' AND version = 2"));

        importPrompts(false, dir);
        assertEquals(1, count("SELECT version FROM prompts WHERE name = 'greet' AND 'production' = ANY (labels)"),
                "an unchanged file does not undo a rollback");
        assertEquals(1, count("SELECT count(*) FROM prompts WHERE name = 'greet' AND 'production' = ANY (labels)"));
        assertEquals(0, runtime.run("prompts-label", new PromptRegistry.Query("greet", 1, "production", null, "bob")).rowsWritten(),
                "moving a label where it is writes nothing");
        assertEquals(events + 1, count("SELECT count(*) FROM agent_etl.system_events WHERE event_type = 'config_change'"),
                "no event for an unchanged import or a label already in place");
        JobReport list = runtime.run("prompts-list", null);
        assertTrue(list.render().contains("production=v1, staging=v2"), list.render());

        prompt("greet", "system", "v3 text", "");
        importPrompts(false, dir);
        assertEquals(3, count("SELECT version FROM prompts WHERE name = 'greet' AND 'production' = ANY (labels)"),
                "a changed file moves its labels again");
        assertEquals("{}", Sql.value(db, "SELECT labels::text FROM prompts WHERE name = 'greet' AND version = 1"));
        JobReport latest = runtime.run("prompts-show", new PromptRegistry.Query("greet", 2, null, null, null));
        assertTrue(latest.render().contains("v2 text"));
        JobReport diff = runtime.run("prompts-diff", new PromptRegistry.Query("greet", 1, null, 2, null));
        assertTrue(diff.render().contains("-v1 text") && diff.render().contains("+v2 text"), diff.render());
    }

    @Test
    void should_take_a_version_the_app_wrote_with_the_same_behaviour_as_unchanged() throws Exception {
        Sql.exec(db, "INSERT INTO prompts (project, name, version, type, template, model, parameters, labels) "
                + "VALUES ('default', 'greet', 1, 'system', 'Hello {name}', 'gpt-4o', '{\"temperature\": 0.1}', '{production}')");
        prompt("greet", "system", "Hello {name}", "");

        ImportReport same = importPrompts(false, dir);

        assertEquals(1, same.rowsSkipped(), "no facts for the app's row: its hash is computed from its columns");
        assertEquals(1, count("SELECT count(*) FROM prompts WHERE name = 'greet'"));
        assertEquals(0, count("SELECT count(*) FROM config_changelog"));

        prompt("greet", "system", "Hello again", "");
        importPrompts(false, dir);
        assertEquals("{production,staging}", Sql.value(db, "SELECT labels::text FROM prompts WHERE name = 'greet' AND version = 2"));
        assertEquals("{}", Sql.value(db, "SELECT labels::text FROM prompts WHERE name = 'greet' AND version = 1"),
                "production taken off the app's version");
    }

    @Test
    void should_keep_a_label_on_one_version_while_moves_and_imports_race() throws Exception {
        for (int v = 1; v <= 3; v++) {
            prompt("greet", "system", "text " + v, "");
            importPrompts(false, dir);
        }
        PromptRegistry registry = new PromptRegistry(runtime.dataSource());
        PromptImporter importer = new PromptImporter(runtime.dataSource());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 12; i++) {
                        registry.label(new PromptRegistry.Query("greet", 1 + (thread + i) % 3, "production", null, "racer" + thread));
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                for (int i = 4; i <= 7; i++) {
                    prompt("greet", "system", "text " + i, "");
                    importer.importPrompts(new ImportPromptsRequest(List.of(dir), false, "importer"));
                }
                return null;
            }));
            for (Future<?> f : work) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(7, count("SELECT count(*) FROM prompts WHERE name = 'greet'"));
        assertEquals(1, count("SELECT count(*) FROM prompts WHERE name = 'greet' AND 'production' = ANY (labels)"),
                "production on exactly one version");
        assertEquals(1, count("SELECT count(*) FROM prompts WHERE name = 'greet' AND 'staging' = ANY (labels)"));
        assertEquals(count("SELECT count(*) FROM config_changelog WHERE change_type = 'label' AND new_data->>'label' = 'production'"),
                count("SELECT count(*) FROM registry_label_moves WHERE label = 'production'"), "every move audited in both");
        assertEquals(count("SELECT version FROM prompts WHERE name = 'greet' AND 'production' = ANY (labels)"),
                count("SELECT to_version FROM registry_label_moves WHERE label = 'production' ORDER BY id DESC LIMIT 1"),
                "the last move recorded is where the label is");
    }

    @Test
    void should_write_nothing_in_a_dry_run() throws Exception {
        prompt("greet", "system", "Hello", "");

        ImportReport report = importPrompts(true, dir);

        assertTrue(report.render().startsWith("DRY RUN"));
        assertEquals(1, report.files().get(0).created(), "the report says what would happen");
        assertEquals(0, count("SELECT count(*) FROM prompts"));
        assertEquals(0, count("SELECT count(*) FROM registry_facts"));
        assertEquals(0, count("SELECT count(*) FROM registry_label_moves"));
        assertEquals(0, count("SELECT count(*) FROM config_changelog"));
    }

    @Test
    void should_reject_a_bad_file_with_its_line_and_still_import_the_good_one() throws Exception {
        prompt("good", "system", "fine", "");
        Files.writeString(dir.resolve("bad.prompt"), "---\nname: bad\ntype: poem\ncolour: blue\n---\ntext\n");

        CliRun run = CliRun.of(config, "import", "prompts", dir.toString());

        assertEquals(1, run.exit());
        assertTrue(run.err().contains("bad.prompt:3: type must be one of"), run.err());
        assertTrue(run.err().contains("bad.prompt:4: unknown key 'colour'"), run.err());
        assertEquals(1, count("SELECT count(*) FROM prompts WHERE name = 'good'"), "the good file is kept");
        assertEquals(0, count("SELECT count(*) FROM prompts WHERE name = 'bad'"));
        assertEquals("failed", Sql.value(db, "SELECT status FROM job_runs WHERE job = 'import-prompts'"));
    }

    @Test
    void should_import_the_bundled_catalog_in_the_demo() throws Exception {
        runtime.run("demo", null);

        assertEquals(5, count("SELECT count(*) FROM prompts WHERE version = 1"));
        assertEquals(4, count("SELECT count(*) FROM prompts WHERE 'production' = ANY (labels) AND is_active"),
                "the four prompts seed 003 gives; not the placeholder");
        assertEquals(0, count("SELECT count(*) FROM prompts WHERE name = 'trace_entry_analysis' AND cardinality(labels) > 0"),
                "the placeholder carries no label, so the app keeps its own prompt");
        assertTrue(((String) Sql.value(db, "SELECT description FROM prompts WHERE name = 'trace_entry_analysis'")).startsWith("PLACEHOLDER"));
        assertEquals(5, count("SELECT count(*) FROM context_rules WHERE is_active"), "the demo imports the sample rules too");
        assertEquals(3, count("SELECT count(*) FROM negate_keys WHERE is_active"));
        assertEquals(2, count("SELECT count(*) FROM model_configs WHERE 'production' = ANY (labels) AND is_active"));
        assertEquals(1, count("SELECT count(*) FROM embedding_configs WHERE name = 'log_search' AND is_active"));
        String template = (String) Sql.value(db, "SELECT template FROM prompts WHERE name = 'parameter_extraction'");
        assertTrue(template.startsWith("You are a strict parameter extractor.") && template.endsWith("Return ONLY the JSON. No extra text."));
        assertFalse(((String) Sql.value(db, "SELECT template FROM prompts WHERE name = 'trace_entry_analysis'")).isBlank());
        assertNull(Sql.value(db, "SELECT template FROM prompts WHERE name = 'missing'"));
    }
}

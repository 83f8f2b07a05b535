package dev.agentetl.prompts;

import dev.agentetl.importing.ImportReport;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model and embedding configurations follow the prompts' rules: versioned by content, idempotent, audited. */
class ConfigImportTest {

    @TempDir
    Path dir;

    @Test
    void should_version_model_and_embedding_configs_by_content_and_keep_each_label_on_one_version() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        Path model = dir.resolve("fast.model.yaml");
        Path embedding = dir.resolve("search.embedding.yaml");
        Files.writeString(model, "name: fast\nprovider: openai\nmodel: gpt-4o-mini\nparameters: {temperature: 0}\nlabels: [production]\n");
        Files.writeString(embedding, "name: search\nembedding_model: minilm\nchunk_size: 256\n");
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "test"); Connection c = TestDatabases.connect(config)) {
            ImportPromptsRequest request = new ImportPromptsRequest(List.of(dir), false, "carol");
            ImportReport first = (ImportReport) rt.run("import-prompts", request);
            assertEquals(2, first.files().stream().mapToLong(f -> f.created()).sum(), first.render());
            assertEquals(50, Sql.count(c, "SELECT chunk_overlap FROM embedding_configs WHERE name = 'search'"), "seed default kept");
            long changelog = Sql.count(c, "SELECT count(*) FROM config_changelog");

            ImportReport again = (ImportReport) rt.run("import-prompts", request);
            assertEquals(2, again.rowsSkipped());
            assertEquals(changelog, Sql.count(c, "SELECT count(*) FROM config_changelog"), "a re-run writes nothing");

            Files.writeString(model, "name: fast\nprovider: openai\nmodel: gpt-4o-mini\nparameters: {temperature: 0.3}\nlabels: [production]\n");
            rt.run("import-prompts", request);
            assertEquals(2, Sql.count(c, "SELECT count(*) FROM model_configs WHERE name = 'fast'"));
            assertEquals(2, Sql.count(c, "SELECT version FROM model_configs WHERE name = 'fast' AND 'production' = ANY (labels)"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM model_configs WHERE 'production' = ANY (labels)"), "one version per label");
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM config_changelog WHERE config_type = 'model_config' AND change_type = 'update' "
                    + "AND previous_version = 1 AND new_version = 2 AND changed_by = 'carol' "
                    + "AND config_id = (SELECT id FROM model_configs WHERE name = 'fast' AND version = 2)"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM config_changelog WHERE config_type = 'model_config' AND change_type = 'label' "
                    + "AND previous_version = 1 AND new_version = 2 AND new_data->>'label' = 'production' "
                    + "AND config_id = (SELECT id FROM model_configs WHERE name = 'fast' AND version = 2)"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM registry_label_moves WHERE config_type = 'model_config' AND name = 'fast' "
                    + "AND project IS NULL AND from_version = 1 AND to_version = 2 AND source_file LIKE '%fast.model.yaml'"));
            assertEquals(3, Sql.count(c, "SELECT count(*) FROM registry_facts f WHERE length(content_hash) = 64 AND source_file LIKE '" + dir + "%' "
                    + "AND EXISTS (SELECT 1 FROM model_configs m WHERE f.config_type = 'model_config' AND m.id = f.config_id "
                    + "        UNION ALL SELECT 1 FROM embedding_configs e WHERE f.config_type = 'embedding_config' AND e.id = f.config_id)"),
                    "facts for fast v1, v2 and search v1, keyed by their real ids");
            assertEquals(2, Sql.count(c, "SELECT count(*) FROM model_configs WHERE name = 'fast' AND is_active"));

            // a version the app wrote itself, with the file's behaviour: unchanged, hashed from its columns
            Sql.exec(c, "INSERT INTO embedding_configs (name, version, embedding_model, chunk_size, chunk_overlap, chunking_strategy) "
                    + "VALUES ('app_search', 1, 'minilm', 256, 50, 'late_chunking')");
            Files.writeString(dir.resolve("app_search.embedding.yaml"),
                    "name: app_search\nembedding_model: minilm\nchunk_size: 256\nchunk_overlap: 50\nchunking_strategy: late_chunking\n");
            ImportReport adopted = (ImportReport) rt.run("import-prompts", request);
            assertEquals(0, adopted.rowsWritten(), adopted.render());
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM embedding_configs WHERE name = 'app_search'"));

            Files.writeString(dir.resolve("broken.model.yaml"), "name: broken\nmodel: x\ncolour: red\n");
            ImportReport bad = (ImportReport) rt.run("import-prompts", request);
            assertTrue(bad.problems().contains(dir.resolve("broken.model.yaml") + ":3: unknown key 'colour' (known: name, provider, model, parameters, labels)"),
                    bad.problems().toString());
            assertTrue(bad.problems().contains(dir.resolve("broken.model.yaml") + ":1: provider is required"), bad.problems().toString());
        }
    }
}

package dev.agentetl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.ingest.StoreWriter;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --json}: stdout is exactly one JSON document, whatever the command and however it ends, with the figures
 * the text report shows; logs and reasons stay on stderr; the exit codes are those of the text mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonOutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AppConfig config;

    @BeforeAll
    void data() {
        config = TestDatabases.migratedConfig();
        CliRun generate = CliRun.of(config, "generate", "--rows", "4000", "--seed", "7");
        assertEquals(0, generate.exit(), generate.err());
    }

    @Test
    void status_and_check_report_the_same_figures_as_their_text() throws Exception {
        CliRun text = CliRun.of(config, "status");
        JsonNode json = document(CliRun.of(config, "status", "--json"), 0, "succeeded");
        JsonNode report = json.get("report");
        assertTrue(text.out().contains("schema version  " + report.get("schema_version").asText()), text.out());
        long sessions = report.get("rows_per_group").get("interactions (agent_etl)").get("sessions").asLong();
        assertTrue(sessions > 0);
        assertTrue(text.out().matches("(?s).*\\n\\s+sessions\\s+" + String.format("%,d", sessions) + "\\n.*"), text.out());
        assertNotNull(json.get("run_id").numberValue(), "the run in job_runs");
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals("status", Sql.value(c, "SELECT job FROM job_runs WHERE id = " + json.get("run_id").asLong()));
        }

        CliRun checkText = CliRun.of(config, "check");
        CliRun checkJsonRun = CliRun.of(config, "--json", "check"); // the option before the command works too
        JsonNode check = document(checkJsonRun, checkText.exit(), checkText.exit() == 0 ? "succeeded" : "failed");
        for (JsonNode g : check.get("report").get("groups")) {
            assertTrue(checkText.out().matches("(?s).*" + g.get("group").asText() + "\\s+" + g.get("state").asText() + ".*"),
                    g + " in " + checkText.out());
        }
        for (JsonNode p : check.get("problems")) {
            assertTrue(checkText.err().contains(p.asText()), "the text run names the same problem: " + p);
        }
    }

    @Test
    void export_and_finetune_report_files_whose_hashes_match_what_is_on_disk() throws Exception {
        JsonNode export = document(CliRun.of(config, "export", "tool_calls", "--format", "csv", "--json"), 0, "succeeded").get("report");
        long rows = export.get("rows").asLong();
        assertTrue(rows > 0);
        long inFiles = 0;
        for (JsonNode f : export.get("files")) {
            // file names are relative to the dataset's folder (they start with the dt= partition the report's folder names)
            Path file = Path.of(export.get("folder").asText()).getParent().resolve(f.get("file").asText());
            assertEquals(f.get("sha256").asText(), sha256(file), file.toString());
            assertEquals(f.get("bytes").asLong(), Files.size(file));
            inFiles += f.get("rows").asLong();
        }
        assertEquals(rows, inFiles);
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(rows, Sql.count(c, "SELECT record_count FROM exports WHERE id = " + export.get("export_id").asLong()));
        }
        CliRun text = CliRun.of(config, "export", "tool_calls", "--format", "csv");
        assertTrue(text.out().contains(String.format("%,d rows", rows)), "the text report counts the same rows: " + text.out());

        CliRun finetuneText = CliRun.of(config, "finetune");
        JsonNode finetune = document(CliRun.of(config, "finetune", "--json"), 0, "succeeded");
        JsonNode f = finetune.get("report");
        long train = f.get("train").asLong(), validation = f.get("validation").asLong();
        assertEquals(train + validation, finetune.get("rows").get("written").asLong());
        assertTrue(finetuneText.out().contains(String.format("-> %,d train + %,d validation", train, validation)), finetuneText.out());
        for (JsonNode file : f.get("files")) {
            assertEquals(file.get("sha256").asText(), sha256(Path.of(f.get("folder").asText()).resolve(file.get("file").asText())));
            // the same database and options give byte-identical files: the text run printed the same hash
            assertTrue(finetuneText.out().contains(file.get("sha256").asText()), finetuneText.out());
        }
    }

    @Test
    void refresh_stats_insights_and_reports_list_what_the_text_lists() throws Exception {
        JsonNode stats = document(CliRun.of(config, "refresh-stats", "--full", "--json"), 0, "succeeded").get("report");
        CliRun statsText = CliRun.of(config, "refresh-stats", "--full");
        assertFalse(stats.get("results").isEmpty());
        for (JsonNode r : stats.get("results")) {
            assertTrue(statsText.out().matches("(?s).*\\n" + r.get("statistic").asText() + "\\s+full\\s+" + r.get("days").asLong() + "\\s.*"),
                    r + " in " + statsText.out());
        }

        JsonNode insights = document(CliRun.of(config, "insights", "--json"), 0, "succeeded").get("report");
        CliRun insightsText = CliRun.of(config, "insights");
        assertTrue(insightsText.out().contains(insights.get("found").asLong() + " found"), insightsText.out());
        assertEquals(insights.get("found").asLong(), insights.get("findings").size());
        for (JsonNode finding : insights.get("findings")) {
            assertTrue(insightsText.out().contains(finding.get("title").asText()), finding + " in " + insightsText.out());
        }
        JsonNode list = document(CliRun.of(config, "insights", "list", "--json"), 0, "succeeded").get("report");
        CliRun listText = CliRun.of(config, "insights", "list");
        assertEquals(countLines(listText.out(), "") - 1, list.get("insights").size(), listText.out());

        JsonNode report = document(CliRun.of(config, "report", "how_turns_end", "--json"), 0, "succeeded").get("report");
        CliRun reportText = CliRun.of(config, "report", "how_turns_end");
        assertEquals(List.of("stop_reason", "turns", "avg_rounds"), strings(report.get("columns")));
        assertFalse(report.get("rows").isEmpty());
        for (JsonNode row : report.get("rows")) {
            assertTrue(reportText.out().matches("(?s).*" + row.get("stop_reason").asText() + "\\s+" + row.get("turns").asLong() + "\\s.*"),
                    row + " in " + reportText.out());
        }
    }

    @Test
    void import_with_a_bad_row_fails_with_the_reasons_in_the_document_and_keeps_the_good_file(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("negate_keys.csv"), "label,operator,value\nlevel,=,debug\n");
        Path bad = Files.writeString(dir.resolve("context_rules.csv"), "context,important,ignore,description\nlogin,,,\n,x,y,z\n");
        CliRun run = CliRun.of(config, "import", "rules", good.toString(), bad.toString(), "--json");
        JsonNode doc = document(run, 1, "failed");
        assertFalse(doc.get("problems").isEmpty());
        for (JsonNode p : doc.get("problems")) {
            assertTrue(p.asText().startsWith(bad.toString() + ":3: "), p.asText());
            assertTrue(run.err().contains(p.asText()), "the reasons are on stderr too: " + run.err());
        }
        JsonNode files = doc.get("report").get("files");
        assertEquals(2, files.size());
        assertEquals(1, files.get(0).get("created").asLong(), "the good file is imported: " + files);
        assertTrue(doc.get("error").asText().contains("rejected input"), doc.toString());
    }

    @Test
    void ingest_and_consolidate_report_per_table_counts_that_add_up(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("vibe.db");
        new StoreWriter(store, 3).create(30);
        JsonNode ingest = document(CliRun.of(config, "ingest", "--from", "sqlite:" + store, "--json"), 0, "succeeded");
        long read = 0;
        for (JsonNode t : ingest.get("report").get("tables")) read += t.get("read").asLong();
        assertTrue(read > 0);
        assertEquals(read, ingest.get("rows").get("read").asLong());
        CliRun again = CliRun.of(config, "ingest", "--from", "sqlite:" + store);
        assertTrue(again.out().contains(String.format("%,d rows read, 0 written", read)), again.out());

        Path legacy = dir.resolve("legacy");
        assertEquals(0, CliRun.of(config, "generate", "legacy", "--rows", "40", "--out", legacy.toString()).exit());
        JsonNode consolidate = document(CliRun.of(config, "consolidate", "--from", "sqlite:" + legacy, "--json"), 0, "succeeded");
        long written = 0;
        for (JsonNode t : consolidate.get("report").get("tables")) {
            assertTrue(t.get("reconciled").asBoolean(), t.toString());
            written += t.get("written").asLong();
        }
        assertTrue(written > 0);
        assertEquals(written, consolidate.get("rows").get("written").asLong());
    }

    @Test
    void misuse_and_failure_still_print_one_document() throws Exception {
        CliRun usage = CliRun.of(config, "export", "tool_calls", "--format", "xml", "--json");
        JsonNode u = document(usage, 2, "usage_error");
        assertTrue(u.get("error").asText().contains("xml"), u.toString());
        assertTrue(usage.err().contains("xml"), "the reason stays on stderr");

        JsonNode missing = document(CliRun.of(config, "prompts", "show", "no_such_prompt", "--json"), 1, "failed");
        assertTrue(missing.get("error").asText().contains("no_such_prompt"), missing.toString());
        assertTrue(missing.get("run_id").isNumber(), "the failed run is in job_runs: " + missing);
    }

    /** Stdout holds exactly one JSON document, with this exit code and status. */
    private static JsonNode document(CliRun run, int exit, String status) throws Exception {
        assertEquals(exit, run.exit(), run.err());
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(run.out())) {
            while (it.hasNext()) docs.add(it.next());
        }
        assertEquals(1, docs.size(), "one document on stdout: " + run.out());
        JsonNode doc = docs.get(0);
        assertEquals(status, doc.get("status").asText(), doc.toString());
        assertEquals(exit, doc.get("exit_code").asInt());
        return doc;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int countLines(String text, String containing) {
        return (int) text.lines().filter(l -> !l.isBlank() && l.contains(containing)).count();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}

package dev.agentetl.cli;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Option values that cannot be right are usage errors: exit 2 with the reason and the valid range on the
 * last line, before any database is started or anything is written.
 */
class UsageErrorsTest {

    private static final String HOME = Path.of("").toAbsolutePath().toString();

    @TempDir
    Path tmp;

    private CliRun run(String... args) {
        AppConfig config = AppConfig.load().with(Map.of("agent-etl.home", HOME,
                "agent-etl.embedded.data-dir", tmp.resolve("pg").toString()));
        CliRun run = CliRun.of(config, args);
        assertFalse(Files.exists(tmp.resolve("pg")), "no database was started for " + String.join(" ", args));
        return run;
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    private void assertUsageError(String expected, String... args) {
        CliRun run = run(args);
        assertEquals(2, run.exit(), String.join(" ", args) + ": " + run.err());
        assertTrue(lastLine(run.err()).contains(expected), lastLine(run.err()));
        assertEquals("", run.out());
    }

    @Test
    void should_refuse_out_of_range_finetune_options_with_the_valid_range() {
        assertUsageError("--validation-ratio must be at least 0 and below 1, got NaN", "finetune", "--validation-ratio", "NaN");
        assertUsageError("--validation-ratio must be at least 0 and below 1, got 1.0", "finetune", "--validation-ratio", "1");
        assertUsageError("--min-rating must be between 1 and 5, got 99.0", "finetune", "--min-rating", "99");
        assertUsageError("--min-rating must be between 1 and 5, got NaN", "finetune", "--min-rating", "NaN");
        assertUsageError("--source telemetry has neither", "finetune", "--format", "dpo", "--source", "telemetry");
        assertUsageError("--min-rating does not apply to --format dpo", "finetune", "--format", "dpo", "--min-rating", "4");
        assertUsageError("--format takes openai, parquet or dpo, got 'kto'", "finetune", "--format", "kto");
    }

    @Test
    void should_refuse_a_column_given_twice_in_where() {
        assertUsageError("--where names column 'model' twice ('gpt-4o' and 'claude'); give each column one value",
                "export", "agent_telemetry", "--format", "csv", "--where", "model=gpt-4o", "--where", "model=claude");
    }

    @Test
    void should_refuse_a_query_file_without_a_name_before_sql() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        for (String name : new String[]{".sql", "...sql", "..sql"}) {
            Path query = Files.writeString(tmp.resolve(name), "SELECT 1 AS one");
            assertUsageError("--query " + query + ": the file's name before .sql names the dataset and its folder; "
                    + "it must not be empty or start with '.'", "export", "--query", query.toString(), "--format", "csv", "--out", out.toString());
        }
        try (var files = Files.list(tmp)) {
            assertEquals(4, files.count(), "nothing was written beside --out");
        }
    }

    @Test
    void should_exit_2_for_other_option_values_that_cannot_be_right() {
        assertUsageError("--days must be at least 8", "generate", "--rows", "100", "--days", "3");
        assertUsageError("--since takes an ISO date or timestamp, got 'yesterday'", "export", "tool_calls", "--format", "csv", "--since", "yesterday");
        assertUsageError("unknown format 'xml'; use csv, jsonl or parquet", "export", "tool_calls", "--format", "xml");
        assertUsageError("give a DATASET or --query FILE", "export", "--format", "csv");
        assertUsageError("give --version or --label, not both", "prompts", "show", "x", "--version", "1", "--label", "production");
        assertUsageError("unknown format 'yaml'; use table, csv or json", "report", "tool_failures", "--format", "yaml");
    }
}

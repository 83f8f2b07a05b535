package dev.agentetl.bench;

import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.JobReport;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark commands run end to end, report their figures, and leave the user's data alone. */
class BenchmarksTest {

    @Test
    void should_time_imports_on_a_scratch_database_and_show_reruns_write_nothing() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "test"); Connection c = TestDatabases.connect(config)) {
            JobReport report = rt.run("bench-import", new ImportBenchmark.Options(20, 200));
            String text = report.render();
            assertTrue(text.matches("(?s).*prompts: re-run\\s+20\\s+0 .*"), text);
            assertTrue(text.matches("(?s).*rules: re-run\\s+200\\s+0 .*"), text);
            assertTrue(text.matches("(?s).*rules: one changed\\s+200\\s+1 .*"), text);
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM prompts"), "the user's database is untouched");
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM pg_database WHERE datname LIKE 'agent_etl_bench_%'"), "scratch dropped");
        }
    }

    @Test
    void should_compare_exports_with_their_anchors_on_a_wide_and_a_narrow_table_in_one_run() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "test"); Connection c = TestDatabases.connect(config)) {
            // DuckDB is a test dependency: its jar is the one on the test class path, wherever the Maven repository is
            String duckdbJar = java.nio.file.Path.of(org.duckdb.DuckDBDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
            String text = rt.run("bench-export", new ExportBenchmark.Options(2_000, 20_000, duckdbJar, 1)).render();
            assertTrue(text.contains("agent_telemetry (2,000 rows") && text.contains("tool_calls (20,000 rows"), text);
            assertTrue(text.contains("anchor: COPY csv") && text.contains("anchor: COPY row_to_json"), text);
            assertTrue(text.matches("(?s).*anchor: CSV then DuckDB parquet\\s+2,000 .*"), text);
            for (String format : new String[]{"csv", "jsonl", "parquet"}) {
                assertTrue(text.matches("(?s).*agent-etl " + format + "\\s+20,000\\s+[\\d,]+\\s+[\\d.]+\\s+[\\d,]+\\s+[\\d.]+x.*"), text);
            }
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM tool_calls"), "the user's database is untouched");
        }
    }

    @Test
    void should_time_full_and_incremental_refreshes_against_the_bare_aggregate() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "test"); Connection c = TestDatabases.connect(config)) {
            String text = rt.run("bench-stats", new StatsBenchmark.Options(20_000)).render();
            assertTrue(text.contains("anchor: per-tool percentile_cont") && text.contains("refresh-stats after 1 % new rows"), text);
            assertTrue(text.matches("(?s).*full refresh / anchor: [\\d.]+x.*full / incremental: [\\d.]+x.*"), text);
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM tool_calls"), "the user's database is untouched");
        }
    }

    @Test
    void should_time_finetune_against_the_plain_json_lines_export_of_the_same_rows() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "test"); Connection c = TestDatabases.connect(config)) {
            String text = rt.run("bench-finetune", new FinetuneBenchmark.Options(3_000, 1)).render();
            assertTrue(text.contains("fine-tuning benchmark on 3,000 llm_call rows"), text);
            assertTrue(text.matches("(?s).*anchor: export agent_telemetry jsonl\\s+3,000 .*finetune time / anchor time: [\\d.]+x.*"), text);
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM agent_telemetry"), "the user's database is untouched");
        }
    }

    @Test
    void should_time_consolidation_against_plain_inserts_and_say_when_pgloader_is_missing() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(config, "test"); Connection c = TestDatabases.connect(config)) {
            String text = rt.run("bench-consolidate", new ConsolidateBenchmark.Options(2_000, "/nonexistent/pgloader", 2)).render();
            assertTrue(text.contains("agent-etl consolidate (end to end)") && text.contains("phases (its fastest round): {stage="), text);
            assertTrue(text.contains("best of 2 rounds"), text);
            assertTrue(text.matches("(?s).*transform / plain INSERT \\.\\.\\. SELECT of the same target rows: [\\d.]+x.*"), text);
            assertTrue(text.contains("anchor: pgloader") && text.contains("not run"), text);
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM rl_outcome"), "the user's database is untouched");
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM pg_database WHERE datname LIKE 'agent_etl_bench_%'"), "scratch dropped");
        }
    }
}

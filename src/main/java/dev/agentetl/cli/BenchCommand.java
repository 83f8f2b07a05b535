package dev.agentetl.cli;

import dev.agentetl.bench.ImportBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks, run on a scratch database of the configured server (your data is not touched).",
        subcommands = {BenchCommand.Import.class, BenchCommand.Ingest.class, BenchCommand.Export.class, BenchCommand.Stats.class,
                BenchCommand.Finetune.class, BenchCommand.Consolidate.class})
final class BenchCommand implements Runnable {

    @ParentCommand
    AgentEtl cli;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(cli.out);
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import N prompt files and an M-row rules file, then re-import them (must write nothing) "
                    + "and import them with one change.")
    static final class Import extends JobCommand {
        @Option(names = "--prompts", paramLabel = "N", defaultValue = "10000", description = "Prompt files (default: ${DEFAULT-VALUE}).")
        int prompts;

        @Option(names = "--rules", paramLabel = "M", defaultValue = "100000", description = "Rows of the rules file (default: ${DEFAULT-VALUE}).")
        int rules;

        @Override String job() { return "bench-import"; }

        @Override Object body() { return new ImportBenchmark.Options(prompts, rules); }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "On a scratch database, for the wide table (agent_telemetry) and the narrow one (tool_calls): "
                    + "COPY to CSV, COPY of row_to_json and CSV then DuckDB to Parquet (the anchors), then CSV, JSON Lines "
                    + "and Parquet exports of the same rows, in one run, with ratios. Files go to a temporary folder and are removed.")
    static final class Export extends JobCommand {
        @Option(names = "--wide-rows", defaultValue = "500000", description = "agent_telemetry rows (default: ${DEFAULT-VALUE}).")
        long wideRows;

        @Option(names = "--narrow-rows", defaultValue = "5000000", description = "tool_calls rows (default: ${DEFAULT-VALUE}).")
        long narrowRows;

        @Option(names = "--duckdb", paramLabel = "JAR",
                description = "DuckDB's JDBC jar for the CSV-then-Parquet anchor (default: the newest in ~/.m2, which the tests download).")
        String duckdb;

        @Option(names = "--repeat", defaultValue = "2",
                description = "Rounds of every path in turn; the best time of each counts (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Override String job() { return "bench-export"; }

        @Override Object body() { return new dev.agentetl.bench.ExportBenchmark.Options(wideRows, narrowRows, duckdb, repeat); }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "On a scratch database: the bare per-tool percentile aggregate, a full refresh and an incremental "
                    + "refresh after 1 %% new rows, in one run, with ratios.")
    static final class Stats extends JobCommand {
        @Option(names = "--tool-calls", paramLabel = "N", defaultValue = "5000000", description = "tool_calls rows (default: ${DEFAULT-VALUE}).")
        long toolCalls;

        @Override String job() { return "bench-stats"; }

        @Override Object body() { return new dev.agentetl.bench.StatsBenchmark.Options(toolCalls); }
    }

    @Command(name = "finetune", mixinStandardHelpOptions = true,
            description = "On a scratch database: the plain JSON Lines export of N llm_call rows (the anchor), then a "
                    + "fine-tuning export of the same rows, in one run, with the ratio.")
    static final class Finetune extends JobCommand {
        @Option(names = "--llm-calls", paramLabel = "N", defaultValue = "500000", description = "llm_call rows (default: ${DEFAULT-VALUE}).")
        long llmCalls;

        @Option(names = "--repeat", paramLabel = "N", defaultValue = "3", description = "Runs of anchor and export each, alternating; the best of each counts (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Override String job() { return "bench-finetune"; }

        @Override Object body() { return new dev.agentetl.bench.FinetuneBenchmark.Options(llmCalls, repeat); }
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "A generated VibeAgent store of N rows ingested on a scratch database: first run, re-run, and a 1 %% "
                    + "increment; in the same run pgloader loading the same file (when installed), with ratios.")
    static final class Ingest extends JobCommand {
        @Option(names = "--rows", paramLabel = "N", defaultValue = "1000000", description = "Rows in the store (default: ${DEFAULT-VALUE}).")
        long rows;

        @Option(names = "--pgloader", paramLabel = "PATH", defaultValue = "pgloader", description = "The pgloader command (default: ${DEFAULT-VALUE}).")
        String pgloader;

        @Option(names = "--repeat", paramLabel = "N", defaultValue = "2",
                description = "Rounds of every path in turn, each on a fresh scratch database; the best time of each counts (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Override String job() { return "bench-ingest"; }

        @Override Object body() { return new dev.agentetl.bench.IngestBenchmark.Options(rows, pgloader, repeat); }
    }

    @Command(name = "consolidate", mixinStandardHelpOptions = true,
            description = "Generated legacy SQLite files of N rows consolidated end to end on a scratch database; in the same "
                    + "run pgloader loading the same files (when installed) and a plain INSERT ... SELECT of the staged rows, with ratios.")
    static final class Consolidate extends JobCommand {
        @Option(names = "--rows", paramLabel = "N", defaultValue = "1000000", description = "Legacy rows (default: ${DEFAULT-VALUE}).")
        long rows;

        @Option(names = "--pgloader", paramLabel = "PATH", defaultValue = "pgloader", description = "The pgloader command (default: ${DEFAULT-VALUE}).")
        String pgloader;

        @Option(names = "--repeat", paramLabel = "N", defaultValue = "2",
                description = "Rounds of the whole comparison, each on a fresh scratch database; the best time of each path counts (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Override String job() { return "bench-consolidate"; }

        @Override Object body() { return new dev.agentetl.bench.ConsolidateBenchmark.Options(rows, pgloader, repeat); }
    }
}

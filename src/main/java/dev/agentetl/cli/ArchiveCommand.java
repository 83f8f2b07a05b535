package dev.agentetl.cli;

import dev.agentetl.archive.ArchiveRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "archive", mixinStandardHelpOptions = true,
        description = {"Archive a table's rows older than a cutoff, with every row that refers to them (sessions: their "
                + "messages, LLM responses, tool calls and results, reasoning steps, recoveries, metrics, test runs, ...), to "
                + "Parquet under <out>/<dataset>/<table>/dt=<day>/ with a manifest; the files are read back and checked "
                + "(rows and key checksum) before those rows are deleted, in batches.",
                "A stopped run is finished by the next one; rows that arrive meanwhile are not touched."})
final class ArchiveCommand extends JobCommand {

    @Parameters(index = "0", paramLabel = "DATASET", description = "A table with a time column, e.g. sessions, executions, agent_telemetry.")
    String dataset;

    @Option(names = "--older-than", required = true, paramLabel = "DURATION",
            description = "Rows older than this go: 90d, 12h, 2w, or ISO-8601 (P90D).")
    String olderThan;

    @Option(names = "--dry-run", description = "Count what would go, per table; write and delete nothing.")
    boolean dryRun;

    @Option(names = "--out", paramLabel = "DIR", description = "Archive folder (default: agent-etl.archive.dir, else <exports-dir>/archive).")
    Path out;

    @Override
    String job() {
        return "archive";
    }

    @Override
    Object body() {
        return new ArchiveRequest(dataset, ArchiveRequest.duration("--older-than", olderThan), dryRun, out, "cli");
    }
}

package dev.agentetl.cli;

import dev.agentetl.ingest.IngestRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Bring VibeAgent's SQLite store into the interactions group: read-only and in one snapshot while the agent "
                + "writes, every value kept (JSON text to jsonb, 0/1 to boolean, SQLite's UTC and Python's local times to timestamptz), "
                + "source keys mapped to stable ids so references stay right across runs.",
                "A re-run writes nothing; new rows are added, rows changed at the source (a session that ended) updated; "
                        + "rows gone from the store are reported, and deleted only with --sync-deletes."})
final class IngestCommand extends JobCommand {

    @Option(names = "--from", required = true, paramLabel = "sqlite:PATH", description = "The store, e.g. sqlite:data/vibeagent.db.")
    String from;

    @Option(names = "--source-time-zone", paramLabel = "ZONE",
            description = "Zone of the times VibeAgent wrote with datetime.now() (default: agent-etl.ingest.source-time-zone, else this machine's).")
    String zone;

    @Option(names = "--dry-run", description = "Report what would be inserted, updated, rejected; write nothing.")
    boolean dryRun;

    @Option(names = "--sync-deletes", description = "Delete the rows ingested earlier that the store no longer has.")
    boolean syncDeletes;

    @Option(names = "--full", description = "Compare every row of every table with what was ingested (by default the tables "
            + "VibeAgent only appends to are read from the last ingested row on, once none went missing).")
    boolean full;

    @Override
    String job() {
        return "ingest";
    }

    @Override
    Object body() {
        return new IngestRequest(from, zone, dryRun, syncDeletes, full);
    }
}

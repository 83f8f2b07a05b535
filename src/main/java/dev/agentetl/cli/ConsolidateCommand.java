package dev.agentetl.cli;

import dev.agentetl.consolidate.ConsolidateRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "consolidate", mixinStandardHelpOptions = true,
        subcommands = ConsolidateCommand.Verify.class,
        description = {"Consolidate the legacy learner tables (SQLite files laid out like ~/.victor/, one SQLite file, or a "
                + "PostgreSQL schema) into rl_* / agent_* / ui_* / sys_*: staged unchanged (legacy_<table> in agent-etl's schema), transformed by SQL, "
                + "reconciled per table (read, rejected by reason, skipped, written against the expected fan-out).",
                "A re-run writes nothing; a run that stopped resumes at the first table it had not finished."})
final class ConsolidateCommand extends JobCommand {

    @Option(names = "--from", paramLabel = "sqlite:PATH|postgres:SCHEMA",
            description = "A folder like ~/.victor/ (graph/graph.db, team_learning.db, signatures.db, sessions.db), one SQLite file, "
                    + "or a schema of this database holding the legacy tables.")
    String from;

    @Option(names = "--source-time-zone", paramLabel = "ZONE",
            description = "Time zone the legacy local timestamps were written in (default: agent-etl.consolidate.source-time-zone).")
    String zone;

    @Option(names = "--dry-run", description = "Print the plan (tables, layouts, rows, target rows) and write nothing.")
    boolean dryRun;

    @Option(names = "--drop-legacy", description = "After a run that reconciles and verifies, drop the staged legacy tables "
            + "(for postgres:, the original tables).")
    boolean dropLegacy;

    @Override
    String job() {
        return "consolidate";
    }

    @Override
    Object body() {
        if (from == null) {
            // not required by picocli, so that 'consolidate verify' needs no --from
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--from=sqlite:PATH|postgres:SCHEMA'");
        }
        return new ConsolidateRequest(from, zone, dryRun, dropLegacy, false, null);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute the reconciliation of a finished run (default: the latest) without writing anything.")
    static final class Verify extends JobCommand {

        @Option(names = "--run", paramLabel = "ID", description = "The run to verify.")
        Long run;

        @Override
        String job() {
            return "consolidate";
        }

        @Override
        Object body() {
            return new ConsolidateRequest(null, null, false, false, true, run);
        }
    }
}

package dev.agentetl.cli;

import dev.agentetl.generate.GenerateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.time.ZoneOffset;

@Command(name = "generate", mixinStandardHelpOptions = true, subcommands = GenerateCommand.Legacy.class,
        description = "Write realistic agent telemetry (sessions, messages, tool calls, test runs, executions, "
                + "agent_telemetry) with planted patterns; deterministic for a seed and end date.")
final class GenerateCommand extends JobCommand {

    @Option(names = "--rows", paramLabel = "N", description = "Rows to write across all tables (about); required.")
    Long rows;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: agent-etl.generate.seed).")
    Long seed;

    @Option(names = "--end-date", paramLabel = "YYYY-MM-DD", description = "Last day of the period, UTC (default: today).")
    LocalDate endDate;

    @Option(names = "--days", paramLabel = "D", defaultValue = "30", description = "Days in the period (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--no-patterns", description = "Do not plant the failing tool, slow model, cut-off turns and pairing.")
    boolean noPatterns;

    @Override
    String job() {
        return "generate";
    }

    @Override
    Object body() {
        if (rows == null) {
            // not required by picocli, so that 'generate legacy' has its own --rows
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--rows=N'");
        }
        return new GenerateOptions(rows, seed != null ? seed : cli.config().getInt("agent-etl.generate.seed"),
                endDate != null ? endDate : LocalDate.now(ZoneOffset.UTC), days, !noPatterns);
    }

    @Command(name = "legacy", mixinStandardHelpOptions = true,
            description = "Write legacy learner SQLite files (graph/graph.db, team_learning.db, signatures.db, sessions.db) in the "
                    + "legacy layout and value formats, to try consolidate on.")
    static final class Legacy extends JobCommand {

        @Option(names = "--rows", required = true, paramLabel = "N", description = "Rows across all legacy tables (about).")
        long rows;

        @Option(names = "--out", paramLabel = "DIR", description = "Folder to write (default: agent-etl.legacy-dir).")
        java.nio.file.Path out;

        @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: agent-etl.generate.seed).")
        Long seed;

        @Override
        String job() {
            return "generate-legacy";
        }

        @Override
        Object body() {
            return new dev.agentetl.consolidate.LegacyGenerator.Request(out == null ? null : out.toAbsolutePath(), rows,
                    seed != null ? seed : cli.config().getInt("agent-etl.generate.seed"));
        }
    }
}

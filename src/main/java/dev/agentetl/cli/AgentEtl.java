package dev.agentetl.cli;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.Errors;
import dev.agentetl.runtime.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;

/** {@code agent-etl <command>}: parses, runs one job, prints its report to stdout, exits with its status. */
@Command(name = "agent-etl", mixinStandardHelpOptions = true, versionProvider = AgentEtl.VersionProvider.class,
        description = "Batch ETL for the PostgreSQL databases LLM-agent systems write their telemetry into.",
        subcommands = {MigrateCommand.class, CheckCommand.class, StatusCommand.class, IngestCommand.class, GenerateCommand.class, DemoCommand.class,
                ImportCommand.class, PromptsCommand.class, ExportCommand.class, ArchiveCommand.class, RefreshStatsCommand.class, InsightsCommand.class, RunCommand.class, ConsolidateCommand.class, FinetuneCommand.class, ReportCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class AgentEtl implements Runnable {

    final AppConfig config;
    final PrintStream out;
    final PrintStream err;
    /** This process is agent-etl's own: a command stops its job on SIGTERM or Ctrl-C (see {@link StopSignals}). */
    final boolean ownProcess;

    AgentEtl(AppConfig config, PrintStream out, PrintStream err, boolean ownProcess) {
        this.config = config;
        this.out = out;
        this.err = err;
        this.ownProcess = ownProcess;
    }

    public static void main(String[] args) {
        System.exit(execute(AppConfig.load(), System.out, System.err, true, args));
    }

    /**
     * Runs one command line and returns the exit status: 0 success, 1 failure, 2 usage error; 143 (SIGTERM) or
     * 130 (Ctrl-C) when the job was stopped part-way.
     */
    public static int execute(AppConfig config, PrintStream out, PrintStream err, String... args) {
        return execute(config, out, err, false, args);
    }

    private static int execute(AppConfig config, PrintStream out, PrintStream err, boolean ownProcess, String... args) {
        CommandLine cli = new CommandLine(new AgentEtl(config, out, err, ownProcess));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((ex, arguments) -> {
            err.println("agent-etl: " + dev.agentetl.runtime.Secrets.scrub(ex.getMessage())
                    + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("agent-etl: " + dev.agentetl.runtime.Secrets.scrub(Errors.oneLine(ex)));
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        // no command given: show what there is
        new CommandLine(this).usage(out);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"agent-etl " + Version.current()};
        }
    }
}

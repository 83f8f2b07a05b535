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
        subcommands = {MigrateCommand.class, CheckCommand.class, StatusCommand.class, GenerateCommand.class, DemoCommand.class,
                ImportCommand.class, PromptsCommand.class, ExportCommand.class, RefreshStatsCommand.class, InsightsCommand.class, RunCommand.class, ConsolidateCommand.class, FinetuneCommand.class, ReportCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class AgentEtl implements Runnable {

    final AppConfig config;
    final PrintStream out;
    final PrintStream err;

    AgentEtl(AppConfig config, PrintStream out, PrintStream err) {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(execute(AppConfig.load(), System.out, System.err, args));
    }

    /** Runs one command line and returns the exit status: 0 success, 1 failure, 2 usage error. */
    public static int execute(AppConfig config, PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new AgentEtl(config, out, err));
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

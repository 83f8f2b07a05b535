package dev.agentetl.cli;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.Errors;
import dev.agentetl.runtime.LogSetup;
import dev.agentetl.runtime.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code agent-etl <command>}: parses, runs one job, prints its report to stdout, exits with its status. */
@Command(name = "agent-etl", mixinStandardHelpOptions = true, versionProvider = AgentEtl.VersionProvider.class,
        description = "Batch ETL for the PostgreSQL databases LLM-agent systems write their telemetry into.")
public final class AgentEtl implements Runnable {

    /**
     * The commands, in the order the usage lists them. They are added to the command line by {@link #execute}
     * rather than named in the annotation: picocli builds the model of every command it is given (reflection
     * over each one's options and annotations), which was a fifth of a short command's start-up, so a command line
     * naming one command first gets that one only.
     */
    static final List<Class<?>> COMMANDS = List.of(MigrateCommand.class, CheckCommand.class, StatusCommand.class,
            IngestCommand.class, GenerateCommand.class, DemoCommand.class, ImportCommand.class, PromptsCommand.class,
            ExportCommand.class, ArchiveCommand.class, RefreshStatsCommand.class, InsightsCommand.class, RunCommand.class,
            ConsolidateCommand.class, FinetuneCommand.class, ReportCommand.class, DashboardCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The configuration before the files of --config. */
    private final AppConfig base;
    private AppConfig config;
    final PrintStream out;
    final PrintStream err;
    /** This process is agent-etl's own: a command stops its job on SIGTERM or Ctrl-C (see {@link StopSignals}). */
    final boolean ownProcess;

    @CommandLine.Option(names = "--json", scope = CommandLine.ScopeType.INHERIT,
            description = "Print one JSON document on stdout instead of the text report (also on failure: status and error).")
    boolean json;

    AgentEtl(AppConfig config, PrintStream out, PrintStream err, boolean ownProcess) {
        this.base = config;
        this.out = out;
        this.err = err;
        this.ownProcess = ownProcess;
    }

    public static void main(String[] args) {
        AppConfig config;
        try {
            config = AppConfig.load();
        } catch (RuntimeException e) {
            // a configuration file that cannot be read (conf/, the home folder's): its name and why, in one line
            String reason = dev.agentetl.runtime.Secrets.scrub(Errors.oneLine(e));
            System.err.println("agent-etl: " + reason);
            System.exit(jsonAsked(args) ? new JsonDocument("", null).error(reason).print(System.out, JsonDocument.Status.failed, 1) : 1);
            return;
        }
        System.exit(execute(config, System.out, System.err, true, args));
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
        // the command named first, when it is one; otherwise (no command, an option first, help, a typo) all, for
        // the usage and picocli's suggestions
        String first = args.length > 0 ? args[0] : null;
        boolean one = COMMANDS.stream().anyMatch(c -> !c.equals(CommandLine.HelpCommand.class) && name(c).equals(first));
        for (Class<?> c : COMMANDS) {
            if (!one || name(c).equals(first)) cli.addSubcommand(c);
        }
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((ex, arguments) -> {
            err.println("agent-etl: " + dev.agentetl.runtime.Secrets.scrub(ex.getMessage())
                    + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            if (jsonAsked(arguments)) {
                // the command line was not understood, so it is read as given: --json anywhere before "--"
                return new JsonDocument(command(ex.getCommandLine().getCommandSpec()), null).error(ex.getMessage())
                        .print(out, JsonDocument.Status.usage_error, 2);
            }
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("agent-etl: " + dev.agentetl.runtime.Secrets.scrub(Errors.oneLine(ex)));
            if (jsonAsked(parseResult)) {
                return new JsonDocument(command(commandLine.getCommandSpec()), null).error(Errors.oneLine(ex))
                        .print(out, JsonDocument.Status.failed, 1);
            }
            return 1;
        });
        return cli.execute(args);
    }

    /** Whether {@code --json} was given, at whatever level of the command line. */
    static boolean jsonAsked(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--json")) return true;
        }
        return false;
    }

    private static boolean jsonAsked(String[] arguments) {
        for (String a : arguments) {
            if (a.equals("--")) return false;
            if (a.equals("--json")) return true;
        }
        return false;
    }

    /** The command as a user typed it, without the program's name: {@code insights list}. */
    static String command(CommandLine.Model.CommandSpec spec) {
        String q = spec.qualifiedName(" ");
        int space = q.indexOf(' ');
        return space < 0 ? "" : q.substring(space + 1);
    }

    @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT, converter = ExistingFile.class,
            description = "A properties file of settings, over the defaults, conf/agent-etl.properties and the home "
                    + "folder's agent-etl.properties, under environment variables and -D; may be repeated (later wins).")
    List<Path> configFiles = new ArrayList<>();

    /**
     * The configuration of this command line: with the files of --config, and, in agent-etl's own process, applied to
     * the logging as well.
     */
    AppConfig config() {
        if (config == null) {
            AppConfig loaded = base.withConfigFiles(configFiles);
            if (ownProcess) {
                LogSetup.apply(loaded);
            }
            config = loaded;
        }
        return config;
    }

    @Override
    public void run() {
        // no command given: show what there is
        spec.commandLine().usage(out);
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /** --config names a file that must be there: a usage error (exit 2) otherwise, before anything starts. */
    static final class ExistingFile implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path file = Path.of(value);
            if (!Files.isRegularFile(file)) {
                throw new CommandLine.TypeConversionException("no such file: " + value);
            }
            if (!Files.isReadable(file)) {
                throw new CommandLine.TypeConversionException("cannot read " + value);
            }
            return file;
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"agent-etl " + Version.current()};
        }
    }
}

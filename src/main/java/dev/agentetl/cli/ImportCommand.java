package dev.agentetl.cli;

import dev.agentetl.prompts.ImportPromptsRequest;
import dev.agentetl.rules.ImportRulesRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import prompts or rules into the configuration registry (versioned, audited, idempotent).",
        subcommands = {ImportCommand.Prompts.class, ImportCommand.Rules.class, ImportCommand.Inbox.class})
final class ImportCommand implements Runnable {

    @ParentCommand
    AgentEtl cli;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(cli.out);
    }

    /** Shared options of both imports. */
    abstract static class ImportJob extends JobCommand {
        @Option(names = "--dry-run", description = "Report what would change and write nothing.")
        boolean dryRun;

        @Option(names = "--actor", paramLabel = "NAME", description = "Who is recorded in the audit trail (default: the OS user).")
        String actor;

        String actor() {
            return actor != null ? actor : System.getProperty("user.name", "unknown");
        }
    }

    @Command(name = "prompts", mixinStandardHelpOptions = true,
            description = "Import *.prompt files (YAML front matter + template) from files or folders; "
                    + "with no PATH, the bundled catalog. Unchanged prompts write nothing.")
    static final class Prompts extends ImportJob {
        @Parameters(paramLabel = "PATH", arity = "0..*", description = "Prompt files or folders.")
        List<Path> paths = new ArrayList<>();

        @Override String job() { return "import-prompts"; }

        @Override Object body() { return new ImportPromptsRequest(paths, dryRun, actor()); }
    }

    @Command(name = "rules", mixinStandardHelpOptions = true,
            description = "Import context_rules / negate_keys CSV files (the kind is recognised from the header); with no "
                    + "FILE, the bundled samples. Each file is the desired state: changed rows get a new version, missing "
                    + "rows are deactivated. A negate key's blank label is 'default', its blank operator '!='.")
    static final class Rules extends ImportJob {
        @Parameters(paramLabel = "FILE", arity = "0..*", description = "CSV files (none: the bundled samples).")
        List<Path> files = new ArrayList<>();

        @Override String job() { return "import-rules"; }

        @Option(names = "--allow-empty", description = "Let a file with no rows (only a header) deactivate every rule of its "
                + "table; without it such a file is refused and nothing changes.")
        boolean allowEmpty;

        @Override Object body() { return new ImportRulesRequest(files, dryRun, actor(), allowEmpty); }
    }

    @Command(name = "inbox", mixinStandardHelpOptions = true,
            description = "Import every *.prompt and *.csv in the inbox folder (agent-etl.inbox-dir); imported files "
                    + "move to .done/, rejected ones to .error/ with <file>.error.txt listing the problems.")
    static final class Inbox extends JobCommand {
        @Override String job() { return "import-inbox"; }
    }
}

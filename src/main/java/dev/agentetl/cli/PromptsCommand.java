package dev.agentetl.cli;

import dev.agentetl.prompts.PromptRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "prompts", mixinStandardHelpOptions = true, description = "Read the prompt registry and move labels.",
        subcommands = {PromptsCommand.ListPrompts.class, PromptsCommand.Show.class, PromptsCommand.Label.class,
                PromptsCommand.Diff.class})
final class PromptsCommand implements Runnable {

    @ParentCommand
    AgentEtl cli;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(cli.out);
    }

    abstract static class RegistryJob extends JobCommand {
        @ParentCommand
        PromptsCommand parent;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every prompt with its latest version and labels.")
    static final class ListPrompts extends RegistryJob {
        @Override String job() { return "prompts-list"; }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "A prompt's template: the given version or label, else the production label, else the latest.")
    static final class Show extends RegistryJob {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--version", paramLabel = "N") Integer version;
        @Option(names = "--label", paramLabel = "L") String label;

        @Override String job() { return "prompts-show"; }

        @Override Object body() {
            if (version != null && label != null) {
                throw new IllegalArgumentException("give --version or --label, not both");
            }
            return new PromptRegistry.Query(name, version, label, null, null);
        }
    }

    @Command(name = "label", mixinStandardHelpOptions = true,
            description = "Move LABEL of prompt NAME to VERSION (audited). Moving it back is a rollback.")
    static final class Label extends RegistryJob {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "VERSION") int version;
        @Parameters(index = "2", paramLabel = "LABEL") String label;
        @Option(names = "--actor", paramLabel = "NAME", description = "Who is recorded (default: the OS user).") String actor;

        @Override String job() { return "prompts-label"; }

        @Override Object body() {
            return new PromptRegistry.Query(name, version, label, null,
                    actor != null ? actor : System.getProperty("user.name", "unknown"));
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "Unified diff of two versions' templates.")
    static final class Diff extends RegistryJob {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "V1") int v1;
        @Parameters(index = "2", paramLabel = "V2") int v2;

        @Override String job() { return "prompts-diff"; }

        @Override Object body() { return new PromptRegistry.Query(name, v1, null, v2, null); }
    }
}

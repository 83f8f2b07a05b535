package dev.agentetl.cli;

import picocli.CommandLine.Command;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Validate and apply the database migrations (every command does this first).")
final class MigrateCommand extends JobCommand {
    @Override
    String job() {
        return "migrate";
    }
}

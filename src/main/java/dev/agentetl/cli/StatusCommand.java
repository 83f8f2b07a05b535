package dev.agentetl.cli;

import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the database in use, the schema version, rows per table group and the last run of each job.")
final class StatusCommand extends JobCommand {
    @Override
    String job() {
        return "status";
    }
}

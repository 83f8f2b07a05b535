package dev.agentetl.cli;

import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the product end to end on the configured (by default embedded) database: migrate, "
                + "generate a modest data set if the database is empty, import the bundled catalog, refresh the "
                + "statistics, generate insights, export a snapshot in each format, and show what is there.")
final class DemoCommand extends JobCommand {
    @Override
    String job() {
        return "demo";
    }
}

package dev.agentetl.cli;

import picocli.CommandLine.Command;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Show, for every group of tables, where it is configured, whether agent-etl adopted or created it,",
                "how it differs from the seed's DDL, its rows and values outside the seeds' lists, and which jobs can run.",
                "Reads only. Exits 1 when a group has shape problems or a scheduled job cannot run."})
final class CheckCommand extends JobCommand {
    @Override
    String job() {
        return "check";
    }
}

package dev.agentetl.cli;

import dev.agentetl.stats.StatsRefresher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "refresh-stats", mixinStandardHelpOptions = true,
        description = "Refresh tool_statistics and the daily rollups (tool calls per tool and model, sessions per model, "
                + "turn outcomes): only the days that received rows since the last refresh, unless --full.")
final class RefreshStatsCommand extends JobCommand {

    @Option(names = "--full", description = "Rebuild every day instead of the days with new rows.")
    boolean full;

    @Override
    String job() {
        return "refresh-stats";
    }

    @Override
    Object body() {
        return new StatsRefresher.Options(full);
    }
}

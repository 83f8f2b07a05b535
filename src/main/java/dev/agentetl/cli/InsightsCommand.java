package dev.agentetl.cli;

import dev.agentetl.insights.InsightsBoard;
import dev.agentetl.insights.InsightsGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "insights", mixinStandardHelpOptions = true,
        description = "Generate insights: tools failing often (Wilson interval), p95 latency up against the baseline, "
                + "turns cut off early, session success changes, successful model/tool pairings, low performers. "
                + "Re-running in the same window updates; cleared insights are resolved.",
        subcommands = {InsightsCommand.ListInsights.class, InsightsCommand.Ack.class})
final class InsightsCommand extends JobCommand {

    @Option(names = "--as-of", paramLabel = "DATE", description = "End of the current window (default: today, UTC).")
    String asOf;

    @Override
    String job() {
        return "insights";
    }

    @Override
    Object body() {
        return new InsightsGenerator.Options(ExportCommand.time("--as-of", asOf));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Stored insights, most severe first.")
    static final class ListInsights extends JobCommand {
        @Option(names = "--open", description = "Only open insights.") boolean open;

        @Override String job() { return "insights-list"; }

        @Override Object body() { return new InsightsBoard.Query(open, null); }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledge an open insight.")
    static final class Ack extends JobCommand {
        @Parameters(index = "0", paramLabel = "ID") long id;

        @Override String job() { return "insights-ack"; }

        @Override Object body() { return new InsightsBoard.Query(false, id); }
    }
}

package dev.agentetl.cli;

import dev.agentetl.reports.ReportRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Run a named report (see 'report list'): the seeds' analysis queries, as an aligned table, CSV or JSON.",
        subcommands = {ReportCommand.ListReports.class})
final class ReportCommand extends JobCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME") String name;
    @Option(names = "--since", paramLabel = "T", description = "Rows since T (default: 30 days ago).") String since;
    @Option(names = "--session", paramLabel = "THREAD_ID", description = "The conversation for session_replay.") String session;
    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table") String format;
    @Option(names = "--min-executions", paramLabel = "N",
            description = "top_tools: the fewest executions a tool needs to be ranked (default: 3).") Integer minExecutions;
    @Option(names = "--limit", paramLabel = "N",
            description = "top_tools, recent_executions: the most rows (default: 20 and 50).") Integer limit;

    @Override
    String job() {
        return "report";
    }

    @Override
    Object body() {
        if (name == null) {
            throw new IllegalArgumentException("give a report NAME (see 'agent-etl report list')");
        }
        if (!java.util.List.of("table", "csv", "json").contains(format)) {
            throw new IllegalArgumentException("unknown format '" + format + "'; use table, csv or json");
        }
        if (minExecutions != null && minExecutions < 1) {
            throw new IllegalArgumentException("--min-executions must be at least 1, got " + minExecutions);
        }
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
        }
        OffsetDateTime from = since != null ? ExportCommand.time("--since", since) : OffsetDateTime.now(ZoneOffset.UTC).minusDays(30);
        return new ReportRunner.Request(name, from, session, format, minExecutions, limit);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The reports there are.")
    static final class ListReports extends JobCommand {
        @Override String job() { return "report-list"; }
    }
}

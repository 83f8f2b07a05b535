package dev.agentetl.cli;

import dev.agentetl.dashboard.DashboardRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDate;

@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Write one self-contained HTML page (charts as inline SVG, no script, nothing fetched): session success rate "
                + "per model per day, p50/p95 LLM response time per model, tool failure rate per tool per day, how turns end and "
                + "turns cut off per chat mode, open insights with their evidence, export and job-run history.",
                "The file is replaced atomically. Run refresh-stats and insights first for the latest days."})
final class DashboardCommand extends JobCommand {

    @Option(names = "--out", paramLabel = "FILE.html", description = "The page to write (default: agent-etl.dashboard.out).")
    Path out;

    @Option(names = "--days", paramLabel = "N", description = "Days shown, ending today (default: agent-etl.dashboard.days).")
    Integer days;

    @Option(names = "--to", paramLabel = "DATE", description = "The last day shown (UTC, default: today).")
    LocalDate to;

    @Override
    String job() {
        return "dashboard";
    }

    @Override
    Object body() {
        if (days != null && (days < 1 || days > 366)) {
            throw new IllegalArgumentException("--days must be 1 to 366, got " + days);
        }
        if (out != null && out.getFileName() == null) {
            throw new IllegalArgumentException("--out must name a file");
        }
        return new DashboardRequest(out, days, to);
    }
}

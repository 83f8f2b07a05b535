package dev.agentetl.generate;

import dev.agentetl.runtime.JobReport;

import java.util.Map;

/** Rows written per table by one generator run. */
public record GenerateReport(Map<String, Long> rowsPerTable, long sessions, GenerateOptions options, long millis)
        implements JobReport {

    @Override
    public long rowsWritten() {
        return rowsPerTable.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String render() {
        StringBuilder sb = new StringBuilder();
        long total = rowsWritten();
        sb.append(String.format("generated %,d rows (%,d sessions) in %.1f s, %,d rows/s; seed %d, %d days to %s, patterns %s%n",
                total, sessions, millis / 1000.0, millis == 0 ? total : total * 1000 / millis, options.seed(),
                options.days(), options.endDate(), options.patterns() ? "planted" : "none"));
        rowsPerTable.forEach((table, rows) -> sb.append(String.format("  %-22s %,12d%n", table, rows)));
        return sb.toString();
    }
}

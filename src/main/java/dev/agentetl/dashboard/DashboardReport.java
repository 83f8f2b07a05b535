package dev.agentetl.dashboard;

import dev.agentetl.runtime.JobReport;

import java.util.Map;

/** The file the dashboard job wrote and what it shows. */
public record DashboardReport(String file, long bytes, String sha256, String from, String to, Map<String, Object> shown,
                              long millis) implements JobReport {

    @Override
    public long rowsWritten() {
        return 1;
    }

    @Override
    public Object details() {
        return Map.of("file", file, "bytes", bytes, "sha256", sha256, "from", from, "to", to, "shown", shown);
    }

    @Override
    public String render() {
        StringBuilder sb = new StringBuilder(String.format("dashboard %s (%,d bytes, sha256 %s) in %.1f s%n", file, bytes, sha256, millis / 1000.0));
        sb.append("  days ").append(from).append(" to ").append(to).append(" (UTC)\n");
        shown.forEach((k, v) -> sb.append(String.format("  %-14s %s%n", k.replace('_', ' '), v)));
        return sb.toString();
    }
}

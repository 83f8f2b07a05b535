package dev.agentetl.status;

import dev.agentetl.runtime.JobReport;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** What is in the database and what ran last. */
public record StatusReport(String database, String schemaVersion, int pendingMigrations,
                           Map<String, Map<String, Long>> rowsPerGroup, List<LastRun> lastRuns, List<String> notes) implements JobReport {

    /** The last run of one job. */
    public record LastRun(String job, String status, OffsetDateTime startedAt, Long durationMs, Long rowsWritten, String error) {
    }

    public long rows(String table) {
        for (Map<String, Long> group : rowsPerGroup.values()) {
            Long n = group.get(table);
            if (n != null) return n;
        }
        throw new IllegalArgumentException("unknown table " + table);
    }

    @Override
    public long rowsRead() {
        return rowsPerGroup.values().stream().flatMap(g -> g.values().stream()).mapToLong(Long::longValue).sum();
    }

    @Override
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("database        ").append(database).append('\n');
        sb.append("schema version  ").append(schemaVersion);
        sb.append(pendingMigrations == 0 ? " (up to date)" : " (" + pendingMigrations + " pending)").append("\n\n");
        sb.append(String.format("%-40s %8s %14s%n", "table group", "tables", "rows"));
        rowsPerGroup.forEach((group, tables) -> {
            long rows = tables.values().stream().mapToLong(Long::longValue).sum();
            sb.append(String.format("%-40s %8d %,14d%n", group, tables.size(), rows));
            tables.forEach((t, n) -> {
                if (n > 0) sb.append(String.format("    %-36s %,22d%n", t, n));
            });
        });
        sb.append('\n');
        notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
        if (!notes.isEmpty()) sb.append('\n');
        if (lastRuns.isEmpty()) {
            sb.append("no job has run yet\n");
        } else {
            sb.append(String.format("%-16s %-10s %-26s %10s %12s  %s%n", "job", "status", "last started", "ms", "rows", "error"));
            for (LastRun r : lastRuns) {
                sb.append(String.format("%-16s %-10s %-26s %10s %12s  %s%n", r.job(), r.status(), r.startedAt(),
                        r.durationMs() == null ? "-" : r.durationMs(), r.rowsWritten() == null ? "-" : String.format("%,d", r.rowsWritten()),
                        r.error() == null ? "" : r.error()));
            }
        }
        return sb.toString();
    }
}

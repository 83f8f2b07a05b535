package dev.agentetl.export;

import dev.agentetl.runtime.Errors;
import dev.agentetl.runtime.JobReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code export-snapshots} job: every export listed in {@code agent-etl.schedule.export-snapshots.datasets}
 * ({@code dataset:format} continues from the last watermark, {@code dataset:format:full} is a whole snapshot).
 * One failing export does not stop the others; it makes the run count as failed. Its route sends each export to
 * {@code direct:export}, so each is the export job itself (recorded, and tried again after a transient error).
 */
public final class ScheduledExports {

    public record Entry(String dataset, ExportFormat format, boolean incremental) {
    }

    private final List<Entry> entries;

    public ScheduledExports(String datasets) {
        this.entries = parse(datasets);
    }

    /** Parses the configured list; a malformed entry is a configuration error at start. */
    public static List<Entry> parse(String datasets) {
        List<Entry> out = new ArrayList<>();
        for (String item : datasets.trim().split("[\\s,]+")) {
            if (item.isEmpty()) continue;
            String[] parts = item.split(":");
            if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].equalsIgnoreCase("full"))) {
                throw new IllegalArgumentException("agent-etl.schedule.export-snapshots.datasets: '" + item
                        + "' is not dataset:format or dataset:format:full");
            }
            out.add(new Entry(parts[0], ExportFormat.parse(parts[1].toLowerCase(Locale.ROOT)), parts.length == 2));
        }
        return List.copyOf(out);
    }

    /** The export-snapshots route's state: what it exported and what failed, filled by its steps. */
    public static final class Run {
        private final List<Entry> entries;
        private final List<ExportReport> done = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());

        Run(List<Entry> entries) {
            this.entries = entries;
        }

        /** One export request per configured entry, sent to direct:export one after the other. */
        public List<ExportRequest> requests() {
            return entries.stream().map(ScheduledExports::request).toList();
        }

        public void exported(ExportReport report) {
            done.add(report);
        }

        public void failed(ExportRequest request, Throwable error) {
            problems.add(request.dataset() + ":" + request.format().name().toLowerCase(Locale.ROOT) + ": " + Errors.oneLine(error));
        }

        public JobReport report() {
            return new Report(List.copyOf(done), List.copyOf(problems));
        }
    }

    /** The route's first step: the configured exports (none is a problem, reported). */
    public Run begin() {
        Run run = new Run(entries);
        if (entries.isEmpty()) {
            run.problems.add("agent-etl.schedule.export-snapshots.datasets is empty: nothing to export");
        }
        return run;
    }

    /** A step: an export that finished. */
    public void exported(Run run, ExportReport report) {
        run.exported(report);
    }

    /** A step: an export that failed, with why. */
    public void failed(Run run, ExportRequest request, Throwable error) {
        run.failed(request, error);
    }

    private static ExportRequest request(Entry e) {
        return new ExportRequest(e.dataset(), null, e.format(), null, null, Map.of(), e.incremental(), null, "snappy", "schedule");
    }

    record Report(List<ExportReport> exports, List<String> problems) implements JobReport {
        @Override public long rowsRead() { return exports.stream().mapToLong(ExportReport::rowsRead).sum(); }
        @Override public long rowsWritten() { return exports.stream().mapToLong(ExportReport::rowsWritten).sum(); }
        @Override public Object details() {
            return Map.of("exports", exports.stream().map(r -> Map.of("dataset", r.dataset(), "format", r.format().name(),
                    "export_id", r.exportId(), "rows", r.rows())).toList(), "problems", problems);
        }

        @Override
        public String render() {
            StringBuilder sb = new StringBuilder();
            exports.forEach(r -> sb.append(r.render()));
            problems.forEach(p -> sb.append("failed: ").append(p).append('\n'));
            return sb.toString();
        }
    }
}

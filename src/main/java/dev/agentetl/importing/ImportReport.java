package dev.agentetl.importing;

import dev.agentetl.runtime.JobReport;

import java.util.List;

/**
 * A pgloader-style report: one line per file, then totals; {@code left} names the files not imported this time
 * and why (an inbox file still being written), which are no problem: the next run takes them.
 */
public record ImportReport(String what, boolean dryRun, List<FileResult> files, long millis, List<String> left) implements JobReport {

    public ImportReport(String what, boolean dryRun, List<FileResult> files, long millis) {
        this(what, dryRun, files, millis, List.of());
    }

    @Override public long rowsRead() { return files.stream().mapToLong(FileResult::read).sum(); }
    @Override public long rowsWritten() { return dryRun ? 0 : files.stream().mapToLong(f -> f.created() + f.updated() + f.deactivated()).sum(); }
    @Override public long rowsRejected() { return files.stream().mapToLong(FileResult::rejected).sum(); }
    @Override public long rowsSkipped() { return files.stream().mapToLong(FileResult::unchanged).sum(); }

    /** Stored in job_runs.details: the per-file figures, as the printed report shows them. */
    @Override
    public Object details() {
        return left.isEmpty() ? java.util.Map.of("what", what, "dry_run", dryRun, "files", files)
                : java.util.Map.of("what", what, "dry_run", dryRun, "files", files, "left", left);
    }

    @Override
    public List<String> problems() {
        return files.stream().flatMap(f -> f.problems().stream()).toList();
    }

    @Override
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(dryRun ? "DRY RUN (nothing written): " : "").append("import ").append(what).append('\n');
        String fmt = "%-52s %-16s %7s %8s %8s %10s %12s %9s %8s%n";
        sb.append(String.format(fmt, "file", "kind", "read", "created", "updated", "unchanged", "deactivated", "rejected", "ms"));
        for (FileResult f : files) {
            sb.append(String.format(fmt, shorten(f.file()), f.kind(), f.read(), f.created(), f.updated(), f.unchanged(),
                    f.deactivated(), f.rejected(), f.millis()));
        }
        sb.append(String.format(fmt, "total (" + files.size() + " files)", "", rowsRead(),
                files.stream().mapToLong(FileResult::created).sum(), files.stream().mapToLong(FileResult::updated).sum(),
                rowsSkipped(), files.stream().mapToLong(FileResult::deactivated).sum(), rowsRejected(), millis));
        left.forEach(l -> sb.append("left for the next run: ").append(l).append('\n'));
        return sb.toString();
    }

    private static String shorten(String file) {
        return file.length() <= 52 ? file : "..." + file.substring(file.length() - 49);
    }
}

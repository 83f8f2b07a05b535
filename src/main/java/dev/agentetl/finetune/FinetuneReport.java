package dev.agentetl.finetune;

import dev.agentetl.runtime.JobReport;

import java.util.List;
import java.util.Map;

/** What one fine-tuning export read, wrote, dropped and why: printed, stored in job_runs and in the manifest. */
public record FinetuneReport(long exportId, String folder, String format, long candidates, long train, long validation,
                             long duplicates, Map<String, Long> rejected, Map<String, Long> redactions,
                             Map<String, Object> tokens, List<SplitFiles.FileFacts> files, List<String> samples,
                             long millis, Map<String, Object> manifest, TrainingEstimate training) implements JobReport {

    @Override public long rowsRead() { return candidates; }
    @Override public long rowsWritten() { return train + validation; }
    @Override public long rowsRejected() { return rejected.values().stream().mapToLong(Long::longValue).sum(); }
    @Override public long rowsSkipped() { return duplicates; }
    @Override public Object details() { return manifest; }

    @Override
    public String render() {
        StringBuilder sb = new StringBuilder(String.format(
                "finetune %d: %,d candidate examples -> %,d train + %,d validation (%s), %,d duplicates, %,d rejected, %.1f s%n",
                exportId, candidates, train, validation, format, duplicates, rowsRejected(), millis / 1000.0));
        for (SplitFiles.FileFacts f : files) {
            sb.append(String.format("  %-18s %,10d examples %,14d bytes  sha256 %s%n", f.file(), f.examples(), f.bytes(), f.sha256()));
        }
        sb.append("  tokens: ").append(tokens).append('\n');
        sb.append(String.format("  training estimate: %,d training tokens x %d epochs%s = %,d billed tokens%n", training.trainTokens(),
                training.epochs(), training.auto() ? " (auto)" : "", training.billedTokens()));
        training.warnings().forEach(w -> sb.append("  WARNING: ").append(w).append('\n'));
        if (!rejected.isEmpty()) {
            sb.append("  rejected:");
            rejected.forEach((k, v) -> sb.append(String.format(" %s %,d", k, v)));
            sb.append('\n');
            samples.forEach(s -> sb.append("    ").append(s).append('\n'));
        }
        sb.append("  redactions:");
        if (redactions.isEmpty()) sb.append(" (profile has no rules)");
        redactions.forEach((k, v) -> sb.append(String.format(" %s %,d", k, v)));
        sb.append('\n').append("  folder ").append(folder).append('\n');
        return sb.toString();
    }
}

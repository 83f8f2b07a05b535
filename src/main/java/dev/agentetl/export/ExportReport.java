package dev.agentetl.export;

import dev.agentetl.runtime.JobReport;

import java.util.List;
import java.util.Map;

/** What one export wrote: files with rows, bytes and checksums, and where the manifest is. */
public record ExportReport(long exportId, String dataset, ExportFormat format, long rows, List<PartFiles.Part> files,
                           String folder, String manifest, long millis, Map<String, Object> manifestData) implements JobReport {

    /** Bytes written across all part files. */
    public long bytes() {
        return files.stream().mapToLong(PartFiles.Part::bytes).sum();
    }

    @Override public long rowsRead() { return rows; }
    @Override public long rowsWritten() { return rows; }
    @Override public Object details() { return manifestData; }

    @Override
    public String render() {
        StringBuilder sb = new StringBuilder(String.format("export %d: %s as %s, %,d rows in %.1f s (%,d rows/s)%n", exportId,
                dataset, format.extension(), rows, millis / 1000.0, millis == 0 ? rows : rows * 1000 / millis));
        for (PartFiles.Part p : files) {
            sb.append(String.format("  %-48s %,12d rows %,14d bytes  sha256 %s%n", p.file(), p.rows(), p.bytes(), p.sha256()));
        }
        sb.append("  manifest ").append(manifest).append('\n');
        return sb.toString();
    }
}

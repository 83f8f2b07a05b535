package dev.agentetl.export;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * {@code export}: a dataset (or a SELECT from a file), the format, the time window and column filters
 * (values only; columns must exist in the dataset), incremental from the last watermark, output folder.
 */
public record ExportRequest(String dataset, Path queryFile, ExportFormat format, OffsetDateTime since, OffsetDateTime until,
                            Map<String, String> where, boolean incremental, Path outDir, String compression, String actor) {
}

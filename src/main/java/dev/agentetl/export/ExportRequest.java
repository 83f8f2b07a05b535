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

    /**
     * The dataset a {@code --query} file exports as: its name without {@code .sql}. It names the output folder,
     * so a name that is empty or starts with '.' ({@code .sql}, {@code ...sql}: the folder itself, or its
     * parent, outside {@code --out}) is refused.
     */
    public static String datasetOfQueryFile(Path queryFile) {
        String name = queryFile.getFileName() == null ? "" : queryFile.getFileName().toString();
        String dataset = name.endsWith(".sql") ? name.substring(0, name.length() - ".sql".length()) : name;
        if (dataset.isEmpty() || dataset.startsWith(".")) {
            throw new IllegalArgumentException("--query " + queryFile + ": the file's name before .sql names the dataset and its "
                    + "folder; it must not be empty or start with '.'");
        }
        return dataset;
    }
}

package dev.agentetl.archive;

import dev.agentetl.runtime.AppConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The archive job's settings (defaults documented in application.properties); {@code datasets} and
 * {@code olderThan} are what a run without a request (a schedule) archives.
 */
public record ArchiveSettings(Path dir, int batchSize, long rowsPerFile, String compression, List<String> datasets,
                              Duration olderThan) {

    /** The one place the archive's keys are read (the archive folder defaults to archive/ in the exports folder). */
    public static ArchiveSettings from(AppConfig config) {
        String dir = config.get("agent-etl.archive.dir", "");
        return new ArchiveSettings(dir.isBlank() ? config.path("agent-etl.exports-dir").resolve("archive") : config.path("agent-etl.archive.dir"),
                config.getInt("agent-etl.archive.batch-size"), Long.parseLong(config.get("agent-etl.export.rows-per-file")),
                config.get("agent-etl.archive.compression"),
                Arrays.stream(config.get("agent-etl.archive.datasets", "").split("[\\s,]+")).filter(s -> !s.isBlank()).toList(),
                ArchiveRequest.duration("agent-etl.archive.older-than", config.get("agent-etl.archive.older-than")));
    }
}

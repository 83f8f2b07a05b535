package dev.agentetl.export;

import dev.agentetl.runtime.AppConfig;

import java.nio.file.Path;

/**
 * The export job's settings (defaults documented in application.properties).
 *
 * @param exportsDir    where exports go when a request names no --out folder
 * @param rowsPerFile   rows per part file
 * @param connections   how many connections export one table at once, each a block range of it
 * @param splitMinBytes tables smaller than this are exported over one connection
 */
public record ExportSettings(Path exportsDir, long rowsPerFile, int connections, long splitMinBytes) {

    public ExportSettings {
        connections = Math.max(1, connections);
    }

    /** One connection, no table split: the plain export. */
    public static ExportSettings single(Path exportsDir, long rowsPerFile) {
        return new ExportSettings(exportsDir, rowsPerFile, 1, Long.MAX_VALUE);
    }

    /** The one place the export's keys are read. */
    public static ExportSettings from(AppConfig config) {
        return new ExportSettings(config.path("agent-etl.exports-dir"), Long.parseLong(config.get("agent-etl.export.rows-per-file")),
                // the export holds one connection for its snapshot while the slices take theirs
                Math.min(config.getInt("agent-etl.export.connections"), config.getInt("agent-etl.db.pool-size") - 1),
                Long.parseLong(config.get("agent-etl.export.split-min-mb")) << 20);
    }
}

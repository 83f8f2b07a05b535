package dev.agentetl.ingest;

import dev.agentetl.runtime.AppConfig;

import java.nio.file.Path;

/**
 * The ingest job's settings (defaults documented in application.properties).
 *
 * @param defaultZone the time zone of the store's local times when a request names none
 * @param busyMillis  how long a writer holding the store is waited for
 * @param store       the store a scheduled run (no request) ingests
 * @param bulkMinRows new rows a table must bring for its indexes and keys to be set aside while it is written (0: never)
 */
public record IngestSettings(String defaultZone, int busyMillis, Path store, long bulkMinRows) {

    /** The default of agent-etl.ingest.bulk-min-rows. */
    public static final long DEFAULT_BULK_MIN_ROWS = 50_000;

    /** The one place the ingest's keys are read. */
    public static IngestSettings from(AppConfig config) {
        String zone = config.get("agent-etl.ingest.source-time-zone", "");
        return new IngestSettings(zone.isEmpty() ? java.time.ZoneId.systemDefault().getId() : zone,
                config.getInt("agent-etl.ingest.busy-timeout-ms"), config.path("agent-etl.ingest.store"),
                Long.parseLong(config.get("agent-etl.ingest.bulk-min-rows")));
    }
}

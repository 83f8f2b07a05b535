package dev.agentetl.consolidate;

import dev.agentetl.runtime.AppConfig;

/**
 * The consolidate job's settings (defaults documented in application.properties).
 *
 * @param defaultZone the time zone of the legacy tables' local times when a request names none
 * @param bulkMinRows rows an insert into one target must bring to be done as a bulk load ({@link BulkLoad}); 0: never
 */
public record ConsolidateSettings(String defaultZone, long bulkMinRows) {

    /** The one place the consolidation's keys are read. */
    public static ConsolidateSettings from(AppConfig config) {
        String zone = config.get("agent-etl.consolidate.source-time-zone", "");
        return new ConsolidateSettings(zone.isEmpty() ? java.time.ZoneId.systemDefault().getId() : zone,
                Long.parseLong(config.get("agent-etl.consolidate.bulk-min-rows")));
    }
}

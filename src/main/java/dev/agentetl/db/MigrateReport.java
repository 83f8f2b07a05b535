package dev.agentetl.db;

import dev.agentetl.runtime.JobReport;

/** What {@code migrate} did. */
public record MigrateReport(int applied, String fromVersion, String toVersion, long millis) implements JobReport {

    @Override
    public long rowsWritten() {
        return applied;
    }

    @Override
    public String render() {
        if (applied == 0) {
            return "schema is up to date at version " + toVersion + " (" + millis + " ms)\n";
        }
        return "applied " + applied + " migration(s): version " + (fromVersion == null ? "none" : fromVersion)
                + " -> " + toVersion + " (" + millis + " ms)\n";
    }
}

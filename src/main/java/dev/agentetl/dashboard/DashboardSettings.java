package dev.agentetl.dashboard;

import dev.agentetl.runtime.AppConfig;

import java.nio.file.Path;

/**
 * The dashboard job's settings (defaults documented in application.properties): what a run without options (a
 * schedule) writes.
 *
 * @param out         the page written (dashboard.html in the exports folder unless agent-etl.dashboard.out is set)
 * @param days        days shown
 * @param historyRows job runs listed
 */
public record DashboardSettings(Path out, int days, int historyRows) {

    /** The one place the dashboard's keys are read. */
    public static DashboardSettings from(AppConfig config) {
        return new DashboardSettings(config.get("agent-etl.dashboard.out", "").isBlank()
                ? config.path("agent-etl.exports-dir").resolve("dashboard.html") : config.path("agent-etl.dashboard.out"),
                config.getInt("agent-etl.dashboard.days"), config.getInt("agent-etl.dashboard.history-rows"));
    }
}

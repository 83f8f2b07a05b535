package dev.agentetl.schedule;

import dev.agentetl.runtime.AppConfig;

import java.util.List;

/**
 * A job {@code run} can fire on a cron schedule. Its trigger route (routes/scheduled/) is named
 * {@code schedule-<job>}, fires {@code quartz:agent-etl/<job>} and sends to {@code direct:<job>}.
 */
public record ScheduledJob(String job, boolean enabled, String cron) {

    /** The jobs that have a schedule, in the order they are listed in the configuration. */
    public static final List<String> JOBS = List.of("refresh-stats", "insights", "export-snapshots", "import-inbox", "ingest");

    public static List<ScheduledJob> all(AppConfig config) {
        return JOBS.stream().map(job -> new ScheduledJob(job,
                config.getBoolean("agent-etl.schedule." + job + ".enabled"),
                config.get("agent-etl.schedule." + job + ".cron"))).toList();
    }

    public String triggerRoute() {
        return "schedule-" + job;
    }
}

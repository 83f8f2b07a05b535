package dev.agentetl.schedule;

import dev.agentetl.runtime.AppConfig;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A job {@code run} fires on a cron schedule: any job (a {@code direct:<job>} route) whose
 * {@code agent-etl.schedule.<job>.cron} is set and whose {@code .enabled} is not false. Its trigger is the
 * {@code scheduled-job} route template of routes/scheduled/, instantiated as route {@code schedule-<job>}: it fires
 * {@code quartz:agent-etl/<job>} and sends to {@code direct:<job>} the request {@code .args} describe (the job's
 * command line options), so a scheduled run is the same job as the command's.
 */
public record ScheduledJob(String job, boolean enabled, String cron, String args) {

    static final String PREFIX = "agent-etl.schedule.";

    /** Every job the configuration gives a cron expression, in name order. */
    public static List<ScheduledJob> all(AppConfig config) {
        Map<String, String> keys = config.under(PREFIX);
        TreeSet<String> jobs = new TreeSet<>();
        keys.keySet().stream().filter(k -> k.endsWith(".cron")).map(k -> k.substring(0, k.length() - ".cron".length()))
                .filter(j -> !j.isEmpty() && !j.contains(".")).forEach(jobs::add);
        return jobs.stream().map(job -> new ScheduledJob(job,
                !"false".equalsIgnoreCase(keys.getOrDefault(job + ".enabled", "true").trim())
                        && !keys.getOrDefault(job + ".cron", "").isBlank(),
                keys.getOrDefault(job + ".cron", "").trim(),
                keys.getOrDefault(job + ".args", "").trim())).toList();
    }

    /** The jobs the configuration schedules. */
    public static List<String> enabledJobs(AppConfig config) {
        return all(config).stream().filter(ScheduledJob::enabled).map(ScheduledJob::job).toList();
    }

    public String triggerRoute() {
        return "schedule-" + job;
    }
}

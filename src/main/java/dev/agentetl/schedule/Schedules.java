package dev.agentetl.schedule;

import dev.agentetl.runtime.AppConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.CronExpression;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The schedule of {@code run}: checks it before start, and reports the scheduler's state for health. */
public final class Schedules {

    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);

    private final List<ScheduledJob> jobs;
    private final QuartzComponent quartz;

    private Schedules(List<ScheduledJob> jobs, QuartzComponent quartz) {
        this.jobs = jobs;
        this.quartz = quartz;
    }

    /**
     * The Quartz component for the routes, after checking every enabled cron expression, so a typo is a
     * clear error at start instead of a job that silently never runs.
     */
    public static Schedules prepare(AppConfig config, Properties quartzProperties) {
        List<ScheduledJob> jobs = ScheduledJob.all(config);
        for (ScheduledJob j : jobs) {
            if (j.enabled() && !CronExpression.isValidExpression(j.cron())) {
                throw new IllegalArgumentException("agent-etl.schedule." + j.job() + ".cron: not a Quartz cron expression: '"
                        + j.cron() + "' (seconds minutes hours day-of-month month day-of-week, e.g. '0 */15 * * * ?')");
            }
        }
        if (jobs.stream().noneMatch(ScheduledJob::enabled)) {
            throw new IllegalArgumentException("no job is scheduled: set agent-etl.schedule.<job>.cron (and .enabled=true) for a job, "
                    + "e.g. one of " + jobs.stream().map(ScheduledJob::job).toList());
        }
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(quartzProperties);
        // the same scheduler name on every node, or the nodes would not form one cluster
        quartz.setPrefixInstanceName(false);
        return new Schedules(jobs, quartz);
    }

    public QuartzComponent component() {
        return quartz;
    }

    public List<ScheduledJob> jobs() {
        return jobs;
    }

    /**
     * One trigger route per scheduled job, from the {@code scheduled-job} route template; a job that names no
     * {@code direct:<job>} route is refused with its key. Any job route is schedulable: there is no list to edit.
     */
    public void addTriggers(CamelContext context) throws Exception {
        for (ScheduledJob j : jobs) {
            if (!j.enabled()) continue;
            if (context.getRoute(j.job()) == null || !context.getRoute(j.job()).getEndpoint().getEndpointUri().startsWith("direct:")) {
                throw new IllegalArgumentException("agent-etl.schedule." + j.job() + ".cron: there is no job " + j.job()
                        + " (no route consumes direct:" + j.job() + ")");
            }
            addTrigger(context, j);
        }
    }

    /** The trigger route of one job, from the {@code scheduled-job} template of routes/scheduled/. */
    public static void addTrigger(CamelContext context, ScheduledJob job) throws Exception {
        org.apache.camel.builder.TemplatedRouteBuilder.builder(context, "scheduled-job")
                .routeId(job.triggerRoute())
                .parameter("job", job.job())
                .parameter("cron", job.cron())
                .add();
    }

    /**
     * Removes the stored triggers of jobs the configuration no longer schedules. In a clustered store a trigger
     * outlives the route that made it, and every node shares the schedule, so the configuration is the cluster's.
     */
    public void removeDisabled(CamelContext context) throws SchedulerException {
        Scheduler scheduler = quartz.getScheduler();
        java.util.Set<String> enabled = new java.util.HashSet<>();
        jobs.stream().filter(ScheduledJob::enabled).forEach(j -> enabled.add(j.job()));
        for (TriggerKey key : scheduler.getTriggerKeys(org.quartz.impl.matchers.GroupMatcher.triggerGroupEquals(QuartzSettings.SCHEDULER))) {
            if (!enabled.contains(key.getName()) && scheduler.unscheduleJob(key)) {
                LOG.info("schedule of {} removed (agent-etl.schedule.{}.cron is not set or .enabled=false)", key.getName(), key.getName());
            }
        }
    }

    /**
     * Stops firing triggers; a job already running goes on. The first step of stopping {@code run}: otherwise
     * a firing due while Camel stops would start a job whose route is already gone, and its run would never
     * be recorded as finished.
     */
    public void standby() {
        Scheduler scheduler = quartz.getScheduler();
        if (scheduler == null) return; // never started
        try {
            scheduler.standby();
            // then the jobs that are running finish, and are recorded, before Camel and the pool stop under them
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
            while (!scheduler.getCurrentlyExecutingJobs().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
        } catch (SchedulerException e) {
            // the scheduler is already down: nothing fires
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether this node's scheduler is started and not shut down. */
    public boolean running() {
        try {
            Scheduler s = quartz.getScheduler();
            return s != null && s.isStarted() && !s.isShutdown() && !s.isInStandbyMode();
        } catch (SchedulerException e) {
            return false;
        }
    }

    /** Whether this node's scheduler is started and not shut down (waiting for the database counts as alive). */
    public boolean alive() {
        try {
            Scheduler s = quartz.getScheduler();
            return s != null && s.isStarted() && !s.isShutdown();
        } catch (SchedulerException e) {
            return false;
        }
    }

    public String nodeId() {
        try {
            return quartz.getScheduler().getSchedulerInstanceId();
        } catch (SchedulerException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Each job with its schedule and next firing (null when disabled or not known). */
    public List<JobSchedule> describe() {
        return describe(true);
    }

    /** As {@link #describe()}; without {@code lookUpNextFire} the job store is not asked. */
    public List<JobSchedule> describe(boolean lookUpNextFire) {
        List<JobSchedule> out = new ArrayList<>();
        for (ScheduledJob j : jobs) {
            Instant next = null;
            if (j.enabled() && lookUpNextFire) {
                try {
                    Trigger t = quartz.getScheduler().getTrigger(TriggerKey.triggerKey(j.job(), QuartzSettings.SCHEDULER));
                    if (t != null && t.getNextFireTime() != null) {
                        next = t.getNextFireTime().toInstant();
                    }
                } catch (SchedulerException | RuntimeException e) {
                    // the job store is unreachable; health reports the database separately
                }
            }
            out.add(new JobSchedule(j.job(), j.enabled(), j.cron(), next));
        }
        return out;
    }

    public record JobSchedule(String job, boolean enabled, String cron, Instant nextFire) {
    }
}

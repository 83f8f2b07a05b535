package dev.agentetl.observe;

import dev.agentetl.schedule.Schedules;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Liveness of {@code run}: this node's Quartz scheduler is started and not shut down. A scheduler waiting for its
 * database is alive (it retries by itself), so this check never asks the database.
 */
public final class SchedulerLiveness extends AbstractHealthCheck {

    private final Schedules schedules;

    SchedulerLiveness(Schedules schedules) {
        super("agent-etl", "scheduler");
        this.schedules = schedules;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("node", schedules.nodeId());
        if (schedules.alive()) builder.up();
        else builder.message("the scheduler is not running").down();
    }
}

package dev.agentetl.insights;

import dev.agentetl.runtime.AppConfig;

/** Thresholds of the insight rules (agent-etl.insights.* in application.properties). */
public record InsightSettings(int currentDays, int baselineDays, long minSample, double toolFailureRate, double latencyFactor,
                       double cutOffShare) {

    /** The one place the insight rules' keys are read. */
    public static InsightSettings from(AppConfig c) {
        return new InsightSettings(c.getInt("agent-etl.insights.current-days"), c.getInt("agent-etl.insights.baseline-days"),
                c.getInt("agent-etl.insights.min-sample"), Double.parseDouble(c.get("agent-etl.insights.tool-failure-rate")),
                Double.parseDouble(c.get("agent-etl.insights.latency-factor")), Double.parseDouble(c.get("agent-etl.insights.cut-off-share")));
    }
}

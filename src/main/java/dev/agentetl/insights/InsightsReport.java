package dev.agentetl.insights;

import dev.agentetl.runtime.JobReport;

import java.util.List;
import java.util.Map;

/** What a run of the insight rules did, and the insights it opened (what notifications announce). */
public record InsightsReport(long rowsWritten, String text, Object data, List<NewInsight> opened) implements JobReport {

    /** An insight seen for the first time in its window (or reopened). */
    public record NewInsight(String rule, String type, String severity, String title, String description,
                             Map<String, Object> scope, Map<String, Object> figures) {
    }

    /** What {@code --json} prints: the windows, the counts and every finding. */
    @Override
    public Object data() {
        return data;
    }

    @Override
    public String render() {
        return text;
    }
}

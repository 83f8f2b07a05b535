package dev.agentetl.insights;

import java.util.Map;

/** What a rule found for one scope: the insight to store, with its evidence. */
record Finding(String rule, String type, String severity, String title, String description, Map<String, Object> scope,
               Map<String, Object> figures, long sample, Long baselineSample, double low, double high) {

    InsightsReport.NewInsight asNew() {
        return new InsightsReport.NewInsight(rule, type, severity, title, description, scope, figures);
    }
}

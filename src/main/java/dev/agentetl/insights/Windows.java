package dev.agentetl.insights;

import java.time.OffsetDateTime;

/** The current window (the last {@code days} days before {@code asOf}) and the baseline before it. */
record Windows(OffsetDateTime currentFrom, OffsetDateTime currentTo, OffsetDateTime baselineFrom, OffsetDateTime baselineTo) {

    static Windows of(OffsetDateTime asOf, int currentDays, int baselineDays) {
        OffsetDateTime from = asOf.minusDays(currentDays);
        return new Windows(from, asOf, from.minusDays(baselineDays), from);
    }
}

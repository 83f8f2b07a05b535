package dev.agentetl.generate;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/** The generated period: {@code days} days ending at midnight UTC after the end date. */
final class Timeline {

    private final OffsetDateTime start;
    private final OffsetDateTime recentFrom;
    private final long spanSeconds;

    Timeline(GenerateOptions options) {
        OffsetDateTime end = options.endDate().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        this.start = end.minusDays(options.days());
        this.recentFrom = end.minusDays(PlantedPatterns.RECENT_DAYS);
        this.spanSeconds = (long) options.days() * 86_400;
    }

    /** A random moment in the period, leaving an hour at the end for the session's own events. */
    OffsetDateTime randomMoment(SplittableRandom r) {
        return start.plusSeconds(r.nextLong(spanSeconds - 3_600));
    }

    boolean isRecent(OffsetDateTime t) {
        return !t.isBefore(recentFrom);
    }
}

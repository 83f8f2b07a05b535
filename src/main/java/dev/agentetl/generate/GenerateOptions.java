package dev.agentetl.generate;

import java.time.LocalDate;

/**
 * What to generate: about {@code rows} rows over the {@code days} days before {@code endDate} (UTC),
 * from {@code seed}; {@code patterns} plants the patterns of {@link PlantedPatterns}.
 */
public record GenerateOptions(long rows, long seed, LocalDate endDate, int days, boolean patterns) {

    public GenerateOptions {
        if (rows < 1) throw new IllegalArgumentException("--rows must be at least 1, got " + rows);
        if (days < 8) throw new IllegalArgumentException("--days must be at least 8 (one baseline week and the last week), got " + days);
    }
}

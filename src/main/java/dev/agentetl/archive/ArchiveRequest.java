package dev.agentetl.archive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code archive DATASET --older-than DURATION [--dry-run] [--out DIR]}: the dataset (a table), how old a row
 * must be to go, whether to only count, and the archive folder (null: the configured one).
 */
public record ArchiveRequest(String dataset, Duration olderThan, boolean dryRun, Path outDir, String actor) {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*([smhdw])");

    public ArchiveRequest {
        if (dataset == null || dataset.isBlank()) throw new IllegalArgumentException("give the DATASET to archive");
        if (olderThan == null || olderThan.isNegative() || olderThan.isZero()) {
            throw new IllegalArgumentException("--older-than must be a positive duration");
        }
    }

    /** 90d, 12h, 30m, 45s, 2w, or ISO-8601 (P90D, PT12H). */
    public static Duration duration(String option, String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofDays(7 * n);
                };
            }
            if (t.startsWith("p")) return Duration.parse(t.toUpperCase(Locale.ROOT));
        } catch (ArithmeticException | java.time.format.DateTimeParseException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(option + " '" + text + "' is not a duration: use 90d, 12h, 30m, 2w or ISO-8601 (P90D)");
    }
}

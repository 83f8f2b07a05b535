package dev.agentetl.finetune;

import java.nio.file.Path;
import java.time.OffsetDateTime;

/**
 * What {@code finetune} exports. Null means "no filter". {@code sources} is telemetry, sessions or all;
 * {@code format} is openai (JSON Lines), parquet, or dpo (preference pairs, JSON Lines); {@code maxTokens} null takes the configured default.
 */
public record FinetuneRequest(OffsetDateTime since, OffsetDateTime until, String model, String project, String stopReason,
                              String prompt, Integer promptVersion, String promptLabel, Double minRating,
                              double validationRatio, String format, String redaction, Integer maxTokens, String sources,
                              Path outDir, String actor) {

    public FinetuneRequest {
        if (!(validationRatio >= 0 && validationRatio < 1)) { // NaN too
            throw new IllegalArgumentException("--validation-ratio must be at least 0 and below 1, got " + validationRatio);
        }
        if (minRating != null && !(minRating >= 1 && minRating <= 5)) {
            throw new IllegalArgumentException("--min-rating must be between 1 and 5, got " + minRating);
        }
        format = format == null ? "openai" : format.toLowerCase(java.util.Locale.ROOT);
        if (!format.equals("openai") && !format.equals("parquet") && !format.equals("dpo")) {
            throw new IllegalArgumentException("--format takes openai, parquet or dpo, got '" + format + "'");
        }
        sources = sources == null ? "all" : sources.toLowerCase(java.util.Locale.ROOT);
        if (!sources.equals("all") && !sources.equals("telemetry") && !sources.equals("sessions")) {
            throw new IllegalArgumentException("--source takes telemetry, sessions or all, got '" + sources + "'");
        }
        if (format.equals("dpo") && sources.equals("telemetry")) {
            throw new IllegalArgumentException("--format dpo pairs answers of judged test runs and of rated sessions; "
                    + "--source telemetry has neither");
        }
        if (format.equals("dpo") && minRating != null) {
            throw new IllegalArgumentException("--min-rating does not apply to --format dpo: a pair needs the worse rated answer too");
        }
        if ((promptVersion != null || promptLabel != null) && prompt == null) {
            throw new IllegalArgumentException("--prompt-version and --prompt-label need --prompt NAME");
        }
        if (promptVersion != null && promptLabel != null) {
            throw new IllegalArgumentException("give --prompt-version or --prompt-label, not both");
        }
        if (maxTokens != null && maxTokens <= 0) {
            throw new IllegalArgumentException("--max-tokens must be positive, got " + maxTokens);
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("--since must be before --until");
        }
    }

    /** Every option with defaults resolved, for no filter at all: the whole recorded history. */
    public static FinetuneRequest everything(Path outDir, String actor) {
        return new FinetuneRequest(null, null, null, null, null, null, null, null, null, 0.1, "openai", null, null, "all",
                outDir, actor);
    }

    boolean telemetry() {
        return !preferences() && !sources.equals("sessions");
    }

    boolean sessions() {
        return !preferences() && !sources.equals("telemetry");
    }

    /** Preference pairs (--format dpo) instead of chat examples. */
    boolean preferences() {
        return format.equals("dpo");
    }
}

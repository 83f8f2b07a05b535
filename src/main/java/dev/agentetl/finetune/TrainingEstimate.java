package dev.agentetl.finetune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What training on the written files would cost and what to check first: the epochs (configured, or the
 * number OpenAI's fine-tuning picks for {@code auto}: 3, raised for small training files so that about 100
 * examples are seen, lowered for large ones so that about 25,000 are, within 1-25, as in OpenAI's data
 * preparation guide), the billed tokens (training tokens x epochs), and warnings about a dataset too small
 * to train on or without a validation split.
 */
record TrainingEstimate(int epochs, boolean auto, long trainTokens, long billedTokens, List<String> warnings) {

    /** OpenAI's minimum number of training examples. */
    static final int MIN_EXAMPLES = 10;
    private static final int TARGET_EPOCHS = 3;
    private static final int MIN_TARGET_EXAMPLES = 100;
    private static final int MAX_TARGET_EXAMPLES = 25_000;

    static TrainingEstimate of(String configuredEpochs, long train, long validation, long trainTokens, double validationRatio) {
        boolean auto = configuredEpochs == null || configuredEpochs.isBlank() || configuredEpochs.strip().equals("auto");
        int epochs = auto ? autoEpochs(train) : epochs(configuredEpochs);
        List<String> warnings = new ArrayList<>();
        if (train + validation < MIN_EXAMPLES) {
            warnings.add(String.format("only %d examples: fine-tuning needs at least %d (50-100 or more make a difference)",
                    train + validation, MIN_EXAMPLES));
        } else if (train < MIN_EXAMPLES) {
            warnings.add(String.format("only %d training examples: fine-tuning needs at least %d", train, MIN_EXAMPLES));
        }
        if (validation == 0) {
            warnings.add(validationRatio == 0 ? "the validation split is empty (--validation-ratio 0): nothing measures over-fitting"
                    : String.format("the validation split is empty: no conversation fell into the %.0f %% validation share",
                    validationRatio * 100));
        }
        return new TrainingEstimate(epochs, auto, trainTokens, trainTokens * epochs, List.copyOf(warnings));
    }

    static int epochs(String configured) {
        try {
            int n = Integer.parseInt(configured.strip());
            if (n >= 1 && n <= 50) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("agent-etl.finetune.epochs must be auto or a number of epochs from 1 to 50, got '"
                + configured + "'");
    }

    static int autoEpochs(long train) {
        if (train <= 0) return TARGET_EPOCHS;
        if (train * TARGET_EPOCHS < MIN_TARGET_EXAMPLES) return (int) Math.min(25, (MIN_TARGET_EXAMPLES + train - 1) / train);
        if (train * TARGET_EPOCHS > MAX_TARGET_EXAMPLES) return (int) Math.max(1, MAX_TARGET_EXAMPLES / train);
        return TARGET_EPOCHS;
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("epochs_source", auto ? "auto (OpenAI's default for this many examples)" : "agent-etl.finetune.epochs");
        m.put("train_tokens", trainTokens);
        m.put("billed_tokens", billedTokens);
        return m;
    }
}

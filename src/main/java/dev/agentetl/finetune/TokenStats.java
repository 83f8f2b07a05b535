package dev.agentetl.finetune;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token counts of the written examples: exact percentiles from a histogram with one slot per possible
 * count (examples over the limit are rejected, so the histogram has a fixed size).
 */
final class TokenStats {

    private final long[] histogram;
    private long examples;
    private long total;
    private int max;

    TokenStats(int maxTokens) {
        histogram = new long[maxTokens + 1];
    }

    void add(int tokens) {
        histogram[Math.min(tokens, histogram.length - 1)]++;
        examples++;
        total += tokens;
        max = Math.max(max, tokens);
    }

    int percentile(double p) {
        if (examples == 0) return 0;
        long rank = (long) Math.ceil(p * examples);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= Math.max(1, rank)) return i;
        }
        return max;
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("examples", examples);
        m.put("total", total);
        m.put("mean", examples == 0 ? 0 : Math.round(total * 10.0 / examples) / 10.0);
        m.put("p50", percentile(0.5));
        m.put("p95", percentile(0.95));
        m.put("max", max);
        return m;
    }
}

package dev.agentetl.finetune;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What happens to each candidate example, in order: redact and count tokens, validate, drop what is over
 * the token limit, drop duplicates (checked a batch at a time against the examples already written), and
 * write the rest to train or validation by a hash of its conversation. Order in, order out: the same
 * data gives the same files.
 */
final class ExamplePipeline {

    private static final int BATCH = 500;
    private static final int SAMPLES_PER_REASON = 3;

    private record Pending(Example example, int tokens, long[] replaced, UUID hash) {
    }

    private final ExamplePreparer preparer;
    private final SeenExamples seen;
    private final SplitFiles files;
    private final int maxTokens;
    private final double validationRatio;
    private final List<String> ruleNames;
    private final List<Pending> pending = new ArrayList<>(BATCH);

    long candidates;
    long train;
    long validation;
    long duplicates;
    final Map<String, Long> rejected = new TreeMap<>();
    final List<String> samples = new ArrayList<>();
    final long[] replaced;
    final TokenStats tokens;

    ExamplePipeline(ExamplePreparer preparer, SeenExamples seen, SplitFiles files, int maxTokens, double validationRatio,
                    List<String> ruleNames) {
        this.preparer = preparer;
        this.seen = seen;
        this.files = files;
        this.maxTokens = maxTokens;
        this.validationRatio = validationRatio;
        this.ruleNames = ruleNames;
        this.replaced = new long[ruleNames.size()];
        this.tokens = new TokenStats(maxTokens);
    }

    /** A candidate: an example, or the reason its source could not become one. */
    void offer(Object candidate, String where) throws SQLException, IOException {
        candidates++;
        if (candidate instanceof Rejected r) {
            reject(r, where);
            return;
        }
        Example example = (Example) candidate;
        long[] mine = new long[replaced.length];
        int count = preparer.prepare(example, mine);
        try {
            ExampleValidator.validate(example);
            if (count > maxTokens) {
                throw new Rejected("too_many_tokens", count + " tokens, over the limit of " + maxTokens);
            }
        } catch (Rejected r) {
            reject(r, example.source() + " " + example.sourceId());
            return;
        }
        pending.add(new Pending(example, count, mine, ExampleHash.of(example)));
        if (pending.size() >= BATCH) flush();
    }

    void flush() throws SQLException, IOException {
        if (pending.isEmpty()) return;
        Set<UUID> batch = new HashSet<>();
        List<UUID> hashes = new ArrayList<>();
        for (Pending p : pending) {
            if (batch.add(p.hash())) hashes.add(p.hash());
        }
        Set<UUID> fresh = seen.addNew(hashes);
        for (Pending p : pending) {
            if (!fresh.remove(p.hash())) { // the first of equal examples in a batch takes the hash
                duplicates++;
                continue;
            }
            boolean toValidation = ExampleHash.isValidation(p.example().conversationId(), validationRatio);
            files.write(toValidation ? "validation" : "train", p.example(), p.tokens());
            if (toValidation) validation++;
            else train++;
            tokens.add(p.tokens());
            for (int i = 0; i < replaced.length; i++) replaced[i] += p.replaced()[i];
        }
        pending.clear();
    }

    private void reject(Rejected r, String where) {
        long n = rejected.merge(r.reason(), 1L, Long::sum);
        if (n <= SAMPLES_PER_REASON) samples.add(where + ": " + r.getMessage());
    }

    Map<String, Long> replacements() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < replaced.length; i++) out.put(ruleNames.get(i), replaced[i]);
        return out;
    }
}

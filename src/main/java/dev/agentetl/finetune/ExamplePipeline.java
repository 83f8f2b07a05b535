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
import java.util.function.Supplier;

/**
 * What happens to each candidate example, in order: redact and count tokens, validate, drop what is over
 * the token limit, drop duplicates (checked a batch at a time against the examples already written), and
 * write the rest to train or validation by a hash of its conversation. The first half ({@link #prepare})
 * touches only the example and runs on worker threads; the second half ({@link #accept}) runs on the
 * thread that owns the connection and the files, batch by batch in source order, so the same data gives
 * the same files.
 */
final class ExamplePipeline {

    private static final int SAMPLES_PER_REASON = 3;

    /** A candidate after the worker's half: a rejection, or an example ready to write. */
    record Prepared(String where, Rejected rejection, Example example, UUID hash, int tokens, long[] replaced,
                    boolean validation, byte[] jsonLine, String kind) {
    }

    private final ThreadLocal<ExamplePreparer> preparers;
    private final SeenExamples seen;
    private final SplitFiles files;
    private final int maxTokens;
    private final double validationRatio;
    private final List<String> ruleNames;
    private final boolean parquet;

    long candidates;
    long train;
    long validation;
    long duplicates;
    /** Tokens of the examples written to train: what a training job bills, per epoch. */
    long trainTokens;
    final Map<String, Long> rejected = new TreeMap<>();
    /** Preference pairs written, by how they were chosen. */
    final Map<String, Long> pairs = new TreeMap<>();
    final List<String> samples = new ArrayList<>();
    final long[] replaced;
    final TokenStats tokens;

    ExamplePipeline(Supplier<ExamplePreparer> preparer, SeenExamples seen, SplitFiles files, int maxTokens,
                    double validationRatio, List<String> ruleNames, boolean parquet) {
        this.preparers = ThreadLocal.withInitial(preparer); // the text cache is per thread: no locking
        this.seen = seen;
        this.files = files;
        this.maxTokens = maxTokens;
        this.validationRatio = validationRatio;
        this.ruleNames = ruleNames;
        this.parquet = parquet;
        this.replaced = new long[ruleNames.size()];
        this.tokens = new TokenStats(2 * maxTokens); // a preference pair counts its input and two answers
    }

    /** The worker's half for a source that could not become an example: where it came from, and why. */
    Prepared rejected(Rejected reason, String where) {
        return new Prepared(where, reason, null, null, 0, null, false, null, null);
    }

    /** The worker's half for one example: redact, count, validate, hash, and render its line. */
    Prepared prepare(Example example) {
        long[] mine = new long[replaced.length];
        int count = preparers.get().prepare(example, mine);
        try {
            ExampleValidator.validate(example);
            if (count > maxTokens) throw new Rejected("too_many_tokens", count + " tokens, over the limit of " + maxTokens);
        } catch (Rejected r) {
            return rejected(r, example.source() + " " + example.sourceId()); // the name is built for rejections only
        }
        boolean toValidation = ExampleHash.isValidation(example.conversationId(), validationRatio);
        return new Prepared(null, null, parquet ? example : null, ExampleHash.of(example), count, mine, toValidation,
                parquet ? null : SplitFiles.jsonLine(example), null);
    }

    /**
     * The worker's half for one preference pair: redact the input and both answers, count, check the input with
     * each answer against the chat format's rules, and keep the pair only when the answers really differ (once
     * call ids and whitespace are set aside). The token limit applies to the input with the longer answer; the
     * pair's count is the input and both answers. The split goes by the input, so no input is in both files.
     */
    Prepared preparePair(PreferencePair pair) {
        long[] mine = new long[replaced.length];
        ExamplePreparer preparer = preparers.get();
        int input, better, worse;
        UUID hash;
        try {
            input = preparer.prepare(new Example("preference", pair.where(), pair.inputKey(), null, pair.messages(), pair.tools()), mine);
            better = preparer.prepare(answer(pair, pair.preferred()), mine) - ExamplePreparer.REPLY_PRIMING;
            worse = preparer.prepare(answer(pair, pair.nonPreferred()), mine) - ExamplePreparer.REPLY_PRIMING;
            ExampleValidator.validate(pair.with(pair.preferred()));
            ExampleValidator.validate(pair.with(pair.nonPreferred()));
            if (ExampleHash.of(answer(pair, pair.preferred())).equals(ExampleHash.of(answer(pair, pair.nonPreferred())))) {
                throw new Rejected("no_preference", "the preferred and the non-preferred answer are the same");
            }
            int longest = input + Math.max(better, worse);
            if (longest > maxTokens) throw new Rejected("too_many_tokens", longest + " tokens, over the limit of " + maxTokens);
            com.fasterxml.jackson.databind.node.ArrayNode all = pair.messages().deepCopy();
            all.add(pair.preferred()).add(OpenAiShapes.message("\u0000non_preferred", null)).add(pair.nonPreferred());
            hash = ExampleHash.of(new Example("preference", pair.where(), pair.inputKey(), null, all, null));
        } catch (Rejected r) {
            return rejected(r, pair.where());
        }
        boolean toValidation = ExampleHash.isValidation(pair.inputKey(), validationRatio);
        return new Prepared(null, null, null, hash, input + better + worse, mine, toValidation, pair.jsonLine(), pair.kind());
    }

    private static Example answer(PreferencePair pair, com.fasterxml.jackson.databind.node.ObjectNode message) {
        return new Example("preference", pair.where(), pair.inputKey(), null, OpenAiShapes.NODES.arrayNode().add(message), null);
    }

    /** The owner's half for one batch, in source order: count, drop duplicates, write. */
    void accept(List<Prepared> batch) throws SQLException, IOException {
        Set<UUID> inBatch = new HashSet<>();
        List<UUID> hashes = new ArrayList<>();
        for (Prepared p : batch) {
            candidates++;
            if (p.rejection() != null) {
                long n = rejected.merge(p.rejection().reason(), 1L, Long::sum);
                if (n <= SAMPLES_PER_REASON) samples.add(p.where() + ": " + p.rejection().getMessage());
            } else if (inBatch.add(p.hash())) {
                hashes.add(p.hash());
            }
        }
        Set<UUID> fresh = seen.addNew(hashes);
        for (Prepared p : batch) {
            if (p.rejection() != null) continue;
            if (!fresh.remove(p.hash())) { // the first of equal examples takes the hash
                duplicates++;
                continue;
            }
            String split = p.validation() ? "validation" : "train";
            if (p.jsonLine() != null) files.writeLine(split, p.jsonLine());
            else files.write(split, p.example(), p.tokens());
            if (p.validation()) validation++;
            else {
                train++;
                trainTokens += p.tokens();
            }
            if (p.kind() != null) pairs.merge(p.kind(), 1L, Long::sum);
            tokens.add(p.tokens());
            for (int i = 0; i < replaced.length; i++) replaced[i] += p.replaced()[i];
        }
    }

    Map<String, Long> replacements() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < replaced.length; i++) out.put(ruleNames.get(i), replaced[i]);
        return out;
    }
}

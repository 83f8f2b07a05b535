package dev.agentetl.finetune;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Redacts one text and counts its tokens with the model's BPE tokenizer (jtokkit), remembering the
 * answers for texts seen recently: recorded calls repeat the same system prompt and history messages
 * over and over, and tokenizing is the expensive part of an export. The cache holds a bounded number of
 * entries, so memory stays bounded whatever the data size.
 */
final class TextProcessor {

    private static final int CACHE_ENTRIES = 8192;
    /** Texts longer than this are not cached (they are rarely repeated and would crowd the cache). */
    private static final int CACHE_MAX_LENGTH = 64 * 1024;

    record Processed(String text, int tokens, int[] counts) {
    }

    private final Redactor redactor;
    private final Encoding encoding;
    private final Map<String, Processed> cache = new LinkedHashMap<>(CACHE_ENTRIES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Processed> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    /** Token counts of tool definitions: one per prompt, or per set of tools inferred from the calls, repeated often. */
    private final Map<String, Integer> toolTokens = new LinkedHashMap<>(128, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > TOOL_CACHE_ENTRIES;
        }
    };
    private static final int TOOL_CACHE_ENTRIES = 2048;

    TextProcessor(Redactor redactor, String encodingName) {
        this.redactor = redactor;
        this.encoding = encoding(encodingName);
    }

    /** Encodings are immutable and shared by all threads; loading one reads its whole vocabulary. */
    private static final java.util.concurrent.ConcurrentMap<EncodingType, Encoding> ENCODINGS = new java.util.concurrent.ConcurrentHashMap<>();

    static Encoding encoding(String name) {
        return ENCODINGS.computeIfAbsent(type(name), t -> Encodings.newLazyEncodingRegistry().getEncoding(t));
    }

    /** The encoding's type by name, checked without loading its vocabulary. */
    static EncodingType type(String name) {
        return EncodingType.fromName(name == null || name.isBlank() ? "o200k_base" : name.strip())
                .orElseThrow(() -> new IllegalArgumentException("unknown tokenizer encoding '" + name + "'; use one of "
                        + Arrays.stream(EncodingType.values()).map(EncodingType::getName).toList()));
    }

    /** The redacted text, its token count and the replacements per rule (by position in the profile). */
    Processed process(String text) {
        if (text == null) return new Processed(null, 0, Redactor.Result.NONE);
        boolean cacheable = text.length() <= CACHE_MAX_LENGTH;
        Processed p = cacheable ? cache.get(text) : null;
        if (p == null) {
            Redactor.Result r = redactor.redact(text);
            p = new Processed(r.text(), encoding.countTokensOrdinary(r.text()), r.counts());
            if (cacheable) cache.put(text, p);
        }
        return p;
    }

    /**
     * Tokens of a set of tool definitions. Sets come from the registry (one per prompt) or are inferred (one
     * per set of calls), both shared instances that are never modified, so they are known by identity and
     * serialised and counted once.
     */
    int toolTokens(com.fasterxml.jackson.databind.node.ArrayNode tools) {
        Integer n = toolsByIdentity.get(tools);
        if (n == null) {
            if (toolsByIdentity.size() >= TOOL_CACHE_ENTRIES) toolsByIdentity.clear();
            n = tokens(tools.toString());
            toolsByIdentity.put(tools, n);
        }
        return n;
    }

    private final Map<Object, Integer> toolsByIdentity = new java.util.IdentityHashMap<>();

    /** Tokens of a text that is not redacted (tool definitions). */
    int tokens(String text) {
        if (text == null) return 0;
        if (text.length() <= CACHE_MAX_LENGTH) {
            return toolTokens.computeIfAbsent(text, encoding::countTokensOrdinary);
        }
        return encoding.countTokensOrdinary(text);
    }
}

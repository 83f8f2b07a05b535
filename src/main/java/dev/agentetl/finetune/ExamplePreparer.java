package dev.agentetl.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Redacts an example in place (message texts, tool call arguments) and counts its tokens the way the
 * chat format is billed: a few tokens of framing per message, the texts, the calls, the tool definitions.
 */
final class ExamplePreparer {

    /** Framing tokens per message, and for priming the reply (OpenAI's published counting recipe). */
    private static final int PER_MESSAGE = 3;
    static final int REPLY_PRIMING = 3;

    private final TextProcessor text;
    private final int rules;

    ExamplePreparer(TextProcessor text, int rules) {
        this.text = text;
        this.rules = rules;
    }

    /** The example's tokens after redaction; {@code replaced[i]} grows by the matches of rule i. */
    int prepare(Example example, long[] replaced) {
        int tokens = REPLY_PRIMING;
        for (JsonNode node : example.messages()) {
            ObjectNode m = (ObjectNode) node;
            tokens += PER_MESSAGE + text.tokens(m.path("role").asText());
            JsonNode content = m.get("content");
            if (content != null && content.isTextual()) {
                TextProcessor.Processed p = text.process(content.asText());
                if (p.counts().length > 0) {
                    m.put("content", p.text());
                    add(replaced, p.counts());
                }
                tokens += p.tokens();
            }
            for (JsonNode call : m.path("tool_calls")) {
                JsonNode fn = call.path("function");
                tokens += PER_MESSAGE + text.tokens(fn.path("name").asText(""));
                JsonNode args = fn.get("arguments");
                if (args != null && args.isTextual()) {
                    TextProcessor.Processed p = text.process(args.asText());
                    if (p.counts().length > 0) {
                        ((ObjectNode) fn).put("arguments", p.text());
                        add(replaced, p.counts());
                    }
                    tokens += p.tokens();
                }
            }
        }
        if (example.tools() != null) tokens += text.toolTokens(example.tools());
        return tokens;
    }

    private void add(long[] replaced, int[] counts) {
        for (int i = 0; i < Math.min(rules, counts.length); i++) replaced[i] += counts[i];
    }
}

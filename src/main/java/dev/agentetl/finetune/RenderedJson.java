package dev.agentetl.finetune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A line of JSON being put together on one thread, with the JSON of what repeats from example to example
 * remembered: a plain message (role and content only) with a long content, such as the system prompt every
 * recorded call opens with, by its text; a set of tool definitions (shared instances) by identity. Escaping
 * the same 1.5 KB prompt for every example was the largest single cost of writing the files. The bytes are
 * exactly those Jackson writes for the whole tree.
 */
final class RenderedJson {

    /** Contents at least this long are worth remembering. */
    private static final int LONG_CONTENT = 256;
    private static final int ENTRIES = 1024;

    private static final ThreadLocal<RenderedJson> PER_THREAD = ThreadLocal.withInitial(RenderedJson::new);

    private record Plain(String role, byte[] json) {
    }

    private final Map<String, Plain> plainMessages = new LinkedHashMap<>(ENTRIES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Plain> eldest) {
            return size() > ENTRIES;
        }
    };
    private final Map<ArrayNode, byte[]> toolSets = new IdentityHashMap<>();
    private byte[] buffer = new byte[1 << 14];
    private int length;

    static RenderedJson get() {
        return PER_THREAD.get();
    }

    void start() {
        length = 0;
    }

    void raw(byte[] bytes) {
        if (length + bytes.length > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + bytes.length));
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    void message(ObjectNode m) {
        JsonNode content = m.get("content");
        if (m.size() == 2 && content != null && content.isTextual() && content.textValue().length() >= LONG_CONTENT
                && m.get("role") != null && m.get("role").isTextual()) {
            String role = m.get("role").textValue();
            Plain p = plainMessages.get(content.textValue());
            if (p == null || !p.role().equals(role)) {
                p = new Plain(role, serialise(m));
                plainMessages.put(content.textValue(), p);
            }
            raw(p.json());
        } else {
            raw(serialise(m));
        }
    }

    void tools(ArrayNode tools) {
        byte[] json = toolSets.get(tools);
        if (json == null) {
            if (toolSets.size() >= ENTRIES) toolSets.clear();
            json = serialise(tools);
            toolSets.put(tools, json);
        }
        raw(json);
    }

    byte[] bytes() {
        byte[] out = Arrays.copyOf(buffer, length);
        if (buffer.length > 1 << 20) buffer = new byte[1 << 14]; // do not keep a huge example's buffer
        return out;
    }

    private static byte[] serialise(JsonNode node) {
        try {
            return OpenAiShapes.JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an example that cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}

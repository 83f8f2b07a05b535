package dev.agentetl.finetune;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes JSON on one thread through generators made once, with the JSON of what repeats from example to
 * example remembered: a plain message (role and content only) with a long content, such as the system prompt
 * every recorded call opens with, by its text; a set of tool definitions (shared instances) by identity.
 * Escaping the same 1.5 KB prompt for every example, and setting up a generator for every small value, were
 * the largest costs of writing the files. The bytes are exactly those Jackson writes for the whole tree.
 */
final class RenderedJson {

    /** Contents at least this long are worth remembering. */
    private static final int LONG_CONTENT = 256;
    private static final int ENTRIES = 1024;

    private static final ThreadLocal<RenderedJson> PER_THREAD = ThreadLocal.withInitial(RenderedJson::new);

    private record Plain(String role, SerializableString json) {
    }

    private final Map<String, Plain> plainMessages = new LinkedHashMap<>(ENTRIES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Plain> eldest) {
            return size() > ENTRIES;
        }
    };
    private final Map<ArrayNode, SerializableString> toolSets = new IdentityHashMap<>();
    private final ByteArrayBuilder bytes = new ByteArrayBuilder(1 << 14);
    private final JsonGenerator line;
    private final StringWriter chars = new StringWriter(256);
    private final JsonGenerator text;

    private RenderedJson() {
        try {
            line = OpenAiShapes.JSON.getFactory().createGenerator(bytes);
            text = OpenAiShapes.JSON.getFactory().createGenerator(chars);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line.setRootValueSeparator(null); // one root value per use, nothing between them
        text.setRootValueSeparator(null);
    }

    static RenderedJson get() {
        return PER_THREAD.get();
    }

    /** A chat example's line: {@code {"messages":[...],"tools":[...]}} and a newline. */
    byte[] chatLine(Example example) {
        try {
            bytes.reset();
            line.writeStartObject();
            line.writeFieldName("messages");
            line.writeStartArray();
            for (JsonNode m : example.messages()) message((ObjectNode) m);
            line.writeEndArray();
            if (example.tools() != null) {
                line.writeFieldName("tools");
                line.writeRawValue(tools(example.tools()));
            }
            line.writeEndObject();
            line.flush();
            bytes.write('\n');
            byte[] out = bytes.toByteArray();
            if (out.length > 1 << 20) bytes.release(); // do not keep a huge example's buffer
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("an example that cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** A small value (tool call arguments) as JSON text, as {@code node.toString()} writes it. */
    String text(JsonNode node) {
        try {
            chars.getBuffer().setLength(0);
            OpenAiShapes.JSON.writeTree(text, node);
            text.flush();
            return chars.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void message(ObjectNode m) throws IOException {
        JsonNode content = m.get("content");
        if (m.size() == 2 && content != null && content.isTextual() && content.textValue().length() >= LONG_CONTENT
                && m.get("role") != null && m.get("role").isTextual()) {
            String role = m.get("role").textValue();
            Plain p = plainMessages.get(content.textValue());
            if (p == null || !p.role().equals(role)) {
                p = new Plain(role, serialised(m));
                plainMessages.put(content.textValue(), p);
            }
            line.writeRawValue(p.json());
        } else {
            OpenAiShapes.JSON.writeTree(line, m);
        }
    }

    private SerializableString tools(ArrayNode tools) {
        SerializableString json = toolSets.get(tools);
        if (json == null) {
            if (toolSets.size() >= ENTRIES) toolSets.clear();
            json = serialised(tools);
            toolSets.put(tools, json);
        }
        return json;
    }

    private static SerializableString serialised(JsonNode node) {
        try {
            SerializedString s = new SerializedString(new String(OpenAiShapes.JSON.writeValueAsBytes(node), StandardCharsets.UTF_8));
            s.asUnquotedUTF8(); // the bytes, once
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.agentetl.finetune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

import static dev.agentetl.finetune.OpenAiShapes.JSON;
import static dev.agentetl.finetune.OpenAiShapes.NODES;

/**
 * One preference pair of OpenAI's preference fine-tuning (DPO) format: an input (messages and tools) and two
 * answers to it, the preferred and the non-preferred, each one assistant message. Built from the two sessions
 * the pairs query chose ({@link SourceQueries#preferencePairs}): each side's answer is the first assistant
 * message of its session (with its tool calls), read the same way as the chat examples.
 */
record PreferencePair(String kind, String inputKey, ArrayNode messages, ArrayNode tools, ObjectNode preferred,
                      ObjectNode nonPreferred, String where) {

    /** The sessions of one pair as the query returned them, and the test case's input when the pair comes from test runs. */
    record Source(long pairNo, String kind, String inputKey, String caseMessages, String caseTools, String preferredRef,
                  String nonPreferredRef, List<ExampleBuilder.SessionRow> preferred, List<ExampleBuilder.SessionRow> nonPreferred) {

        String where() {
            return kind + " " + inputKey + ": " + side(preferred, preferredRef) + " over " + side(nonPreferred, nonPreferredRef);
        }

        private static String side(List<ExampleBuilder.SessionRow> rows, String ref) {
            return "session " + (rows.isEmpty() ? "?" : rows.get(0).sessionId()) + " (" + ref + ")";
        }
    }

    /** The pair, or the reason it cannot be one. */
    static PreferencePair of(Source s, Map<String, ArrayNode> registry) throws Rejected {
        Example better = firstAnswer(s.preferred(), registry);
        Example worse = firstAnswer(s.nonPreferred(), registry);
        ArrayNode input;
        ArrayNode tools = null;
        if (s.caseMessages() != null) {
            input = caseInput(s.caseMessages());
            tools = OpenAiShapes.registryTools(s.caseTools());
        } else {
            input = NODES.arrayNode();
            for (int i = 0; i < better.messages().size() - 1; i++) input.add(plain(better.messages().get(i)));
        }
        if (tools == null && input.size() > 0 && input.get(0).path("role").asText().equals("system")) {
            tools = registry.get(input.get(0).path("content").asText());
        }
        ObjectNode preferred = plain(better.messages().get(better.messages().size() - 1));
        ObjectNode nonPreferred = plain(worse.messages().get(worse.messages().size() - 1));
        if (tools == null) {
            ArrayNode all = input.deepCopy();
            all.add(preferred.deepCopy()).add(nonPreferred.deepCopy());
            tools = OpenAiShapes.inferTools(all);
        }
        return new PreferencePair(s.kind(), s.inputKey(), input, tools == null ? null : tools.deepCopy(), preferred, nonPreferred,
                s.where());
    }

    /** The example of a session's first assistant message: its context and its answer. */
    private static Example firstAnswer(List<ExampleBuilder.SessionRow> rows, Map<String, ArrayNode> registry) throws Rejected {
        if (rows.isEmpty()) throw new Rejected("missing_content", "a session of the pair has no messages");
        for (Object candidate : ExampleBuilder.session(rows, registry)) {
            if (candidate instanceof Rejected r) throw r;
            return (Example) candidate;
        }
        throw new Rejected("missing_content", "session " + rows.get(0).sessionId() + " has no assistant message");
    }

    /** A test case's messages (the stored dialects read as for recorded calls). */
    private static ArrayNode caseInput(String stored) throws Rejected {
        JsonNode items;
        try {
            items = JSON.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new Rejected("unreadable_source", "test case messages are not valid JSON: " + e.getOriginalMessage());
        }
        if (!items.isArray()) throw new Rejected("unreadable_source", "test case messages are not a JSON array");
        ArrayNode out = NODES.arrayNode();
        int k = 0;
        for (JsonNode item : items) {
            if (!item.isObject()) throw new Rejected("unreadable_source", "test case message " + k + " is not an object");
            ObjectNode m = OpenAiShapes.message(OpenAiShapes.role(item), OpenAiShapes.content(item));
            if (item.has("tool_calls")) {
                ArrayNode calls = OpenAiShapes.toolCalls(item.get("tool_calls"), "call_c" + k + "_");
                if (!calls.isEmpty()) {
                    if (m.get("content").isNull()) m.remove("content");
                    m.set("tool_calls", calls);
                }
            }
            if (item.hasNonNull("tool_call_id")) m.put("tool_call_id", item.get("tool_call_id").asText());
            out.add(m);
            k++;
        }
        return out;
    }

    /** A copy of a message without the chat format's training weight, which the preference format does not have. */
    private static ObjectNode plain(JsonNode message) {
        ObjectNode m = ((ObjectNode) message).deepCopy();
        m.remove("weight");
        return m;
    }

    /** The input with one answer, as a chat example: what the format rules, redaction and token count apply to. */
    Example with(ObjectNode answer) {
        ArrayNode all = NODES.arrayNode();
        all.addAll(messages);
        all.add(answer);
        return new Example("preference", where, inputKey, null, all, tools);
    }

    /** The line: {@code {"input": {"messages", "tools"}, "preferred_output": [..], "non_preferred_output": [..]}}. */
    byte[] jsonLine() {
        ObjectNode line = NODES.objectNode();
        ObjectNode in = line.putObject("input");
        in.set("messages", messages);
        if (tools != null) in.set("tools", tools);
        line.putArray("preferred_output").add(preferred);
        line.putArray("non_preferred_output").add(nonPreferred);
        try {
            byte[] json = JSON.writeValueAsBytes(line);
            byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
            out[json.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a pair that cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}

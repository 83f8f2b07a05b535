package dev.agentetl.finetune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.agentetl.finetune.OpenAiShapes.JSON;
import static dev.agentetl.finetune.OpenAiShapes.NODES;
import static dev.agentetl.finetune.OpenAiShapes.message;

/**
 * Builds examples from recorded data. An llm_call row is one example: its system prompt and chat history
 * are the context, its response text and tool calls the target. A session of the interaction store gives
 * one example per assistant message, with every message before it as context. Earlier assistant turns
 * carry {@code weight: 0}, so only the recorded output is trained on.
 */
final class ExampleBuilder {

    private ExampleBuilder() {
    }

    /** One llm_call row of agent_telemetry. */
    record TelemetryRow(String sourceId, String sessionId, String model, String systemPrompt, byte[] chatHistory,
                        String userMessage, String responseText, byte[] toolCalls) {
    }

    /** One message of a session, with the tool call a tool message answers (when the store links it). */
    record SessionRow(String sessionId, String model, int messageIndex, String role, String content, String replyTo,
                      Long callId, String toolName, String parameters, String resultData, String resultError, String rawCalls) {
    }

    static Example telemetry(TelemetryRow row, ArrayNode registryTools) throws Rejected {
        ArrayNode messages = NODES.arrayNode();
        messages.add(message("system", row.systemPrompt()));
        JsonNode history = parse(row.chatHistory(), "chat_history");
        if (!history.isArray()) throw new Rejected("unreadable_source", "chat_history is not a JSON array");
        Deque<String> unanswered = new ArrayDeque<>();
        boolean hasUser = false;
        int k = 0;
        for (JsonNode item : history) {
            if (!item.isObject()) throw new Rejected("unreadable_source", "chat_history item " + k + " is not an object");
            String role = OpenAiShapes.role(item);
            String content = OpenAiShapes.content(item);
            if (k == 0 && role.equals("system") && row.systemPrompt().equals(content)) {
                k++;
                continue; // the system prompt column already opens the example
            }
            ObjectNode m = message(role, content);
            switch (role) {
                case "assistant" -> {
                    JsonNode stored = item.has("tool_calls") ? item.get("tool_calls") : item.get("function_call");
                    ArrayNode calls = OpenAiShapes.toolCalls(stored, "call_h" + k + "_");
                    unanswered.clear();
                    if (!calls.isEmpty()) {
                        if (content == null) m.remove("content");
                        m.set("tool_calls", calls);
                        calls.forEach(c -> unanswered.add(c.path("id").asText()));
                    }
                    m.put("weight", 0);
                }
                case "tool" -> {
                    String id = item.hasNonNull("tool_call_id") ? item.get("tool_call_id").asText() : unanswered.peek();
                    if (id != null) {
                        m.put("tool_call_id", id);
                        unanswered.remove(id);
                    }
                }
                case "user" -> hasUser = true;
                default -> { }
            }
            messages.add(m);
            k++;
        }
        if (!hasUser && row.userMessage() != null) messages.insert(1, message("user", row.userMessage()));
        ObjectNode target = message("assistant", row.responseText());
        ArrayNode calls = OpenAiShapes.toolCalls(row.toolCalls() == null ? null : parse(row.toolCalls(), "tool_calls"), "call_t");
        if (!calls.isEmpty()) {
            if (row.responseText() == null) target.remove("content");
            target.set("tool_calls", calls);
        }
        target.put("weight", 1);
        messages.add(target);
        String conversation = row.sessionId() != null ? row.sessionId() : "agent_telemetry:" + row.sourceId();
        return new Example("agent_telemetry", row.sourceId(), conversation, row.model(), messages,
                registryTools != null ? registryTools : OpenAiShapes.inferTools(messages));
    }

    /**
     * The examples of one session: every assistant message with what came before it. A failure to read
     * one message's stored tool calls rejects only the examples that contain it.
     */
    static List<Object> session(List<SessionRow> rows, Map<String, ArrayNode> registry) {
        List<ObjectNode> messages = new ArrayList<>();
        List<Rejected> broken = new ArrayList<>();
        Map<Integer, String> replyIds = new HashMap<>();
        String systemPrompt = null;
        for (int i = 0; i < rows.size(); i++) {
            SessionRow r = rows.get(i);
            ObjectNode m;
            Rejected problem = null;
            switch (r.role()) {
                case "assistant" -> {
                    m = message("assistant", r.content());
                    ArrayNode calls;
                    int j = i + 1;
                    List<Integer> replies = new ArrayList<>();
                    while (j < rows.size() && rows.get(j).role().equals("tool")) replies.add(j++);
                    if (r.rawCalls() != null) {
                        try {
                            calls = OpenAiShapes.toolCalls(parse(r.rawCalls(), "llm_responses.raw_response tool_calls"), "call_" + r.messageIndex() + "_");
                        } catch (Rejected e) {
                            calls = NODES.arrayNode();
                            problem = e;
                        }
                        List<String> ids = new ArrayList<>();
                        calls.forEach(c -> ids.add(c.path("id").asText()));
                        for (int q = 0; q < replies.size(); q++) {
                            String said = rows.get(replies.get(q)).replyTo();
                            replyIds.put(replies.get(q), ids.contains(said) ? said : q < ids.size() ? ids.get(q) : said);
                        }
                    } else {
                        calls = NODES.arrayNode();
                        for (int q : replies) {
                            SessionRow t = rows.get(q);
                            if (t.callId() == null) {
                                replyIds.put(q, t.replyTo());
                                continue;
                            }
                            String id = "call_" + t.callId();
                            ObjectNode call = calls.addObject().put("id", id).put("type", "function");
                            call.putObject("function").put("name", t.toolName())
                                    .put("arguments", t.parameters() == null ? "{}" : t.parameters());
                            replyIds.put(q, id);
                        }
                    }
                    if (!calls.isEmpty()) {
                        if (r.content() == null) m.remove("content");
                        m.set("tool_calls", calls);
                    }
                }
                case "tool" -> {
                    String content = r.content() != null ? r.content() : r.resultData() != null ? r.resultData() : r.resultError();
                    m = message("tool", content);
                    String id = replyIds.get(i);
                    if (id != null) m.put("tool_call_id", id);
                }
                default -> {
                    m = message(r.role(), r.content());
                    if (r.role().equals("system") && systemPrompt == null) systemPrompt = r.content();
                }
            }
            messages.add(m);
            broken.add(problem);
        }
        ArrayNode tools = systemPrompt == null ? null : registry.get(systemPrompt);
        List<Object> out = new ArrayList<>();
        Rejected firstProblem = null;
        for (int p = 0; p < messages.size(); p++) {
            if (broken.get(p) != null && firstProblem == null) firstProblem = broken.get(p);
            if (!messages.get(p).path("role").asText().equals("assistant")) continue;
            SessionRow r = rows.get(p);
            if (firstProblem != null) {
                out.add(firstProblem);
                continue;
            }
            ArrayNode example = NODES.arrayNode();
            for (int q = 0; q <= p; q++) {
                ObjectNode m = messages.get(q).deepCopy();
                if (m.path("role").asText().equals("assistant")) m.put("weight", q == p ? 1 : 0);
                example.add(m);
            }
            out.add(new Example("sessions", r.sessionId() + "#" + r.messageIndex(), r.sessionId(), r.model(), example,
                    tools != null ? tools : OpenAiShapes.inferTools(example)));
        }
        return out;
    }

    /** JSON as the server sent it (UTF-8 bytes): parsed without decoding a string first. */
    private static JsonNode parse(byte[] json, String what) throws Rejected {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || node.isMissingNode()) throw new Rejected("unreadable_source", what + " is empty");
            return node;
        } catch (java.io.IOException e) {
            throw new Rejected("unreadable_source", what + " is not valid JSON: " + e.getMessage());
        }
    }

    private static JsonNode parse(String json, String what) throws Rejected {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null) throw new Rejected("unreadable_source", what + " is empty");
            return node;
        } catch (JsonProcessingException e) {
            throw new Rejected("unreadable_source", what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }
}

package dev.agentetl.finetune;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The rules of OpenAI's chat fine-tuning format, tool calling included, checked on every example before
 * it is written. The first broken rule is the example's rejection reason:
 * <ul>
 *   <li>{@code no_messages}: nothing to train on;</li>
 *   <li>{@code unknown_role}: a role other than system, user, assistant, tool;</li>
 *   <li>{@code missing_content}: a system, user or tool message without text, or an assistant message with
 *       neither text nor tool calls;</li>
 *   <li>{@code malformed_tool_call}: a call without id, type function or function name, or a repeated id;</li>
 *   <li>{@code arguments_not_json}: function.arguments is not a JSON object in a string;</li>
 *   <li>{@code orphan_tool_reply}: a tool message that answers no pending call;</li>
 *   <li>{@code unanswered_tool_call}: an earlier assistant call the conversation never answered;</li>
 *   <li>{@code last_not_assistant}: the example does not end with the assistant's output.</li>
 * </ul>
 */
final class ExampleValidator {

    private ExampleValidator() {
    }

    static void validate(Example example) throws Rejected {
        JsonNode messages = example.messages();
        if (messages == null || messages.isEmpty()) throw new Rejected("no_messages", "the example has no messages");
        Set<String> pending = new LinkedHashSet<>();
        int i = 0;
        for (JsonNode m : messages) {
            String role = m.path("role").asText("");
            switch (role) {
                case "system", "user" -> {
                    unanswered(pending, i);
                    if (!hasText(m)) throw new Rejected("missing_content", role + " message " + i + " has no content");
                }
                case "assistant" -> {
                    unanswered(pending, i);
                    JsonNode calls = m.path("tool_calls");
                    if (!hasText(m) && (!calls.isArray() || calls.isEmpty())) {
                        throw new Rejected("missing_content", "assistant message " + i + " has neither content nor tool calls");
                    }
                    Set<String> ids = new HashSet<>();
                    for (JsonNode call : calls) {
                        String id = call.path("id").asText("");
                        if (id.isEmpty() || !call.path("type").asText("").equals("function")
                                || call.path("function").path("name").asText("").isEmpty() || !ids.add(id)) {
                            throw new Rejected("malformed_tool_call", "assistant message " + i + " has a tool call without id, "
                                    + "type function or name, or with a repeated id: " + call);
                        }
                        JsonNode args = call.path("function").path("arguments");
                        if (!args.isTextual() || !isJsonObject(args.asText())) {
                            throw new Rejected("arguments_not_json", "tool call " + id + " has arguments that are not a JSON object: "
                                    + abbreviate(args.isTextual() ? args.asText() : args.toString()));
                        }
                    }
                    pending.addAll(ids);
                }
                case "tool" -> {
                    String answers = m.path("tool_call_id").asText("");
                    if (!pending.remove(answers)) {
                        throw new Rejected("orphan_tool_reply", "tool message " + i + " answers "
                                + (answers.isEmpty() ? "no tool call id" : "'" + answers + "', which no earlier call made"));
                    }
                    if (!m.path("content").isTextual()) throw new Rejected("missing_content", "tool message " + i + " has no content");
                }
                default -> throw new Rejected("unknown_role", "message " + i + " has role '" + role + "'");
            }
            i++;
        }
        if (!messages.get(messages.size() - 1).path("role").asText().equals("assistant")) {
            throw new Rejected("last_not_assistant", "the last message is not the assistant's output");
        }
    }

    private static void unanswered(Set<String> pending, int i) throws Rejected {
        if (!pending.isEmpty()) {
            throw new Rejected("unanswered_tool_call", "tool call(s) " + pending + " have no reply before message " + i);
        }
    }

    private static boolean hasText(JsonNode m) {
        JsonNode c = m.path("content");
        return c.isTextual() && !c.asText().isBlank();
    }

    /**
     * Whether the text is exactly one JSON object; read with the streaming parser, no tree is built. Texts found
     * to be objects are remembered per thread: a conversation's calls come back in every later call's history.
     */
    static boolean isJsonObject(String text) {
        Map<String, Boolean> known = KNOWN_OBJECTS.get();
        if (known.containsKey(text)) return true;
        boolean object = parsesAsObject(text);
        if (object && text.length() <= 4096) known.put(text, Boolean.TRUE);
        return object;
    }

    private static final ThreadLocal<Map<String, Boolean>> KNOWN_OBJECTS = ThreadLocal.withInitial(() ->
            new java.util.LinkedHashMap<>(2048, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 1024;
                }
            });

    private static boolean parsesAsObject(String text) {
        try (com.fasterxml.jackson.core.JsonParser p = OpenAiShapes.JSON.getFactory().createParser(text)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) return false;
            p.skipChildren();
            return p.nextToken() == null;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}

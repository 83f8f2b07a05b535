package dev.agentetl.finetune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * Recorded messages, tool calls and tool definitions in the shapes of OpenAI's chat fine-tuning format.
 * Stored data comes in several dialects (OpenAI's nested {@code function}, flat {@code name/arguments},
 * Gemini's {@code model} role and {@code parts}); each is read here and written one way.
 */
final class OpenAiShapes {

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OpenAiShapes() {
    }

    static ObjectNode message(String role, String content) {
        ObjectNode m = NODES.objectNode();
        m.put("role", role);
        if (content != null) m.put("content", content);
        else m.putNull("content");
        return m;
    }

    /** The role in OpenAI's vocabulary (Gemini writes model and function); unknown roles are kept for the validator. */
    static String role(JsonNode item) {
        String role = item.path("role").asText("");
        return switch (role) {
            case "model" -> "assistant";
            case "function" -> "tool";
            default -> role;
        };
    }

    /** Text content: a string as it is, text parts joined, anything else as JSON text; null stays null. */
    static String content(JsonNode item) {
        JsonNode c = item.has("content") ? item.get("content") : item.get("parts");
        if (c == null || c.isNull()) return null;
        if (c.isTextual()) return c.asText();
        if (c.isArray()) {
            StringBuilder sb = new StringBuilder();
            boolean onlyText = true;
            for (JsonNode part : c) {
                if (part.isTextual()) sb.append(part.asText());
                else if (part.has("text")) sb.append(part.get("text").asText());
                else onlyText = false;
            }
            if (onlyText) return sb.toString();
        }
        return c.toString();
    }

    /**
     * One tool call as {@code {id, type: function, function: {name, arguments}}} with arguments as a JSON
     * string. A missing id becomes {@code fallbackId}; arguments that are not text are serialised.
     */
    static ObjectNode toolCall(JsonNode call, String fallbackId) {
        JsonNode fn = call.path("function");
        String name = text(fn.isObject() ? fn.get("name") : null, text(call.get("name"), text(call.get("tool_name"), null)));
        JsonNode args = fn.isObject() && fn.has("arguments") ? fn.get("arguments")
                : first(call, "arguments", "args", "parameters", "input");
        ObjectNode out = NODES.objectNode();
        out.put("id", text(call.get("id"), text(call.get("tool_call_id"), fallbackId)));
        out.put("type", "function");
        ObjectNode function = out.putObject("function");
        if (name != null) function.put("name", name);
        else function.putNull("name");
        if (args == null || args.isNull() || args.isMissingNode()) function.put("arguments", "{}");
        else if (args.isTextual()) function.put("arguments", args.asText());
        else function.put("arguments", RenderedJson.get().text(args)); // as args.toString(), without a generator per call
        return out;
    }

    /** Tool calls of a stored message or column: an array of calls, or one call object. */
    static ArrayNode toolCalls(JsonNode calls, String idPrefix) {
        ArrayNode out = NODES.arrayNode();
        if (calls == null || calls.isNull() || calls.isMissingNode()) return out;
        if (calls.isObject()) calls = NODES.arrayNode().add(calls);
        int i = 0;
        for (JsonNode call : calls) {
            out.add(call.isObject() ? toolCall(call, idPrefix + i) : NODES.textNode(call.toString()));
            i++;
        }
        return out;
    }

    /**
     * Tool definitions from the prompt registry in OpenAI's {@code [{type: function, function: {...}}]} form:
     * accepts that form, flat {@code {name, description, parameters|input_schema}} entries, or an object
     * keyed by tool name. Null when the stored value has no usable definition.
     */
    static ArrayNode registryTools(String stored) {
        if (stored == null) return null;
        JsonNode tools;
        try {
            tools = JSON.readTree(stored);
        } catch (JsonProcessingException e) {
            return null;
        }
        Map<String, JsonNode> byName = new TreeMap<>();
        if (tools.isObject()) {
            tools.fields().forEachRemaining(e -> {
                ObjectNode t = e.getValue().isObject() ? ((ObjectNode) e.getValue()).deepCopy() : NODES.objectNode();
                if (!t.has("name")) t.put("name", e.getKey());
                byName.put(e.getKey(), t);
            });
        } else if (tools.isArray()) {
            for (JsonNode t : tools) {
                JsonNode fn = t.has("function") ? t.get("function") : t;
                if (fn.hasNonNull("name")) byName.put(fn.get("name").asText(), fn);
            }
        }
        if (byName.isEmpty()) return null;
        ArrayNode out = NODES.arrayNode();
        byName.forEach((name, fn) -> {
            ObjectNode def = out.addObject();
            def.put("type", "function");
            ObjectNode f = def.putObject("function");
            f.put("name", name);
            if (fn.hasNonNull("description")) f.set("description", fn.get("description"));
            JsonNode params = first(fn, "parameters", "input_schema", "parameters_json_schema");
            if (params != null && params.isObject()) f.set("parameters", params);
        });
        return out;
    }

    /**
     * Tool definitions inferred from the calls in the messages: one function per name, its parameters an
     * object schema with the JSON type of each argument seen first. Null when nothing calls a tool. The same
     * calls give the same (shared, never modified) definitions, remembered per thread: recorded calls repeat
     * a few tool sets over and over, and their token count and JSON are then worked out once per set.
     */
    static ArrayNode inferTools(ArrayNode messages) {
        Map<String, Map<String, String>> byName = new TreeMap<>();
        for (JsonNode m : messages) {
            for (JsonNode call : m.path("tool_calls")) {
                String name = call.path("function").path("name").asText(null);
                if (name == null) continue;
                Map<String, String> properties = byName.computeIfAbsent(name, n -> new TreeMap<>());
                for (String[] field : ARGUMENT_TYPES.get().computeIfAbsent(call.path("function").path("arguments").asText("{}"),
                        OpenAiShapes::argumentTypes)) {
                    properties.putIfAbsent(field[0], field[1]);
                }
            }
        }
        if (byName.isEmpty()) return null;
        return INFERRED.get().computeIfAbsent(byName.toString(), k -> {
            ArrayNode out = NODES.arrayNode();
            byName.forEach((name, properties) -> {
                ObjectNode f = out.addObject().put("type", "function").putObject("function");
                f.put("name", name);
                ObjectNode params = f.putObject("parameters");
                params.put("type", "object");
                ObjectNode sorted = params.putObject("properties");
                properties.forEach((field, type) -> sorted.putObject(field).put("type", type));
            });
            return out;
        });
    }

    /** Inferred tool definitions by the names and argument types they were made from, per thread (bounded). */
    private static final ThreadLocal<Map<String, ArrayNode>> INFERRED = ThreadLocal.withInitial(() ->
            new java.util.LinkedHashMap<>(512, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ArrayNode> eldest) {
                    return size() > 256;
                }
            });

    /**
     * Argument types by arguments text, per thread: recorded conversations repeat the same calls in every
     * later call's history, so most arguments were read before.
     */
    private static final ThreadLocal<Map<String, java.util.List<String[]>>> ARGUMENT_TYPES = ThreadLocal.withInitial(() ->
            new java.util.LinkedHashMap<>(2048, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, java.util.List<String[]>> eldest) {
                    return size() > 1024;
                }
            });

    /** The JSON type of each top-level argument, read without building a tree; empty when not a JSON object. */
    private static java.util.List<String[]> argumentTypes(String arguments) {
        java.util.List<String[]> out = new java.util.ArrayList<>();
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(arguments)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) return out;
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken value = p.nextToken();
                String type = switch (value) {
                    case VALUE_STRING -> "string";
                    case VALUE_NUMBER_INT -> "integer";
                    case VALUE_NUMBER_FLOAT -> "number";
                    case VALUE_TRUE, VALUE_FALSE -> "boolean";
                    case START_ARRAY -> "array";
                    case START_OBJECT -> "object";
                    default -> "null";
                };
                p.skipChildren();
                out.add(new String[]{field, type});
            }
        } catch (java.io.IOException e) {
            // not JSON: the validator rejects the example for it
        }
        return out;
    }

    private static JsonNode first(JsonNode node, String... names) {
        for (String n : names) {
            if (node.has(n)) return node.get(n);
        }
        return null;
    }

    private static String text(JsonNode node, String fallback) {
        return node == null || node.isNull() || !node.isValueNode() ? fallback : node.asText();
    }
}

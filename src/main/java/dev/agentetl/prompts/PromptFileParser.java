package dev.agentetl.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code <name>.prompt} file: YAML front matter between two {@code ---} lines, then the
 * template text. Problems are reported as {@code file:line: reason}.
 */
public final class PromptFileParser {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KEYS = Set.of("name", "project", "type", "description", "usage", "model", "config",
            "tools", "labels", "metadata");
    static final Set<String> TYPES = Set.of("system", "user", "chat", "few_shot", "error_recovery");

    private PromptFileParser() {
    }

    public static PromptDefinition parse(CatalogFile file) {
        String text = file.text().replace("\r\n", "\n");
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (!text.startsWith("---\n")) {
            throw new CatalogException(file.source() + ":1: a prompt file starts with '---' and YAML front matter");
        }
        int end = text.indexOf("\n---\n", 3);
        boolean endsAtEof = end < 0 && text.endsWith("\n---");
        if (end < 0 && !endsAtEof) {
            throw new CatalogException(file.source() + ":1: the front matter is not closed by a '---' line");
        }
        if (endsAtEof) {
            end = text.length() - 4;
        }
        String front = text.substring(4, end + 1);
        String template = endsAtEof ? "" : text.substring(end + 5);
        if (template.endsWith("\n")) {
            template = template.substring(0, template.length() - 1);
        }
        Map<String, Object> m;
        try {
            Object parsed = YAML.readValue(front.isBlank() ? "{}" : front, Object.class);
            if (!(parsed instanceof Map<?, ?>)) {
                throw new CatalogException(file.source() + ":2: the front matter must be a YAML mapping");
            }
            @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) parsed;
            m = map;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 2 : e.getLocation().getLineNr() + 1;
            throw new CatalogException(file.source() + ":" + line + ": invalid YAML: " + e.getOriginalMessage());
        }
        List<String> problems = new ArrayList<>();
        for (String key : m.keySet()) {
            if (!KEYS.contains(key)) {
                problems.add(file.source() + ":" + lineOf(front, key) + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        String name = string(m, "name", defaultName(file.source()));
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,255}")) {
            problems.add(file.source() + ":" + lineOf(front, "name") + ": name must be 1-255 letters, digits, '_', '.' or '-'");
        }
        String type = string(m, "type", "chat");
        if (!TYPES.contains(type)) {
            problems.add(file.source() + ":" + lineOf(front, "type") + ": type must be one of system, user, chat, few_shot, error_recovery; got '" + type + "'");
        }
        if (template.isBlank()) {
            problems.add(file.source() + ":" + (front.split("\n", -1).length + 2) + ": the template after the front matter is empty");
        }
        Object config = m.getOrDefault("config", Map.of());
        Object tools = m.getOrDefault("tools", List.of());
        Object labels = m.getOrDefault("labels", List.of());
        Object metadata = m.getOrDefault("metadata", Map.of());
        if (!(config instanceof Map)) problems.add(file.source() + ":" + lineOf(front, "config") + ": config must be a mapping");
        if (!(tools instanceof List)) problems.add(file.source() + ":" + lineOf(front, "tools") + ": tools must be a list");
        if (!(metadata instanceof Map)) problems.add(file.source() + ":" + lineOf(front, "metadata") + ": metadata must be a mapping");
        if (!(labels instanceof List<?> l) || l.stream().anyMatch(x -> !(x instanceof String s) || s.isBlank() || s.length() > 100 || s.equals("latest"))) {
            problems.add(file.source() + ":" + lineOf(front, "labels") + ": labels must be a list of names (up to 100 characters, not 'latest')");
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(String.join("\n", problems));
        }
        @SuppressWarnings("unchecked") Map<String, Object> cfg = new LinkedHashMap<>((Map<String, Object>) config);
        @SuppressWarnings("unchecked") List<Object> toolList = (List<Object>) tools;
        @SuppressWarnings("unchecked") List<String> labelList = (List<String>) labels;
        @SuppressWarnings("unchecked") Map<String, Object> meta = (Map<String, Object>) metadata;
        return new PromptDefinition(string(m, "project", "default"), name, type, string(m, "description", null),
                string(m, "usage", null), string(m, "model", null), cfg, toolList, labelList, meta, template, file.source());
    }

    private static String string(Map<String, Object> m, String key, String fallback) {
        Object v = m.get(key);
        return v == null ? fallback : v.toString();
    }

    private static String defaultName(String source) {
        String base = source.substring(source.lastIndexOf('/') + 1);
        return base.endsWith(".prompt") ? base.substring(0, base.length() - ".prompt".length()) : base;
    }

    /** The line of the file a front matter key is on (the file's line 1 is the opening ---). */
    private static int lineOf(String front, String key) {
        String[] lines = front.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(key + ":")) {
                return i + 2;
            }
        }
        return 1;
    }
}

package dev.agentetl.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A prompt as a catalog file defines it. */
public record PromptDefinition(String project, String name, String type, String description, String usage, String model,
                               Map<String, Object> config, List<Object> tools, List<String> labels,
                               Map<String, Object> metadata, String template, String sourceFile) {

    static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /**
     * SHA-256 over what changes the prompt's behaviour: type, template, model, config and tools.
     * Description, usage, labels and metadata are documentation: changing them makes no new version.
     */
    public String contentHash() {
        return hash(type, template, model, config, tools);
    }

    /**
     * The behaviour hash of any version, also of one the app wrote itself (no hash recorded for it): no
     * config is an empty mapping and no tools an empty list, as a file without them is read.
     */
    static String hash(String type, String template, String model, Map<String, Object> config, List<Object> tools) {
        Map<String, Object> behaviour = new LinkedHashMap<>();
        behaviour.put("type", type);
        behaviour.put("template", template);
        behaviour.put("model", model);
        behaviour.put("config", config == null ? Map.of() : config);
        behaviour.put("tools", tools == null ? List.of() : tools);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(CANONICAL.writeValueAsString(behaviour).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The version's data as the audit trail records it. */
    public Map<String, Object> auditData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", type);
        data.put("template", template);
        data.put("description", description);
        data.put("usage", usage);
        data.put("model", model);
        data.put("config", config);
        data.put("tools", tools);
        data.put("metadata", metadata);
        data.put("content_hash", contentHash());
        data.put("source_file", sourceFile);
        return data;
    }
}

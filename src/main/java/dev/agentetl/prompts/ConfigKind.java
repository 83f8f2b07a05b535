package dev.agentetl.prompts;

import java.util.List;

/**
 * The YAML configuration files of the catalog beside the prompts: model configurations
 * ({@code *.model.yaml}) and embedding configurations ({@code *.embedding.yaml}).
 * {@code hashed} are the fields that change behaviour: only they make a new version.
 */
enum ConfigKind {
    MODEL(".model.yaml", "model_configs", "model_config",
            List.of("provider", "model"), List.of("provider", "model", "parameters"), true),
    EMBEDDING(".embedding.yaml", "embedding_configs", "embedding_config",
            List.of("embedding_model"), List.of("embedding_model", "chunk_size", "chunk_overlap", "chunking_strategy", "parameters"), false);

    final String suffix;
    final String table;
    final String auditType;
    final List<String> required;
    final List<String> hashed;
    final boolean hasLabels;

    ConfigKind(String suffix, String table, String auditType, List<String> required, List<String> hashed, boolean hasLabels) {
        this.suffix = suffix;
        this.table = table;
        this.auditType = auditType;
        this.required = required;
        this.hashed = hashed;
        this.hasLabels = hasLabels;
    }

    /** The registry column a hashed field of the file is stored in. */
    String column(String field) {
        if (this == MODEL && field.equals("provider")) return "model_provider";
        if (this == MODEL && field.equals("model")) return "model_name";
        return field;
    }

    static ConfigKind of(String source) {
        for (ConfigKind k : values()) {
            if (source.endsWith(k.suffix)) return k;
        }
        return null;
    }
}

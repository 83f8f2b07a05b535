package dev.agentetl.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentetl.db.Transactions;
import dev.agentetl.importing.FileResult;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Model and embedding configurations from the catalog: versioned by a hash of the fields that change
 * behaviour, idempotent, and audited like prompts. A model config's labels sit on one version each.
 * The rows get agent-loggy's columns only; hash and source file go to agent-etl's registry_facts.
 */
final class ConfigImporter {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigImporter() {
    }

    static FileResult importFile(Connection c, CatalogFile file, ConfigKind kind, boolean dryRun, String actor) throws SQLException {
        long t0 = System.nanoTime();
        Map<String, Object> def;
        try {
            def = parse(file, kind);
        } catch (CatalogException e) {
            return FileResult.rejected(file.source(), kind.auditType, 1, ms(t0), List.of(e.getMessage().split("\n")));
        }
        String name = (String) def.get("name");
        String hash = hash(def, kind);
        c.setAutoCommit(false);
        try {
            RegistryLabels.Owner owner = kind.hasLabels ? RegistryLabels.Owner.modelConfig(name) : null;
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "registry:" + kind.auditType + ":" + name);
                lock.execute();
            }
            Integer prevVersion = null;
            String prevHash = null;
            String prevData = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT t.version, f.content_hash, "
                    + "(to_jsonb(t) - 'id' - 'created_at' - 'updated_at' - 'embedding')::text FROM " + kind.table + " t "
                    + "LEFT JOIN registry_facts f ON f.config_type = ? AND f.config_id = t.id AND f.version = t.version AND f.config_name = t.name "
                    + "WHERE t.name = ? ORDER BY t.version DESC LIMIT 1")) {
                ps.setString(1, kind.auditType);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        prevVersion = rs.getInt(1);
                        prevHash = rs.getString(2);
                        prevData = rs.getString(3);
                    }
                }
            }
            if (prevVersion != null && prevHash == null) {
                prevHash = hash(fromRow(prevData, kind), kind); // a version the app wrote: hashed from its columns
            }
            FileResult result;
            if (hash.equals(prevHash)) {
                result = new FileResult(file.source(), kind.auditType, 1, 0, 0, 1, 0, 0, ms(t0), List.of());
            } else {
                int version = prevVersion == null ? 1 : prevVersion + 1;
                long id = insert(c, kind, def, version);
                RegistryFacts.record(c, kind.auditType, id, name, version, hash, file.source(), null, null, actor);
                Map<String, Object> data = new LinkedHashMap<>(def);
                data.put("content_hash", hash);
                data.put("source_file", file.source());
                AuditLog.write(c, new AuditLog.Change(kind.auditType, id, name, prevVersion, version,
                        prevVersion == null ? "create" : "update", (prevVersion == null ? "created" : "new version") + " from " + file.source(),
                        prevData, data, actor));
                if (owner != null) {
                    for (String label : labels(def)) {
                        RegistryLabels.move(c, owner, label, id, version, actor, file.source());
                    }
                }
                result = new FileResult(file.source(), kind.auditType, 1, prevVersion == null ? 1 : 0, prevVersion == null ? 0 : 1,
                        0, 0, 0, ms(t0), List.of());
            }
            if (dryRun) c.rollback(); else c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            Transactions.rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** A stored row's behaviour fields under the file's names (model_provider is the file's provider, ...). */
    private static Map<String, Object> fromRow(String rowJson, ConfigKind kind) {
        Map<String, Object> row;
        try {
            row = JSON.readValue(rowJson, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> def = new LinkedHashMap<>();
        for (String field : kind.hashed) {
            def.put(field, row.get(kind.column(field)));
        }
        return def;
    }

    private static Map<String, Object> parse(CatalogFile file, ConfigKind kind) {
        Object parsed;
        try {
            parsed = YAML.readValue(file.text(), Object.class);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            throw new CatalogException(file.source() + ":" + line + ": invalid YAML: " + e.getOriginalMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new CatalogException(file.source() + ":1: a configuration file is a YAML mapping");
        }
        Set<String> known = new LinkedHashSet<>(List.of("name"));
        known.addAll(kind.hashed);
        if (kind.hasLabels) known.add("labels");
        List<String> problems = new ArrayList<>();
        Map<String, Object> def = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!known.contains(key)) {
                problems.add(file.source() + ":" + lineOf(file.text(), key) + ": unknown key '" + key + "' (known: " + String.join(", ", known) + ")");
            }
            def.put(key, e.getValue());
        }
        if (!(def.get("name") instanceof String n) || !n.matches("[A-Za-z0-9_.-]{1,100}")) {
            problems.add(file.source() + ":" + lineOf(file.text(), "name") + ": name must be 1-100 letters, digits, '_', '.' or '-'");
        }
        for (String required : kind.required) {
            if (!(def.get(required) instanceof String s) || s.isBlank()) {
                problems.add(file.source() + ":" + lineOf(file.text(), required) + ": " + required + " is required");
            }
        }
        for (String number : List.of("chunk_size", "chunk_overlap")) {
            if (def.containsKey(number) && !(def.get(number) instanceof Integer i && i >= 0)) {
                problems.add(file.source() + ":" + lineOf(file.text(), number) + ": " + number + " must be a whole number");
            }
        }
        if (def.containsKey("parameters") && !(def.get("parameters") instanceof Map)) {
            problems.add(file.source() + ":" + lineOf(file.text(), "parameters") + ": parameters must be a mapping");
        }
        if (def.containsKey("labels") && !(def.get("labels") instanceof List<?> l && l.stream().allMatch(x -> x instanceof String))) {
            problems.add(file.source() + ":" + lineOf(file.text(), "labels") + ": labels must be a list of names");
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(String.join("\n", problems));
        }
        return def;
    }

    private static String hash(Map<String, Object> def, ConfigKind kind) {
        Map<String, Object> behaviour = new LinkedHashMap<>();
        for (String k : kind.hashed) behaviour.put(k, def.get(k));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    PromptDefinition.CANONICAL.writeValueAsString(behaviour).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A new version with agent-loggy's columns only (hash and source file go to registry_facts), active;
     * a model configuration's labels are added by the moves that follow.
     */
    private static long insert(Connection c, ConfigKind kind, Map<String, Object> def, int version) throws SQLException {
        String sql = kind == ConfigKind.MODEL
                ? "INSERT INTO model_configs (name, version, model_provider, model_name, parameters, is_active) "
                + "VALUES (?, ?, ?, ?, ?::jsonb, true) RETURNING id"
                : "INSERT INTO embedding_configs (name, version, embedding_model, chunk_size, chunk_overlap, chunking_strategy, "
                + "parameters, is_active) VALUES (?, ?, ?, coalesce(?, 512), coalesce(?, 50), "
                + "coalesce(?, 'late_chunking'), ?::jsonb, true) RETURNING id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, (String) def.get("name"));
            ps.setInt(2, version);
            if (kind == ConfigKind.MODEL) {
                ps.setString(3, (String) def.get("provider"));
                ps.setString(4, (String) def.get("model"));
                ps.setString(5, AuditLog.json(def.get("parameters")));
            } else {
                ps.setString(3, (String) def.get("embedding_model"));
                ps.setObject(4, def.get("chunk_size"), java.sql.Types.INTEGER);
                ps.setObject(5, def.get("chunk_overlap"), java.sql.Types.INTEGER);
                ps.setString(6, (String) def.get("chunking_strategy"));
                ps.setString(7, AuditLog.json(def.get("parameters")));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> labels(Map<String, Object> def) {
        return (List<String>) def.getOrDefault("labels", List.of());
    }

    private static int lineOf(String text, String key) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(key + ":")) return i + 1;
        }
        return 1;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}

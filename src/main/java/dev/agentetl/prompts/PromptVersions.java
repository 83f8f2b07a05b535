package dev.agentetl.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads prompt versions: the registry row (agent-loggy's columns only) with agent-etl's facts about it
 * (registry_facts: behaviour hash, tools, metadata, source file). A version the app wrote itself has no
 * facts; its hash is computed from its columns.
 */
final class PromptVersions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PromptVersions() {
    }

    /** One stored version; {@code data} is its audit JSON; {@code active} is the app's is_active (NULL counts as false). */
    record Version(long id, int version, String contentHash, String template, String data, boolean active) {
    }

    private static final String COLUMNS = """
            p.id, p.version, f.content_hash, p.template, p.type, p.model, p.parameters::text, f.tools::text,
            jsonb_build_object('type', p.type, 'template', p.template, 'description', p.description, 'usage', p.usage,
                               'model', p.model, 'config', p.parameters, 'tools', f.tools, 'metadata', f.metadata,
                               'content_hash', f.content_hash, 'source_file', f.source_file)::text,
            coalesce(p.is_active, false)
            FROM prompts p LEFT JOIN registry_facts f ON f.config_type = 'prompt' AND f.config_id = p.id
                 -- the same id in another registry (one configured before) is another row: version must match too
                 AND f.version = p.version""";

    private static final String SELECT = "SELECT " + COLUMNS + " WHERE p.project = ? AND p.name = ?";

    static Version newest(Connection c, String project, String name) throws SQLException {
        return one(c, SELECT + " ORDER BY p.version DESC LIMIT 1", project, name, null);
    }

    static Version byVersion(Connection c, String project, String name, int version) throws SQLException {
        return one(c, SELECT + " AND p.version = ?", project, name, version);
    }

    /** The version carrying the label (the newest, should the app have put it on more than one). */
    static Version byLabel(Connection c, String project, String name, String label) throws SQLException {
        return one(c, SELECT + " AND ?::text = ANY (p.labels) ORDER BY p.version DESC LIMIT 1", project, name, label);
    }

    /** The behaviour hash of every prompt's newest version, by {@code project:name}. */
    static Map<String, String> newestHashes(Connection c) throws SQLException {
        Map<String, String> hashes = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT DISTINCT ON (p.project, p.name) p.project, p.name, " + COLUMNS + " ORDER BY p.project, p.name, p.version DESC")) {
            while (rs.next()) {
                hashes.put(rs.getString(1) + ":" + rs.getString(2), read(rs, 2).contentHash());
            }
        }
        return hashes;
    }

    private static Version one(Connection c, String sql, String project, String name, Object extra) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, project);
            ps.setString(2, name);
            if (extra instanceof Integer v) {
                ps.setInt(3, v);
            } else if (extra instanceof String label) {
                ps.setString(3, label);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs, 0) : null;
            }
        }
    }

    /** A version from the columns of {@link #COLUMNS}, starting after {@code skip} leading columns. */
    private static Version read(ResultSet rs, int skip) throws SQLException {
        String hash = rs.getString(skip + 3);
        if (hash == null) {
            hash = PromptDefinition.hash(rs.getString(skip + 5), rs.getString(skip + 4), rs.getString(skip + 6),
                    parse(rs.getString(skip + 7), new TypeReference<Map<String, Object>>() { }),
                    parse(rs.getString(skip + 8), new TypeReference<List<Object>>() { }));
        }
        return new Version(rs.getLong(skip + 1), rs.getInt(skip + 2), hash, rs.getString(skip + 4), rs.getString(skip + 9),
                rs.getBoolean(skip + 10));
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        if (json == null) return null;
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            return null; // not a mapping / list: hashed as absent, which at worst makes a new version
        }
    }
}

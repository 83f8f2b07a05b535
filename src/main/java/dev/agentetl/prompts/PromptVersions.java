package dev.agentetl.prompts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads prompt versions. */
final class PromptVersions {

    private PromptVersions() {
    }

    /** One stored version; {@code data} is its audit JSON. */
    record Version(long id, int version, String contentHash, String template, String data) {
    }

    private static final String SELECT = """
            SELECT id, version, content_hash, template,
                   jsonb_build_object('type', type, 'template', template, 'description', description, 'usage', usage,
                                      'model', model, 'config', parameters, 'tools', tools, 'metadata', metadata,
                                      'content_hash', content_hash)::text
            FROM prompts WHERE project = ? AND name = ?""";

    static Version newest(Connection c, String project, String name) throws SQLException {
        return one(c, SELECT + " ORDER BY version DESC LIMIT 1", project, name, null);
    }

    static Version byVersion(Connection c, String project, String name, int version) throws SQLException {
        return one(c, SELECT + " AND version = ?", project, name, version);
    }

    static Version byLabel(Connection c, String project, String name, String label) throws SQLException {
        return one(c, SELECT + " AND id = (SELECT prompt_id FROM prompt_labels WHERE project = ? AND name = ? AND label = ?)",
                project, name, label);
    }

    private static Version one(Connection c, String sql, String project, String name, Object extra) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, project);
            ps.setString(2, name);
            if (extra instanceof Integer v) {
                ps.setInt(3, v);
            } else if (extra instanceof String label) {
                ps.setString(3, project);
                ps.setString(4, name);
                ps.setString(5, label);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Version(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5)) : null;
            }
        }
    }
}

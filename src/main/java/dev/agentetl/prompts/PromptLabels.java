package dev.agentetl.prompts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** Moves a label to a version of a prompt, with an audit row; a label already there is left alone. */
final class PromptLabels {

    private PromptLabels() {
    }

    /** Returns true when the label moved (or was created). */
    static boolean move(Connection c, String project, String name, String label, long promptId, int version,
                        String actor, String sourceFile) throws SQLException {
        Integer previous = null;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT p.id, p.version FROM prompt_labels l JOIN prompts p ON p.id = l.prompt_id
                WHERE l.project = ? AND l.name = ? AND l.label = ? FOR UPDATE OF l""")) {
            ps.setString(1, project);
            ps.setString(2, name);
            ps.setString(3, label);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (rs.getLong(1) == promptId) {
                        return false;
                    }
                    previous = rs.getInt(2);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO prompt_labels (project, name, label, prompt_id, updated_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (project, name, label) DO UPDATE
                SET prompt_id = EXCLUDED.prompt_id, updated_at = now(), updated_by = EXCLUDED.updated_by""")) {
            ps.setString(1, project);
            ps.setString(2, name);
            ps.setString(3, label);
            ps.setLong(4, promptId);
            ps.setString(5, actor);
            ps.executeUpdate();
        }
        AuditLog.write(c, new AuditLog.Change("prompt_label", promptId, project + ":" + name + "@" + label, previous, version,
                "label", "label " + label + ": " + (previous == null ? "new" : "v" + previous) + " -> v" + version,
                previous == null ? null : Map.of("label", label, "version", previous), Map.of("label", label, "version", version),
                actor, sourceFile));
        return true;
    }
}

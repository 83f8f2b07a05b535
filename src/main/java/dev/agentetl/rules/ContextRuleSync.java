package dev.agentetl.rules;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** context_rules keyed by context: create, new version on change, deactivate when gone. */
final class ContextRuleSync implements RuleSync {

    private record Active(long id, int version, String important, String ignore, String description) {
        Map<String, Object> data() {
            return data(important, ignore, description);
        }

        static Map<String, Object> data(String important, String ignore, String description) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("important", important);
            m.put("ignore", ignore);
            m.put("description", description);
            return m;
        }
    }

    private final Connection c;
    private final String actor;
    private final String source;

    ContextRuleSync(Connection c, String actor, String source) {
        this.c = c;
        this.actor = actor;
        this.source = source;
    }

    @Override
    public Counts apply(List<RulesFile.Row> rows) throws SQLException {
        Map<String, Active> active = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT context, id, version, important, ignore, description FROM context_rules WHERE is_active FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                active.put(rs.getString(1), new Active(rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getString(5), rs.getString(6)));
            }
        }
        long created = 0, updated = 0, unchanged = 0, deactivated = 0;
        Set<String> seen = new HashSet<>();
        for (RulesFile.Row row : rows) {
            String context = row.get("context");
            seen.add(context);
            String important = emptyToNull(row.get("important"));
            String ignore = emptyToNull(row.get("ignore"));
            String description = emptyToNull(row.get("description"));
            Active current = active.get(context);
            if (current != null && Objects.equals(current.important(), important) && Objects.equals(current.ignore(), ignore)
                    && Objects.equals(current.description(), description)) {
                unchanged++;
                continue;
            }
            if (current != null) {
                deactivate(current.id());
            }
            int version = nextVersion(context);
            long id = insert(context, version, important, ignore, description);
            RulesImporter.audit(c, "context_rule", id, context, current == null ? null : current.version(), version,
                    current == null ? "create" : "update", current == null ? null : current.data(),
                    Active.data(important, ignore, description), actor, source);
            if (current == null) created++; else updated++;
        }
        for (Map.Entry<String, Active> gone : active.entrySet()) {
            if (!seen.contains(gone.getKey())) {
                deactivate(gone.getValue().id());
                RulesImporter.audit(c, "context_rule", gone.getValue().id(), gone.getKey(), gone.getValue().version(),
                        gone.getValue().version(), "deactivate", gone.getValue().data(), null, actor, source);
                deactivated++;
            }
        }
        return new Counts(created, updated, unchanged, deactivated);
    }

    private void deactivate(long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE context_rules SET is_active = false, updated_at = now() WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    private int nextVersion(String context) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(version), 0) + 1 FROM context_rules WHERE context = ?")) {
            ps.setString(1, context);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private long insert(String context, int version, String important, String ignore, String description) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO context_rules (context, version, important, ignore, description, source_file)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")) {
            ps.setString(1, context);
            ps.setInt(2, version);
            ps.setString(3, important);
            ps.setString(4, ignore);
            ps.setString(5, description);
            ps.setString(6, source);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}

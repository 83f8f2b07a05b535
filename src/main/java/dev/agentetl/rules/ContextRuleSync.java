package dev.agentetl.rules;

import dev.agentetl.prompts.AuditLog;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * context_rules keyed by context: create, new version on change, deactivate when gone. The changes are
 * worked out in memory first and then written in batches, so a 100,000-row file takes seconds.
 */
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

    private record NewVersion(String context, int version, String important, String ignore, String description, Active previous) {
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
        Map<String, Integer> maxVersion = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                // the caller holds the advisory lock of this table, so no row lock is needed
                "SELECT context, id, version, important, ignore, description, is_active FROM context_rules");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getBoolean(7)) {
                    active.put(rs.getString(1), new Active(rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getString(5), rs.getString(6)));
                }
                maxVersion.merge(rs.getString(1), rs.getInt(3), Math::max);
            }
        }
        List<NewVersion> versions = new ArrayList<>();
        List<Long> retired = new ArrayList<>();
        List<AuditLog.Change> changes = new ArrayList<>();
        long unchanged = 0;
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
                retired.add(current.id());
            }
            versions.add(new NewVersion(context, maxVersion.getOrDefault(context, 0) + 1, important, ignore, description, current));
        }
        long deactivated = 0;
        for (Map.Entry<String, Active> gone : active.entrySet()) {
            if (!seen.contains(gone.getKey())) {
                Active a = gone.getValue();
                retired.add(a.id());
                changes.add(new AuditLog.Change("context_rule", a.id(), gone.getKey(), a.version(), a.version(), "deactivate",
                        "deactivate: not in " + source, a.data(), null, actor, source));
                deactivated++;
            }
        }
        deactivate(retired);
        long[] ids = insert(versions);
        long created = 0, updated = 0;
        for (int i = 0; i < versions.size(); i++) {
            NewVersion v = versions.get(i);
            boolean isNew = v.previous() == null;
            changes.add(new AuditLog.Change("context_rule", ids[i], v.context(), isNew ? null : v.previous().version(), v.version(),
                    isNew ? "create" : "update", (isNew ? "create" : "update") + " from " + source,
                    isNew ? null : v.previous().data(), Active.data(v.important(), v.ignore(), v.description()), actor, source));
            if (isNew) created++; else updated++;
        }
        AuditLog.writeAll(c, changes);
        return new Counts(created, updated, unchanged, deactivated);
    }

    private void deactivate(List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE context_rules SET is_active = false, updated_at = now() WHERE id = ANY (?)")) {
            Array array = c.createArrayOf("bigint", ids.toArray());
            ps.setArray(1, array);
            ps.executeUpdate();
        }
    }

    /** Inserts the new versions in batches; ids come from the table's sequence so the audit rows can name them. */
    private long[] insert(List<NewVersion> versions) throws SQLException {
        long[] ids = new long[versions.size()];
        if (versions.isEmpty()) {
            return ids;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT nextval(pg_get_serial_sequence('context_rules', 'id')) FROM generate_series(1, ?)")) {
            ps.setInt(1, versions.size());
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; rs.next(); i++) {
                    ids[i] = rs.getLong(1);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO context_rules (id, context, version, important, ignore, description, source_file)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            for (int i = 0; i < versions.size(); i++) {
                NewVersion v = versions.get(i);
                ps.setLong(1, ids[i]);
                ps.setString(2, v.context());
                ps.setInt(3, v.version());
                ps.setString(4, v.important());
                ps.setString(5, v.ignore());
                ps.setString(6, v.description());
                ps.setString(7, source);
                ps.addBatch();
                if ((i + 1) % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        return ids;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}

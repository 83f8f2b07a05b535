package dev.agentetl.rules;

import dev.agentetl.prompts.AuditLog;
import dev.agentetl.prompts.RegistryFacts;

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
 * worked out in memory first and then written in batches, so a 100,000-row file takes seconds. Only
 * agent-loggy's columns are written (its table may be the app's): no source-file column, no stored
 * important/ignore arrays (a consumer splits the text on commas). At most one version of a context is
 * active: the table has no index that says so, the import holds the table's advisory lock instead.
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
                        "deactivate: not in " + source, a.data(), null, actor));
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
                    isNew ? null : v.previous().data(), Active.data(v.important(), v.ignore(), v.description()), actor));
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

    /**
     * Inserts the new versions (agent-loggy's columns only; active) in one statement per 5,000 rows and
     * returns their ids in the order of {@code versions}; each file has a context at most once, so the
     * returned rows are matched by context. Their source file goes to registry_facts.
     */
    private long[] insert(List<NewVersion> versions) throws SQLException {
        long[] ids = new long[versions.size()];
        Map<String, Long> idOf = new HashMap<>();
        for (int from = 0; from < versions.size(); from += 5_000) {
            List<NewVersion> chunk = versions.subList(from, Math.min(versions.size(), from + 5_000));
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO context_rules (context, version, important, ignore, description, is_active)
                    SELECT u.context, u.version, u.important, u.ignore, u.description, true
                    FROM unnest(?::text[], ?::int[], ?::text[], ?::text[], ?::text[]) AS u (context, version, important, ignore, description)
                    RETURNING id, context""")) {
                ps.setArray(1, c.createArrayOf("text", chunk.stream().map(NewVersion::context).toArray()));
                ps.setArray(2, c.createArrayOf("integer", chunk.stream().map(NewVersion::version).toArray()));
                ps.setArray(3, c.createArrayOf("text", chunk.stream().map(NewVersion::important).toArray()));
                ps.setArray(4, c.createArrayOf("text", chunk.stream().map(NewVersion::ignore).toArray()));
                ps.setArray(5, c.createArrayOf("text", chunk.stream().map(NewVersion::description).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        idOf.put(rs.getString(2), rs.getLong(1));
                    }
                }
            }
        }
        List<Long> idList = new ArrayList<>(versions.size());
        for (int i = 0; i < versions.size(); i++) {
            ids[i] = idOf.get(versions.get(i).context());
            idList.add(ids[i]);
        }
        RegistryFacts.recordAll(c, "context_rule", idList, versions.stream().map(NewVersion::context).toList(),
                versions.stream().map(NewVersion::version).toList(), source, actor);
        return ids;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}

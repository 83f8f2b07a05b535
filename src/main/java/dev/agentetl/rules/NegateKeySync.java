package dev.agentetl.rules;

import dev.agentetl.prompts.RegistryFacts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * negate_keys: a key is its (label, operator, value), so a row is either there or not. A key new to
 * the table (or back after being deactivated) gets a new version; a key missing from the file is deactivated.
 * Only agent-loggy's columns are written; the source file of a new row goes to registry_facts.
 */
final class NegateKeySync implements RuleSync {

    private final Connection c;
    private final String actor;
    private final String source;

    NegateKeySync(Connection c, String actor, String source) {
        this.c = c;
        this.actor = actor;
        this.source = source;
    }

    @Override
    public Counts apply(List<RulesFile.Row> rows) throws SQLException {
        Map<String, long[]> active = new HashMap<>(); // key -> {id, version}
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT label, operator, value, id, version FROM negate_keys WHERE is_active FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                active.put(key(rs.getString(1), rs.getString(2), rs.getString(3)), new long[]{rs.getLong(4), rs.getInt(5)});
            }
        }
        long created = 0, unchanged = 0, deactivated = 0;
        Set<String> seen = new HashSet<>();
        for (RulesFile.Row row : rows) {
            String label = row.get("label"), operator = row.get("operator"), value = row.get("value");
            String key = key(label, operator, value);
            seen.add(key);
            if (active.containsKey(key)) {
                unchanged++;
                continue;
            }
            long[] inserted = insert(label, operator, value);
            RulesImporter.audit(c, "negate_key", inserted[0], key, inserted[1] == 1 ? null : (int) inserted[1] - 1,
                    (int) inserted[1], "create", null, Map.of("label", label, "operator", operator, "value", value), actor, source);
            created++;
        }
        for (Map.Entry<String, long[]> gone : active.entrySet()) {
            if (!seen.contains(gone.getKey())) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE negate_keys SET is_active = false, updated_at = now() WHERE id = ?")) {
                    ps.setLong(1, gone.getValue()[0]);
                    ps.executeUpdate();
                }
                int version = (int) gone.getValue()[1];
                RulesImporter.audit(c, "negate_key", gone.getValue()[0], gone.getKey(), version, version, "deactivate",
                        Map.of("key", gone.getKey()), null, actor, source);
                deactivated++;
            }
        }
        return new Counts(created, 0, unchanged, deactivated);
    }

    private long[] insert(String label, String operator, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO negate_keys (label, operator, value, version, is_active)
                SELECT ?, ?, ?, coalesce(max(version), 0) + 1, true FROM negate_keys WHERE label = ? AND operator = ? AND value = ?
                RETURNING id, version""")) {
            ps.setString(1, label);
            ps.setString(2, operator);
            ps.setString(3, value);
            ps.setString(4, label);
            ps.setString(5, operator);
            ps.setString(6, value);
            long[] inserted;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                inserted = new long[]{rs.getLong(1), rs.getInt(2)};
            }
            RegistryFacts.recordAll(c, "negate_key", List.of(inserted[0]), List.of(key(label, operator, value)),
                    List.of((int) inserted[1]), source, actor);
            return inserted;
        }
    }

    private static String key(String label, String operator, String value) {
        return label + " " + operator + " " + value;
    }
}

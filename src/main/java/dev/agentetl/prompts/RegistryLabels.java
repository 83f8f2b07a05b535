package dev.agentetl.prompts;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code labels} arrays of prompts and model configurations, as the app reads them
 * ({@code 'production' = ANY(labels)}). A label is in the array of at most one version of a name: moving
 * it takes it out of every other version's array in the same transaction, under the name's advisory
 * lock and with every version's row locked ({@code SELECT ... FOR UPDATE}), so two imports or hand
 * moves cannot both put it somewhere. Each move writes a config_changelog row (config_id: the version
 * that received it) and a registry_label_moves row.
 */
final class RegistryLabels {

    private RegistryLabels() {
    }

    /** Whose versions carry the labels: a prompt (project, name) or a model configuration (name). */
    record Owner(String configType, String table, String project, String name) {

        static Owner prompt(String project, String name) {
            return new Owner("prompt", "prompts", project, name);
        }

        static Owner modelConfig(String name) {
            return new Owner("model_config", "model_configs", null, name);
        }

        /** As config_changelog names it: {@code project:name} for prompts (as agent-loggy does), else the name. */
        String changelogName() {
            return project == null ? name : project + ":" + name;
        }

        /** Serializes every writer of this name's versions (imports and hand moves). */
        void lock(Connection c) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                ps.setString(1, "registry:" + configType + ":" + changelogName());
                ps.execute();
            }
        }

        private String where() {
            return project == null ? "name = ?" : "project = ? AND name = ?";
        }

        private int bind(PreparedStatement ps) throws SQLException {
            if (project == null) {
                ps.setString(1, name);
                return 2;
            }
            ps.setString(1, project);
            ps.setString(2, name);
            return 3;
        }
    }

    private record Held(long id, int version, List<String> labels) {
    }

    /**
     * Puts {@code label} on version {@code toId} and takes it off every other version. Returns false when it
     * was already there and nowhere else (nothing written).
     */
    static boolean move(Connection c, Owner owner, String label, long toId, int toVersion, String actor, String sourceFile)
            throws SQLException {
        owner.lock(c);
        Map<Long, Held> versions = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, version, labels FROM " + owner.table()
                + " WHERE " + owner.where() + " ORDER BY version FOR UPDATE")) {
            owner.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array a = rs.getArray(3);
                    List<String> labels = a == null ? List.of() : Arrays.stream((Object[]) a.getArray()).map(String::valueOf).toList();
                    versions.put(rs.getLong(1), new Held(rs.getLong(1), rs.getInt(2), labels));
                }
            }
        }
        Held target = versions.get(toId);
        if (target == null) {
            throw new IllegalStateException(owner.changelogName() + ": no version with id " + toId);
        }
        List<Held> others = versions.values().stream().filter(h -> h.id() != toId && h.labels().contains(label)).toList();
        if (others.isEmpty() && target.labels().contains(label)) {
            return false;
        }
        for (Held h : others) {
            setLabels(c, owner, h.id(), h.labels().stream().filter(l -> !l.equals(label)).toList());
        }
        if (!target.labels().contains(label)) {
            List<String> labels = new ArrayList<>(target.labels());
            labels.add(label);
            setLabels(c, owner, toId, labels);
        }
        Held from = others.isEmpty() ? null : others.get(others.size() - 1); // the newest that had it
        Map<String, Object> to = new LinkedHashMap<>();
        to.put("label", label);
        to.put("id", toId);
        to.put("version", toVersion);
        Map<String, Object> previous = null;
        if (from != null) {
            previous = new LinkedHashMap<>();
            previous.put("label", label);
            previous.put("id", from.id());
            previous.put("version", from.version());
        }
        AuditLog.write(c, new AuditLog.Change(owner.configType(), toId, owner.changelogName(),
                from == null ? null : from.version(), toVersion, "label",
                "label " + label + ": " + (from == null ? "new" : "v" + from.version()) + " -> v" + toVersion
                        + (sourceFile == null ? " (by hand)" : " (import of " + sourceFile + ")"),
                previous, to, actor));
        RegistryFacts.labelMoved(c, owner.configType(), owner.project(), owner.name(), label,
                from == null ? null : from.id(), from == null ? null : from.version(), toId, toVersion, actor, sourceFile);
        return true;
    }

    /**
     * Writes one version's array. Built here rather than with array_remove/array_append, which would need
     * the element type of the table's column (varchar[] in the app's layout, text[] in older installs).
     */
    private static void setLabels(Connection c, Owner owner, long id, List<String> labels) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + owner.table() + " SET labels = ?, updated_at = now() WHERE id = ?")) {
            ps.setArray(1, c.createArrayOf("varchar", labels.toArray()));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }
}

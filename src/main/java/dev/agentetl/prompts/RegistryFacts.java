package dev.agentetl.prompts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * What agent-etl alone keeps about registry rows (V15, agent-etl's own schema): a version's behaviour
 * hash, source file, a prompt's tools and metadata ({@code registry_facts}, keyed by the registry row's
 * id), and every label move ({@code registry_label_moves}). Written in the caller's transaction, so a
 * fact exists exactly when its registry row was committed. The registry tables themselves get only
 * the columns of agent-loggy's layout.
 */
public final class RegistryFacts {

    private RegistryFacts() {
    }

    private static final String UPSERT_TAIL = """
             ON CONFLICT (config_type, config_id) DO UPDATE
            SET config_name = EXCLUDED.config_name, version = EXCLUDED.version, content_hash = EXCLUDED.content_hash,
                source_file = EXCLUDED.source_file, tools = EXCLUDED.tools, metadata = EXCLUDED.metadata,
                recorded_by = EXCLUDED.recorded_by, recorded_at = now()""";

    /** The facts of one new registry row. */
    static void record(Connection c, String configType, long configId, String configName, int version, String contentHash,
                       String sourceFile, Object tools, Object metadata, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO registry_facts (config_type, config_id, config_name, version, content_hash, source_file, tools,
                                            metadata, recorded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)""" + UPSERT_TAIL)) {
            ps.setString(1, configType);
            ps.setLong(2, configId);
            ps.setString(3, configName);
            ps.setInt(4, version);
            ps.setString(5, contentHash);
            ps.setString(6, sourceFile);
            ps.setString(7, AuditLog.json(tools));
            ps.setString(8, AuditLog.json(metadata));
            ps.setString(9, AuditLog.fit(actor, 100));
            ps.executeUpdate();
        }
    }

    /** The source file of many new rows of one rules file, in one statement. */
    public static void recordAll(Connection c, String configType, List<Long> ids, List<String> names, List<Integer> versions,
                                 String sourceFile, String actor) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO registry_facts (config_type, config_id, config_name, version, source_file, recorded_by)
                SELECT ?, u.id, u.name, u.version, ?, ? FROM unnest(?::bigint[], ?::text[], ?::int[]) AS u (id, name, version)"""
                + UPSERT_TAIL)) {
            ps.setString(1, configType);
            ps.setString(2, sourceFile);
            ps.setString(3, AuditLog.fit(actor, 100));
            ps.setArray(4, c.createArrayOf("bigint", ids.toArray()));
            ps.setArray(5, c.createArrayOf("text", names.toArray()));
            ps.setArray(6, c.createArrayOf("integer", versions.toArray()));
            ps.executeUpdate();
        }
    }

    /** One label move; {@code from} is null when the label was on no version, {@code sourceFile} null for a move by hand. */
    static void labelMoved(Connection c, String configType, String project, String name, String label, Long fromId,
                           Integer fromVersion, long toId, int toVersion, String actor, String sourceFile) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO registry_label_moves (config_type, project, name, label, from_id, from_version, to_id, to_version,
                                                  moved_by, source_file)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, configType);
            ps.setString(2, project);
            ps.setString(3, name);
            ps.setString(4, label);
            if (fromId == null) ps.setNull(5, Types.BIGINT); else ps.setLong(5, fromId);
            if (fromVersion == null) ps.setNull(6, Types.INTEGER); else ps.setInt(6, fromVersion);
            ps.setLong(7, toId);
            ps.setInt(8, toVersion);
            ps.setString(9, AuditLog.fit(actor, 100));
            ps.setString(10, sourceFile);
            ps.executeUpdate();
        }
    }
}

package dev.agentetl.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Writes config_changelog rows inside the caller's transaction, with only the columns of agent-loggy's
 * layout (the app's own table may be the one written). That layout has no source-file column: the file
 * is named in the summary, and kept in agent-etl's registry_facts / registry_label_moves.
 */
public final class AuditLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditLog() {
    }

    /** One change of one configuration row; ids and versions are the real ones. */
    public record Change(String configType, long configId, String configName, Integer previousVersion, int newVersion,
                         String changeType, String summary, Object previousData, Object newData, String actor) {
    }

    private static final String INSERT = """
            INSERT INTO config_changelog (config_type, config_id, config_name, previous_version, new_version, change_type,
                   change_summary, previous_data, new_data, changed_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)""";

    public static void write(Connection c, Change ch) throws SQLException {
        writeAll(c, List.of(ch));
    }

    /** Writes many changes in one batch (large rule files change thousands of rows at once). */
    public static void writeAll(Connection c, List<Change> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            int pending = 0;
            for (Change ch : changes) {
                bind(ps, ch);
                ps.addBatch();
                if (++pending == 1000) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    private static void bind(PreparedStatement ps, Change ch) throws SQLException {
        ps.setString(1, ch.configType());
        ps.setLong(2, ch.configId());
        ps.setString(3, fit(ch.configName(), 255));
        if (ch.previousVersion() == null) ps.setNull(4, Types.INTEGER); else ps.setInt(4, ch.previousVersion());
        ps.setInt(5, ch.newVersion());
        ps.setString(6, ch.changeType());
        ps.setString(7, ch.summary());
        ps.setString(8, json(ch.previousData()));
        ps.setString(9, json(ch.newData()));
        ps.setString(10, fit(ch.actor(), 100));
    }

    /** The value cut to a varchar(n) column of the seed layout (names and actors can be longer). */
    static String fit(String s, int n) {
        return s == null || s.length() <= n ? s : s.substring(0, n);
    }

    static String json(Object value) {
        if (value == null) return null;
        if (value instanceof String s) return s;
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

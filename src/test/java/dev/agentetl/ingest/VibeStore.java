package dev.agentetl.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A VibeAgent store as its DatabaseManager writes it: the seed's DDL, then rows with JSON from json.dumps
 * (non-ASCII as \\uXXXX, emoji as surrogate pairs), booleans as 0/1, CURRENT_TIMESTAMP defaults (UTC) and
 * Python's str(datetime.now()) where the app sets a time itself (local, with microseconds).
 */
final class VibeStore implements AutoCloseable {

    final Path file;
    final Connection c;

    private VibeStore(Path file) throws SQLException {
        this.file = file;
        this.c = DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    static VibeStore reopen(Path file) throws SQLException {
        return new VibeStore(file);
    }

    static VibeStore create(Path file) throws SQLException, IOException {
        VibeStore s = new VibeStore(file);
        StoreWriter.createTables(s.c);
        return s;
    }

    long insert(String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
            ps.executeUpdate();
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long session(String sessionId, String model, String metadataJson) throws SQLException {
        return insert("INSERT INTO sessions (session_id, session_type, orchestrator_type, model, metadata) VALUES (?, 'production', 'react', ?, ?)",
                sessionId, model, metadataJson);
    }

    long message(long session, int index, String role, String content, Long parent, String metadataJson) throws SQLException {
        return insert("INSERT INTO messages (session_id, message_index, role, content, model, temperature, parent_message_id, metadata) "
                + "VALUES (?, ?, ?, ?, 'gpt-4o', 0.1, ?, ?)", session, index, role, content, parent, metadataJson);
    }

    long toolCall(long session, int index, String tool, String parametersJson, boolean success) throws SQLException {
        return insert("INSERT INTO tool_calls (session_id, call_index, tool_name, parameters, execution_time_ms, success, error_type) "
                + "VALUES (?, ?, ?, ?, 120, ?, ?)", session, index, tool, parametersJson, success ? 1 : 0, success ? null : "network");
    }

    long toolResult(long call, boolean success, String dataJson) throws SQLException {
        return insert("INSERT INTO tool_results (tool_call_id, success, data, result_size_bytes) VALUES (?, ?, ?, 42)",
                call, success ? 1 : 0, dataJson);
    }

    void finish(long session, String status, String pythonNow) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE sessions SET final_status = ?, total_iterations = 3, total_tool_calls = 2, total_duration_ms = 5120, updated_at = ? WHERE id = ?")) {
            ps.setString(1, status);
            ps.setString(2, pythonNow);
            ps.setLong(3, session);
            ps.executeUpdate();
        }
    }

    void exec(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    Object value(String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}

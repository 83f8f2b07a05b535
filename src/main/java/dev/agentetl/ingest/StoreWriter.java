package dev.agentetl.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * Writes a VibeAgent-style store as its DatabaseManager would: the seed's DDL (resource vibeagent/store.sql),
 * sessions with messages, tool calls and results, reasoning steps and metrics; JSON from json.dumps (non-ASCII
 * escaped), booleans 0/1, SQLite's CURRENT_TIMESTAMP (UTC) for creation times and Python's str(datetime.now())
 * (local) when a session ends. For the demo and the ingest benchmark; deterministic for a seed.
 */
public final class StoreWriter {

    private static final DateTimeFormatter PY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final String[] TOOLS = {"web_search", "code_executor", "read_file", "write_file", "calculator"};
    private static final String[] MODELS = {"gpt-4o", "claude-sonnet-4", "gemini-2.5-pro"};

    private final Path file;
    private final SplittableRandom random;

    public StoreWriter(Path file, long seed) {
        this.file = file;
        this.random = new SplittableRandom(seed);
    }

    /** A new store (the file must not exist) with {@code sessions} sessions; returns the rows written. */
    public long create(int sessions) throws SQLException, IOException {
        if (Files.exists(file)) throw new IllegalStateException(file + " already exists");
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            createTables(c);
            return prompts(c) + add(c, 0, sessions);
        }
    }

    /** The seed's DDL, as DatabaseManager._initialize_database runs it (statement by statement). */
    public static void createTables(Connection c) throws SQLException, IOException {
        try (Statement st = c.createStatement(); InputStream in = StoreWriter.class.getResourceAsStream("/vibeagent/store.sql")) {
            for (String sql : new String(in.readAllBytes(), StandardCharsets.UTF_8).split(";\\s*\\n")) {
                if (!sql.replaceAll("(?m)^--.*$", "").isBlank()) st.executeUpdate(sql);
            }
        }
    }

    /** Adds sessions after the existing ones and ends a share of the open ones, as a running agent does. */
    public long grow(int sessions, int finishOpen) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            long rows = 0;
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE sessions SET final_status = 'success', total_duration_ms = ?, "
                    + "updated_at = ? WHERE id IN (SELECT id FROM sessions WHERE final_status IS NULL ORDER BY id LIMIT ?)")) {
                ps.setInt(1, 1000 + random.nextInt(60000));
                ps.setString(2, PY.format(LocalDateTime.now()));
                ps.setInt(3, finishOpen);
                rows += ps.executeUpdate();
            }
            c.commit();
            long existing;
            try (Statement st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM sessions")) {
                rs.next();
                existing = rs.getLong(1);
            }
            return rows + add(c, existing, sessions);
        }
    }

    private long add(Connection c, long first, int sessions) throws SQLException {
        c.setAutoCommit(false);
        long rows = 0;
        try (PreparedStatement session = c.prepareStatement("INSERT INTO sessions (session_id, session_type, orchestrator_type, model, "
                + "total_iterations, total_tool_calls, final_status, metadata) VALUES (?, 'production', 'react', ?, ?, 2, ?, ?)");
             PreparedStatement message = c.prepareStatement("INSERT INTO messages (session_id, message_index, role, content, "
                     + "tokens_input, tokens_output, model, temperature, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, 0.2, ?)");
             PreparedStatement call = c.prepareStatement("INSERT INTO tool_calls (session_id, call_index, tool_name, parameters, "
                     + "execution_time_ms, success, error_type, is_parallel) VALUES (?, ?, ?, ?, ?, ?, ?, 0)");
             PreparedStatement result = c.prepareStatement("INSERT INTO tool_results (tool_call_id, success, data, error, result_size_bytes) "
                     + "VALUES (?, ?, ?, ?, ?)");
             PreparedStatement step = c.prepareStatement("INSERT INTO reasoning_steps (session_id, iteration, step_type, content) VALUES (?, 1, 'thought', ?)");
             PreparedStatement metric = c.prepareStatement("INSERT INTO performance_metrics (session_id, metric_name, metric_value, metric_unit) "
                     + "VALUES (?, 'latency', ?, 'ms')");
             PreparedStatement events = c.prepareStatement("INSERT INTO system_events (event_type, event_level, message, details) "
                     + "VALUES (?, ?, ?, ?)");
             PreparedStatement insight = c.prepareStatement("INSERT INTO insights (insight_type, title, description, severity, data, "
                     + "acknowledged, acknowledged_at) VALUES ('anomaly', ?, 'Failure rate above the baseline', 'warning', ?, ?, ?)");
             Statement ids = c.createStatement()) {
            for (long s = first + 1; s <= first + sessions; s++) {
                String model = MODELS[random.nextInt(MODELS.length)];
                boolean finished = random.nextInt(10) > 0;
                session.setString(1, "sess-" + s);
                session.setString(2, model);
                session.setInt(3, 1 + random.nextInt(6));
                session.setString(4, finished ? "success" : null);
                session.setString(5, random.nextInt(4) == 0 ? null : "{\"project\": \"caf\\u00e9-" + (s % 7) + "\", \"user\": \"u" + (s % 100) + "\"}");
                session.executeUpdate();
                long sessionId = lastId(ids);
                rows++;
                String[] roles = {"system", "user", "assistant", "tool", "assistant", "user"};
                for (int m = 0; m < roles.length; m++) {
                    message.setLong(1, sessionId);
                    message.setInt(2, m);
                    message.setString(3, roles[m]);
                    message.setString(4, roles[m].equals("user") ? "Find \"the\" answer for case " + s + "\nplease \u2014 \ud83d\ude80"
                            : "Reply " + m + " of session " + s);
                    message.setInt(5, 100 + random.nextInt(900));
                    message.setInt(6, 10 + random.nextInt(300));
                    message.setString(7, model);
                    message.setString(8, m == 3 ? "{\"tool_call_id\": \"call_" + s + "\"}" : null);
                    message.addBatch();
                }
                message.executeBatch();
                rows += roles.length;
                for (int k = 0; k < 2; k++) {
                    boolean ok = random.nextInt(10) > 0;
                    call.setLong(1, sessionId);
                    call.setInt(2, k);
                    call.setString(3, TOOLS[random.nextInt(TOOLS.length)]);
                    call.setString(4, "{\"query\": \"M\\u00fcnchen " + s + "\", \"limit\": " + (k + 5) + "}");
                    call.setInt(5, 20 + random.nextInt(2000));
                    call.setInt(6, ok ? 1 : 0);
                    call.setString(7, ok ? null : "network");
                    call.executeUpdate();
                    long callId = lastId(ids);
                    result.setLong(1, callId);
                    result.setInt(2, ok ? 1 : 0);
                    result.setString(3, ok ? "{\"items\": [" + k + ", " + s + "]}" : null);
                    result.setString(4, ok ? null : "timeout after 30 s");
                    result.setInt(5, 64 + random.nextInt(4096));
                    result.executeUpdate();
                    rows += 2;
                }
                step.setLong(1, sessionId);
                step.setString(2, "I should look this up first.");
                step.executeUpdate();
                metric.setLong(1, sessionId);
                metric.setDouble(2, 100 + random.nextDouble() * 900);
                metric.executeUpdate();
                rows += 2;
                if (s % 100 == 1) { // what the app records at start-up and on errors
                    events.setString(1, s % 200 == 1 ? "startup" : "error");
                    events.setString(2, s % 200 == 1 ? "info" : "warning");
                    events.setString(3, s % 200 == 1 ? "VibeAgent started" : "tool web_search failed: \"timeout\"\nretrying");
                    events.setString(4, s % 200 == 1 ? null : "{\"session\": \"sess-" + s + "\", \"attempt\": 2}");
                    events.executeUpdate();
                    rows++;
                }
                if (s % 500 == 1) {
                    insight.setString(1, "Tool failures in session " + s);
                    insight.setString(2, "{\"tool\": \"web_search\", \"failure_rate\": 0.25, \"note\": \"\\ud83d\\udd25\"}");
                    insight.setInt(3, s % 1000 == 1 ? 1 : 0);
                    insight.setString(4, s % 1000 == 1 ? "2026-11-30 08:00:00" : null);
                    insight.executeUpdate();
                    rows++;
                }
                if (s % 1000 == 0) c.commit();
            }
            c.commit();
        }
        return rows;
    }

    /** The prompt versions and an export record an agent's first run leaves (the tables seed 000 numbers 13 and 19). */
    private static long prompts(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO prompts (prompt_name, prompt_type, version, content, model, active, metadata) VALUES "
                    + "('react_system', 'system', 1, 'You are a careful agent.\nUse tools when unsure.', NULL, 0, NULL), "
                    + "('react_system', 'system', 2, 'You are a careful agent. Say \"I don''t know\" when unsure.', 'gpt-4o', 1, "
                    + "'{\"author\": \"ren\\u00e9e\", \"tags\": [\"v2\"]}'), "
                    + "('recovery', 'error_recovery', 1, 'The tool failed: {error}. Try another way.', NULL, 1, '{}')");
            st.executeUpdate("INSERT INTO exports (export_type, filters, record_count, file_path, created_by) VALUES "
                    + "('json', '{\"model\": \"gpt-4o\"}', 0, 'exports/sessions.json', 'vibeagent')");
        }
        return 4;
    }

    private static long lastId(Statement st) throws SQLException {
        try (var rs = st.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

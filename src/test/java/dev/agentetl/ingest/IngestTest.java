package dev.agentetl.ingest;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** VibeAgent's store into the interactions group: every value kept, incremental, idempotent, and refused when it is not a store. */
class IngestTest {

    @TempDir
    Path dir;
    AppConfig config;
    Path storeFile;

    /** Text the way json.dumps writes it (ensure_ascii): é as \\u00e9, the rocket as a surrogate pair. */
    static final String META = "{\"project\": \"caf\\u00e9 \\ud83d\\ude80\", \"quote\": \"say \\\"hi\\\"\\nnext\", \"n\": 1.5}";
    static final String USER_TEXT = "Line one\nLine \"two\" with 'quotes', a tab\tand é 🚀";
    static final String PY_NOW = "2026-11-03 10:14:02.118000"; // str(datetime.now()) in Europe/Berlin

    @BeforeEach
    void setUp() throws Exception {
        config = TestDatabases.migratedConfig().with(Map.of("agent-etl.ingest.source-time-zone", "Europe/Berlin",
                "agent-etl.ingest.busy-timeout-ms", "500"));
        storeFile = dir.resolve("vibeagent.db");
        try (VibeStore s = VibeStore.create(storeFile)) {
            long open = s.session("sess-open", "gpt-4o", META);
            long done = s.session("sess-done", "claude-sonnet-4", null);
            long sys = s.message(open, 0, "system", "You are helpful.", null, null);
            s.message(open, 1, "user", USER_TEXT, sys, null);
            long call = s.toolCall(open, 0, "web_search", "{\"q\": \"weather in M\\u00fcnchen\"}", true);
            s.toolResult(call, true, "{\"items\": [1, 2, 3]}");
            s.message(open, 2, "assistant", "It is sunny.", null, "{\"tool_call_id\": null}");
            s.message(done, 0, "user", "hi", null, null);
            s.message(done, 1, "assistant", "hello", null, null);
            long failed = s.toolCall(done, 0, "code_executor", "{}", false);
            s.toolResult(failed, false, null);
            s.finish(done, "success", "2026-11-03 10:20:00.500000");
            long tc = s.insert("INSERT INTO test_cases (name, category, messages, tools, expect_no_tools) VALUES ('weather', 'simple', ?, '[]', 0)",
                    "[{\"role\": \"user\", \"content\": \"weather?\"}]");
            long run = s.insert("INSERT INTO test_runs (test_case_id, session_id, run_number, status, started_at) VALUES (?, ?, 1, 'running', ?)",
                    tc, open, PY_NOW);
            s.insert("INSERT INTO judge_evaluations (test_run_id, tool_call_id, judge_model, passed, confidence) VALUES (?, ?, 'gpt-4o', 1, 0.92)",
                    run, call);
            long tag = s.insert("INSERT INTO tags (tag_name, tag_type) VALUES ('vip', 'priority')");
            s.insert("INSERT INTO entity_tags (entity_type, entity_id, tag_id) VALUES ('session', ?, ?)", done, tag);
            // the four tables whose names are taken in PostgreSQL (the registry's prompts, agent-etl's own three)
            s.insert("INSERT INTO prompts (prompt_name, prompt_type, version, content, active, metadata) VALUES ('react', 'system', 2, ?, 1, ?)",
                    USER_TEXT, META);
            s.insert("INSERT INTO insights (insight_type, title, severity, data, acknowledged, acknowledged_at) "
                    + "VALUES ('anomaly', 'Failures up', 'warning', '{\"rate\": 0.25}', 1, '2026-11-03 09:00:00')");
            s.insert("INSERT INTO exports (export_type, filters, record_count, file_path) VALUES ('csv', NULL, 12, 'out/s.csv')");
            s.insert("INSERT INTO system_events (event_type, event_level, message, details) VALUES ('startup', 'info', 'started', ?)", META);
        }
    }

    private CliRun ingest(String... extra) {
        String[] args = new String[extra.length + 3];
        args[0] = "ingest";
        args[1] = "--from";
        args[2] = "sqlite:" + storeFile;
        System.arraycopy(extra, 0, args, 3, extra.length);
        return CliRun.of(config, args);
    }

    @Test
    void should_keep_every_value_and_map_every_reference() throws Exception {
        CliRun run = ingest();
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().matches("(?s).*sessions\\s+2\\s+2\\s+0\\s+0\\s+0.*"), run.out());
        assertTrue(run.out().contains("prompts, insights, exports, system_events ingested into vibeagent_<table>"), run.out());
        try (Connection c = TestDatabases.connect(config); VibeStore s = open()) {
            assertEquals("café 🚀", Sql.value(c, "SELECT metadata->>'project' FROM sessions WHERE session_id = 'sess-open'"));
            assertEquals("say \"hi\"\nnext", Sql.value(c, "SELECT metadata->>'quote' FROM sessions WHERE session_id = 'sess-open'"));
            assertEquals(null, Sql.value(c, "SELECT metadata FROM sessions WHERE session_id = 'sess-done'"), "NULL stays NULL");
            assertEquals(USER_TEXT, Sql.value(c, "SELECT m.content FROM messages m JOIN sessions s ON s.id = m.session_id "
                    + "WHERE s.session_id = 'sess-open' AND m.role = 'user'"), "text byte for byte");
            assertEquals("weather in München", Sql.value(c, "SELECT parameters->>'q' FROM tool_calls WHERE tool_name = 'web_search'"));
            assertEquals(Boolean.FALSE, Sql.value(c, "SELECT success FROM tool_calls WHERE tool_name = 'code_executor'"));
            assertEquals(0.1, Sql.number(c, "SELECT temperature FROM messages WHERE role = 'system'").doubleValue(), 0.0);
            // every reference points at the row the store's reference points at
            assertEquals(2, Sql.count(c, "SELECT count(*) FROM messages m JOIN sessions s ON s.id = m.session_id WHERE s.session_id = 'sess-done'"));
            assertEquals("You are helpful.", Sql.value(c, "SELECT p.content FROM messages m JOIN messages p ON p.id = m.parent_message_id WHERE m.role = 'user' AND m.message_index = 1"));
            assertEquals("web_search", Sql.value(c, "SELECT t.tool_name FROM judge_evaluations j JOIN tool_calls t ON t.id = j.tool_call_id"));
            assertEquals("sess-done", Sql.value(c, "SELECT s.session_id FROM entity_tags e JOIN sessions s ON s.id = e.entity_id"));
            // SQLite's CURRENT_TIMESTAMP is UTC; Python's datetime.now() is local (Europe/Berlin here)
            String utc = (String) s.value("SELECT created_at FROM sessions WHERE session_id = 'sess-open'");
            assertEquals(LocalDateTime.parse(utc.replace(' ', 'T')).atOffset(ZoneOffset.UTC).toInstant(),
                    instant(c, "SELECT created_at FROM sessions WHERE session_id = 'sess-open'"));
            assertEquals(LocalDateTime.parse(PY_NOW.replace(' ', 'T')).atZone(ZoneId.of("Europe/Berlin")).toInstant(),
                    instant(c, "SELECT started_at FROM test_runs"));
            assertEquals(LocalDateTime.parse("2026-11-03T10:20:00.5").atZone(ZoneId.of("Europe/Berlin")).toInstant(),
                    instant(c, "SELECT updated_at FROM sessions WHERE session_id = 'sess-done'"));
            // the four renamed tables: in agent-etl's schema, every value kept
            assertEquals(USER_TEXT, Sql.value(c, "SELECT content FROM agent_etl.vibeagent_prompts WHERE prompt_name = 'react' AND version = 2"));
            assertEquals("café 🚀", Sql.value(c, "SELECT metadata->>'project' FROM agent_etl.vibeagent_prompts"));
            assertEquals(Boolean.TRUE, Sql.value(c, "SELECT active FROM agent_etl.vibeagent_prompts"));
            assertEquals(Boolean.TRUE, Sql.value(c, "SELECT acknowledged FROM agent_etl.vibeagent_insights"));
            assertEquals(OffsetDateTime.parse("2026-11-03T09:00:00Z").toInstant(), instant(c, "SELECT acknowledged_at FROM agent_etl.vibeagent_insights"));
            assertEquals(0.25, Sql.number(c, "SELECT (data->>'rate')::float8 FROM agent_etl.vibeagent_insights").doubleValue(), 0.0);
            assertEquals(null, Sql.value(c, "SELECT filters FROM agent_etl.vibeagent_exports"), "NULL stays NULL");
            assertEquals(12L, Sql.count(c, "SELECT record_count FROM agent_etl.vibeagent_exports"));
            assertEquals("say \"hi\"\nnext", Sql.value(c, "SELECT details->>'quote' FROM agent_etl.vibeagent_system_events"));
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM agent_etl.system_events WHERE message = 'started'"), "not agent-etl's own events");
            for (String[] t : new String[][]{{"sessions", "sessions"}, {"messages", "messages"}, {"tool_calls", "tool_calls"},
                    {"tool_results", "tool_results"}, {"test_cases", "test_cases"}, {"test_runs", "test_runs"},
                    {"judge_evaluations", "judge_evaluations"}, {"tags", "tags"}, {"entity_tags", "entity_tags"},
                    {"prompts", "agent_etl.vibeagent_prompts"}, {"insights", "agent_etl.vibeagent_insights"},
                    {"exports", "agent_etl.vibeagent_exports"}, {"system_events", "agent_etl.vibeagent_system_events"}}) {
                assertEquals(((Number) s.value("SELECT count(*) FROM " + t[0])).longValue(), Sql.count(c, "SELECT count(*) FROM " + t[1]), t[1]);
                assertTrue(Sql.count(c, "SELECT count(*) FROM " + t[1]) > 0, t[1]);
                assertEquals(Sql.count(c, "SELECT count(*) FROM " + t[1]), Sql.count(c, "SELECT count(*) FROM agent_etl.ingest_keys k JOIN "
                        + t[1] + " x ON x.id = k.target_id WHERE k.source_table = '" + t[0] + "'"), t[1] + " lineage");
            }
        }
    }

    @Test
    void should_report_a_dry_run_and_write_nothing() throws Exception {
        CliRun dry = ingest("--dry-run");
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(dry.out().startsWith("ingest (dry run, nothing written)"), dry.out());
        assertTrue(dry.out().matches("(?s).*messages\\s+5\\s+5\\s+0\\s+0\\s+0.*"), dry.out());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM sessions"));
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM agent_etl.ingest_keys"));
        }
    }

    @Test
    void should_write_nothing_on_a_rerun_and_exactly_the_change_after_the_store_grew() throws Exception {
        assertEquals(0, ingest().exit());
        String before;
        try (Connection c = TestDatabases.connect(config)) {
            before = snapshot(c);
        }
        CliRun again = ingest();
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("0 written"), again.out());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(before, snapshot(c), "a re-run changes no row");
        }
        try (VibeStore s = open()) {
            long open = ((Number) s.value("SELECT id FROM sessions WHERE session_id = 'sess-open'")).longValue();
            s.finish(open, "error", "2026-11-03 11:00:00.000001");
            long third = s.session("sess-new", "gpt-4o", "{}");
            s.message(third, 0, "user", "new", null, null);
        }
        CliRun grown = ingest();
        assertEquals(0, grown.exit(), grown.err());
        assertTrue(grown.out().matches("(?s).*sessions\\s+3\\s+1\\s+1\\s+1\\s+0.*"), grown.out());
        assertTrue(grown.out().matches("(?s).*messages\\s+6\\s+1\\s+0\\s+5\\s+0.*"), grown.out());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals("error", Sql.value(c, "SELECT final_status FROM sessions WHERE session_id = 'sess-open'"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM messages m JOIN sessions s ON s.id = m.session_id WHERE s.session_id = 'sess-new'"));
        }
    }

    /**
     * Sessions are compared by a hash of the text SQLite builds for each row against the hash kept in the key map,
     * the map read block by block alongside: a change to one column only, with updated_at left as it was, is found
     * wherever the row lies in the map, including a NULL become an empty text and a value holding the separator.
     */
    @Test
    void should_find_a_session_changed_in_any_column_among_thousands_without_its_time_touched() throws Exception {
        try (VibeStore s = open()) {
            s.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9000) "
                    + "INSERT INTO sessions (session_id, session_type, model, error_message, updated_at) "
                    + "SELECT 'bulk-' || i, 'chat', 'gpt-4o', CASE WHEN i % 2 = 0 THEN NULL ELSE 'e' || i END, '2026-11-03 09:00:00' FROM n");
        }
        CliRun first = ingest();
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().matches("(?s).*sessions\\s+9,002\\s+9,002\\s+0\\s+0\\s+0.*"), first.out());
        try (VibeStore s = open()) {
            s.exec("UPDATE sessions SET error_message = '' WHERE session_id = 'bulk-8000'");          // NULL -> empty text
            s.exec("UPDATE sessions SET model = 'gpt' || char(1) || '4o' WHERE session_id = 'bulk-6001'"); // the separator in a value
            s.exec("UPDATE sessions SET total_iterations = 7 WHERE session_id = 'bulk-4097'");        // past the first block of keys
            s.exec("UPDATE sessions SET error_message = 'e13' WHERE session_id = 'bulk-31'");         // same length, one character
            s.exec("DELETE FROM sessions WHERE session_id = 'bulk-4500'");
        }
        CliRun changed = ingest();
        assertEquals(0, changed.exit(), changed.err());
        assertTrue(changed.out().matches("(?s).*sessions\\s+9,001\\s+0\\s+4\\s+8,997\\s+0\\s+1\\n.*"), changed.out());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals("", Sql.value(c, "SELECT error_message FROM sessions WHERE session_id = 'bulk-8000'"));
            assertEquals("gpt\u00014o", Sql.value(c, "SELECT model FROM sessions WHERE session_id = 'bulk-6001'"));
            assertEquals(7L, Sql.count(c, "SELECT total_iterations FROM sessions WHERE session_id = 'bulk-4097'"));
            assertEquals("e13", Sql.value(c, "SELECT error_message FROM sessions WHERE session_id = 'bulk-31'"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM sessions WHERE session_id = 'bulk-4500'"), "kept without --sync-deletes");
        }
        CliRun again = ingest();
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().matches("(?s).*sessions\\s+9,001\\s+0\\s+0\\s+9,001\\s+0\\s+1\\n.*"), again.out());
        assertTrue(again.out().contains("0 written"), again.out());
    }

    /**
     * SQLite's text of a REAL (1.0e+20) or a BLOB is not the text a row's hash is taken from: such rows are compared
     * value by value, so a REAL changed in its last digit is found, and nothing is written when nothing changed.
     */
    @Test
    void should_find_a_real_changed_in_its_last_digit_and_a_changed_blob_and_write_nothing_when_they_stay() throws Exception {
        try (VibeStore s = open()) {
            // json.dumps(0.1) into a JSON column (NUMERIC affinity) is stored as a REAL; bytes passed from Python as a BLOB
            s.exec("UPDATE sessions SET metadata = 0.1 WHERE session_id = 'sess-open'");
            s.exec("UPDATE sessions SET error_message = X'636166C3A9' WHERE session_id = 'sess-done'");
        }
        CliRun first = ingest();
        assertEquals(0, first.exit(), first.out() + first.err());
        assertTrue(first.out().matches("(?s).*sessions\\s+2\\s+2\\s+0\\s+0\\s+0.*"), first.out());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals("0.1", Sql.value(c, "SELECT metadata::text FROM sessions WHERE session_id = 'sess-open'"));
            assertEquals("café", Sql.value(c, "SELECT error_message FROM sessions WHERE session_id = 'sess-done'"));
        }
        CliRun same = ingest();
        assertTrue(same.out().contains("0 written"), same.out());
        try (VibeStore s = open()) {
            s.exec("UPDATE sessions SET metadata = 0.10000000000000002 WHERE session_id = 'sess-open'");
            s.exec("UPDATE sessions SET error_message = X'636166C3A8' WHERE session_id = 'sess-done'");
        }
        CliRun changed = ingest();
        assertEquals(0, changed.exit(), changed.out() + changed.err());
        assertTrue(changed.out().matches("(?s).*sessions\\s+2\\s+0\\s+2\\s+0\\s+0.*"), changed.out());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals("0.10000000000000002", Sql.value(c, "SELECT metadata::text FROM sessions WHERE session_id = 'sess-open'"));
            assertEquals("cafè", Sql.value(c, "SELECT error_message FROM sessions WHERE session_id = 'sess-done'"));
        }
        CliRun again = ingest();
        assertTrue(again.out().contains("0 written"), again.out());
        assertTrue(again.out().matches("(?s).*sessions\\s+2\\s+0\\s+0\\s+2\\s+0.*"), again.out());
    }

    @Test
    void should_reject_a_bad_row_with_its_reason_and_keep_the_rest() throws Exception {
        try (VibeStore s = open()) {
            long sess = ((Number) s.value("SELECT id FROM sessions WHERE session_id = 'sess-done'")).longValue();
            s.toolCall(sess, 1, "broken", "{not json", true);
        }
        CliRun run = ingest();
        assertEquals(1, run.exit(), "a rejected row makes the exit non-zero");
        assertTrue(run.err().contains("tool_calls: 1 row(s) rejected, invalid_json:parameters"), run.err());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(2, Sql.count(c, "SELECT count(*) FROM tool_calls"), "the good rows are kept");
            assertEquals("{not json", Sql.value(c, "SELECT detail FROM agent_etl.ingest_rejects WHERE reason = 'invalid_json:parameters'"));
        }
    }

    /** A second agent's store with a prompt version the first already brought: that row is named, the rest kept. */
    @Test
    void should_reject_a_prompt_version_another_store_brought_and_keep_the_rest() throws Exception {
        assertEquals(0, ingest().exit());
        Path second = dir.resolve("second.db");
        try (VibeStore s = VibeStore.create(second)) {
            s.insert("INSERT INTO prompts (prompt_name, prompt_type, version, content) VALUES ('react', 'system', 2, 'other text')");
            s.insert("INSERT INTO prompts (prompt_name, prompt_type, version, content) VALUES ('react', 'system', 3, 'newer')");
        }
        CliRun run = CliRun.of(config, "ingest", "--from", "sqlite:" + second);
        assertEquals(1, run.exit(), run.out() + run.err());
        assertTrue(run.err().contains("prompts: 1 row(s) rejected, duplicate:prompt_name,prompt_type,version"), run.err());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(USER_TEXT, Sql.value(c, "SELECT content FROM agent_etl.vibeagent_prompts WHERE version = 2"), "the first store's row stays");
            assertEquals("newer", Sql.value(c, "SELECT content FROM agent_etl.vibeagent_prompts WHERE version = 3"));
            assertEquals("react, system, 2", Sql.value(c, "SELECT detail FROM agent_etl.ingest_rejects WHERE source_table = 'prompts'"));
        }
    }

    @Test
    void should_report_rows_gone_from_the_store_and_delete_them_only_when_asked() throws Exception {
        assertEquals(0, ingest().exit());
        try (VibeStore s = open()) {
            s.exec("DELETE FROM entity_tags");
        }
        CliRun kept = ingest();
        assertEquals(0, kept.exit());
        assertTrue(kept.out().contains("entity_tags: 1 row(s) ingested earlier are gone from the store"), kept.out());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM entity_tags"));
        }
        assertEquals(0, ingest("--sync-deletes").exit());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM entity_tags"));
        }
    }

    @Test
    void should_run_the_analysis_jobs_on_what_was_ingested() throws Exception {
        assertEquals(0, ingest().exit());
        for (String[] job : new String[][]{{"refresh-stats"}, {"insights"}, {"report", "failing_tools"},
                {"finetune", "--source", "sessions", "--out", dir.resolve("ft").toString()}}) {
            CliRun r = CliRun.of(config, job);
            assertEquals(0, r.exit(), String.join(" ", job) + ": " + r.err());
        }
        try (Connection c = TestDatabases.connect(config)) {
            assertTrue(Sql.count(c, "SELECT sum(calls) FROM agent_etl.tool_call_daily") >= 2, "the store's tool calls are counted");
            assertTrue(Sql.count(c, "SELECT record_count FROM agent_etl.exports WHERE export_type = 'finetune'") > 0);
        }
    }

    @Test
    void should_follow_a_store_that_grows_as_an_agent_writes_it() throws Exception {
        Path store = dir.resolve("grown.db");
        StoreWriter writer = new StoreWriter(store, 3);
        long rows = writer.create(50);
        CliRun first = CliRun.of(config, "ingest", "--from", "sqlite:" + store);
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains(String.format("%,d rows read, %,d written", rows, rows)), first.out());
        long open = ((Number) valueIn(store, "SELECT count(*) FROM sessions WHERE final_status IS NULL")).longValue();
        writer.grow(5, 3);
        CliRun second = CliRun.of(config, "ingest", "--from", "sqlite:" + store);
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().matches("(?s).*sessions\\s+55\\s+5\\s+" + Math.min(3, open) + "\\s+.*"), second.out());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(((Number) valueIn(store, "SELECT count(*) FROM messages")).longValue(),
                    Sql.count(c, "SELECT count(*) FROM messages m JOIN agent_etl.ingest_keys k ON k.target_id = m.id "
                            + "AND k.source_table = 'messages' JOIN agent_etl.ingest_stores st ON st.id = k.store_id AND st.path LIKE '%grown.db'"));
        }
    }

    @Test
    void should_ingest_the_configured_store_when_the_schedule_runs_it_without_a_request() throws Exception {
        // a trigger of `run` (routes/scheduled/) sends no request when agent-etl.schedule.ingest.args is empty
        Path store = dir.resolve("configured.db");
        StoreWriter writer = new StoreWriter(store, 11);
        long rows = writer.create(20);
        AppConfig scheduled = config.with(Map.of("agent-etl.ingest.store", store.toString()));
        try (dev.agentetl.app.AgentEtlRuntime rt = dev.agentetl.app.AgentEtlRuntime.startForJob(scheduled, "ingest")) {
            IngestReport first = (IngestReport) rt.run("ingest", null);
            assertEquals(rows, first.rowsWritten());
            assertEquals(store.toRealPath().toString(), first.store());
            assertEquals(0, ((IngestReport) rt.run("ingest", null)).rowsWritten(), "a run with nothing new writes nothing");
            long grown = writer.grow(3, 2);
            assertEquals(grown, ((IngestReport) rt.run("ingest", null)).rowsWritten(), "the next run brings the change");
        }
    }

    @Test
    void should_load_a_big_store_in_bulk_into_a_group_it_created_and_leave_its_indexes_and_keys_as_they_were() throws Exception {
        AppConfig bulk = config.with(Map.of("agent-etl.ingest.bulk-min-rows", "1"));
        Path store = dir.resolve("bulk.db");
        StoreWriter writer = new StoreWriter(store, 5);
        long rows = writer.create(40);
        String shape;
        try (Connection c = TestDatabases.connect(config)) {
            shape = shape(c);
        }
        assertTrue(shape.contains("FOREIGN KEY (session_id)") && shape.contains("idx_messages_session_id"), shape);
        CliRun first = CliRun.of(bulk, "ingest", "--from", "sqlite:" + store);
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains(String.format("%,d rows read, %,d written", rows, rows)), first.out());
        writer.grow(4, 2);
        CliRun second = CliRun.of(bulk, "ingest", "--from", "sqlite:" + store);
        assertEquals(0, second.exit(), second.err());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(shape, shape(c), "every index and foreign key is back, as it was");
            assertEquals(((Number) valueIn(store, "SELECT count(*) FROM messages")).longValue(), Sql.count(c, "SELECT count(*) FROM messages m "
                    + "JOIN sessions s ON s.id = m.session_id"), "every message points at its session");
            assertEquals(((Number) valueIn(store, "SELECT count(*) FROM tool_results")).longValue(), Sql.count(c, "SELECT count(*) FROM tool_results r "
                    + "JOIN tool_calls t ON t.id = r.tool_call_id"));
            // the key counts a run relies on to skip what the app only appended to are the key map's own
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM (SELECT store_id, source_table, count(*) AS n, max(source_id) AS m "
                    + "FROM agent_etl.ingest_keys GROUP BY 1, 2) k FULL JOIN agent_etl.ingest_tables t USING (store_id, source_table) "
                    + "WHERE t.mapped_rows IS DISTINCT FROM k.n OR t.last_source_id IS DISTINCT FROM k.m"));
        }
        CliRun again = CliRun.of(bulk, "ingest", "--from", "sqlite:" + store);
        assertTrue(again.out().contains("0 written"), again.out());
    }

    /** The interaction tables' indexes and constraints, as definitions. */
    private static String shape(Connection c) throws Exception {
        return (String) Sql.value(c, "SELECT string_agg(d, E'\\n' ORDER BY d) FROM (SELECT indexdef AS d FROM pg_indexes "
                + "WHERE tablename IN ('sessions', 'messages', 'tool_calls', 'tool_results', 'reasoning_steps', 'performance_metrics') "
                + "AND schemaname = 'agent_etl' UNION ALL SELECT conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                + "WHERE conrelid::regclass::text IN ('sessions', 'messages', 'tool_calls', 'tool_results', 'reasoning_steps', 'performance_metrics')) x");
    }

    private static Object valueIn(Path store, String sql) throws Exception {
        try (VibeStore s = VibeStore.reopen(store)) {
            return s.value(sql);
        }
    }

    @Test
    void should_refuse_what_is_not_a_store_and_write_nothing() throws Exception {
        Path text = dir.resolve("notes.db");
        Files.writeString(text, "just text");
        Path other = dir.resolve("other.db");
        try (Connection s = DriverManager.getConnection("jdbc:sqlite:" + other); Statement st = s.createStatement()) {
            st.executeUpdate("CREATE TABLE unrelated (id INTEGER PRIMARY KEY, x TEXT)");
        }
        Path wrong = dir.resolve("wrong.db");
        try (Connection s = DriverManager.getConnection("jdbc:sqlite:" + wrong); Statement st = s.createStatement()) {
            st.executeUpdate("CREATE TABLE sessions (id INTEGER PRIMARY KEY, session_id TEXT)");
        }
        String before;
        try (Connection c = TestDatabases.connect(config)) {
            before = snapshot(c) + Sql.count(c, "SELECT count(*) FROM agent_etl.ingest_keys");
        }
        for (Object[] bad : new Object[][]{{text, "not a SQLite database"}, {other, "has none of the interaction store's tables"},
                {wrong, "table sessions lacks column(s) created_at"}}) {
            CliRun r = CliRun.of(config, "ingest", "--from", "sqlite:" + bad[0]);
            assertEquals(1, r.exit(), bad[0].toString());
            String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.contains((String) bad[1]), last);
        }
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(before, snapshot(c) + Sql.count(c, "SELECT count(*) FROM agent_etl.ingest_keys"));
        }
    }

    @Test
    void should_wait_for_a_writer_then_say_the_store_is_locked_and_write_nothing() throws Exception {
        try (VibeStore writer = open()) {
            writer.exec("PRAGMA locking_mode = EXCLUSIVE");
            writer.exec("BEGIN EXCLUSIVE");
            writer.exec("UPDATE sessions SET final_status = 'timeout'");
            CliRun r = ingest();
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("locked"), r.err());
            writer.exec("ROLLBACK");
        }
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM sessions"));
        }
        assertEquals(0, ingest().exit(), "once the writer is done the store is read");
    }

    private static java.time.Instant instant(Connection c, String sql) throws Exception {
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    /**
     * kill -9 while the run writes (its COPY into the interaction tables under way): the run's one transaction goes
     * with the process, so nothing of it is left (no row, no key, no run that claims to have succeeded), and the
     * next ingest brings everything, once.
     */
    @Test
    void should_leave_nothing_when_killed_while_writing_and_bring_everything_next_time() throws Exception {
        Path big = dir.resolve("big.db");
        long rows = new StoreWriter(big, 7).create(8_000);
        try (dev.agentetl.support.CliProcess p = dev.agentetl.support.CliProcess.start(config, dir.resolve("kill-logs"),
                "ingest", "--from", "sqlite:" + big);
             Connection c = TestDatabases.connect(config)) {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (Sql.count(c, "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state = 'active' "
                    + "AND query ILIKE 'COPY \"messages\"%'") == 0) {
                assertTrue(p.isAlive(), "ingest ended before it was killed: " + p.output());
                assertTrue(System.nanoTime() < deadline, "ingest never started writing: " + p.output());
                Thread.sleep(20);
            }
            p.kill();
        }
        try (Connection c = TestDatabases.connect(config)) {
            for (String t : new String[]{"sessions", "messages", "tool_calls", "tool_results", "agent_etl.ingest_keys",
                    "agent_etl.vibeagent_prompts"}) {
                assertEquals(0, Sql.count(c, "SELECT count(*) FROM " + t), t + " after the kill");
            }
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM agent_etl.ingest_runs WHERE status IN ('succeeded', 'running')"));
        }
        CliRun next = CliRun.of(config, "ingest", "--from", "sqlite:" + big);
        assertEquals(0, next.exit(), next.out() + next.err());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(rows, Sql.count(c, "SELECT count(*) FROM agent_etl.ingest_keys"), "every row of the store once");
            assertEquals(8_000, Sql.count(c, "SELECT count(DISTINCT session_id) FROM sessions"));
            assertEquals(8_000, Sql.count(c, "SELECT count(*) FROM sessions"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM agent_etl.job_runs WHERE job = 'ingest' AND status = 'abandoned'"),
                    "the killed run is marked abandoned by the next command");
        }
    }

    private VibeStore open() throws Exception {
        return VibeStore.reopen(storeFile);
    }

    /** Every row of the interaction tables and their system columns: equal means nothing was written. */
    private static String snapshot(Connection c) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String t : new String[]{"sessions", "messages", "tool_calls", "tool_results", "test_runs", "entity_tags"}) {
            sb.append(Sql.value(c, "SELECT string_agg(x.xmin::text || ':' || x.ctid::text, ',' ORDER BY x.id) FROM " + t + " x")).append('|');
        }
        return sb.toString();
    }
}

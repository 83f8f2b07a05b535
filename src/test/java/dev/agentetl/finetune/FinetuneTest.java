package dev.agentetl.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fine-tuning exports on hand-made recordings of both schemas: the OpenAI format with tools and parallel
 * calls, each rejection reason, redaction, duplicates, a leak-free split, determinism and the filters.
 */
class FinetuneTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HELPFUL = "You are helpful.";
    private static final String VERY_HELPFUL = "You are very helpful.";

    @TempDir
    Path out;
    TestRuntime rt;
    Connection db;

    @BeforeEach
    void start() throws Exception {
        rt = TestRuntime.start(Map.of("agent-etl.finetune.redaction.rule.ticket", "TICKET-\\d+",
                "agent-etl.finetune.redaction.profile.mail-only", "email"));
        db = rt.db;
        Sql.exec(db, """
                INSERT INTO prompts (name, version, type, template, labels) VALUES
                 ('helper', 1, 'system', 'You are helpful.', NULL),
                 ('helper', 2, 'system', 'You are very helpful.', ARRAY['production']);
                INSERT INTO registry_facts (config_type, config_id, config_name, version, tools)
                SELECT 'prompt', id, 'default:helper', 1, '[{"name": "list_files", "description": "List a folder",
                   "parameters": {"type": "object", "properties": {"path": {"type": "string"}}}}]' FROM prompts WHERE version = 1;
                """);
    }

    @AfterEach
    void stop() throws Exception {
        rt.close();
    }

    /** One llm_call row; chat history and tool calls as JSON text (null for none). */
    private void call(String id, String session, String model, String created, String system, String history,
                      String response, String toolCalls) throws Exception {
        try (var ps = db.prepareStatement("""
                INSERT INTO agent_telemetry (id, created_at, record_type, project_id, session_id, model_used, system_prompt,
                    chat_history, response_text, tool_calls, duration_ms)
                VALUES (?::uuid, ?::timestamptz, 'llm_call', 'p1', ?, ?, ?, ?::jsonb, ?, ?::jsonb, 100)""")) {
            ps.setString(1, id);
            ps.setString(2, created);
            ps.setString(3, session);
            ps.setString(4, model);
            ps.setString(5, system);
            ps.setString(6, history);
            ps.setString(7, response);
            ps.setString(8, toolCalls);
            ps.executeUpdate();
        }
    }

    private static String uuid(int n) {
        return String.format("00000000-0000-0000-0000-%012d", n);
    }

    private void goodTelemetry() throws Exception {
        call(uuid(1), "conv-a", "gpt-4o", "2026-03-01T10:00:00Z", HELPFUL,
                "[{\"role\": \"user\", \"content\": \"What is 2+2?\"}]", "4", null);
        call(uuid(2), "conv-a", "gpt-4o", "2026-03-01T10:01:00Z", HELPFUL, """
                [{"role": "user", "content": "And 3+3, with the calculator?"},
                 {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "name": "calc", "arguments": {"expr": "3+3"}}]},
                 {"role": "tool", "tool_call_id": "c1", "content": "6"}]""", "It is 6.", null);
        call(uuid(3), "conv-b", "claude-x", "2026-04-01T10:00:00Z", VERY_HELPFUL,
                "[{\"role\": \"user\", \"content\": \"Weather in Paris and Rome?\"}]", null, """
                [{"id": "p1", "name": "weather", "arguments": {"city": "Paris"}},
                 {"id": "p2", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\": \\"Rome\\"}"}}]""");
        // the same exchange as row 1, recorded again in another conversation with other whitespace
        call(uuid(4), "conv-c", "gpt-4o", "2026-03-02T10:00:00Z", HELPFUL,
                "[{\"role\": \"user\", \"content\": \"What is  2+2? \"}]", "4", null);
        call(uuid(5), "conv-d", "gpt-4o", "2026-03-03T10:00:00Z", HELPFUL,
                "[{\"role\": \"user\", \"content\": \"Mail jane.doe@example.com or call +1 415-555-0134; key sk-proj-Abc123def456ghi789jkl "
                        + "on 10.1.2.3 with Authorization: Bearer abcdefgh12345678 about TICKET-42\"}]", "Done.", null);
    }

    private void badTelemetry() throws Exception {
        call(uuid(101), "bad-1", "gpt-4o", "2026-03-05T10:00:00Z", HELPFUL, "\"just a string\"", "x", null);
        call(uuid(102), "bad-2", "gpt-4o", "2026-03-05T10:00:00Z", HELPFUL,
                "[{\"role\": \"narrator\", \"content\": \"Once upon a time\"}]", "x", null);
        call(uuid(103), "bad-3", "gpt-4o", "2026-03-05T10:00:00Z", HELPFUL, "[{\"role\": \"user\", \"content\": \"hi\"}]", null, null);
        call(uuid(104), "bad-4", "gpt-4o", "2026-03-05T10:00:00Z", HELPFUL, "[{\"role\": \"user\", \"content\": \"hi\"}]", null,
                "[{\"id\": \"x\", \"arguments\": {}}]");
        call(uuid(105), "bad-5", "gpt-4o", "2026-03-05T10:00:00Z", HELPFUL, "[{\"role\": \"user\", \"content\": \"hi\"}]", null,
                "[{\"id\": \"y\", \"name\": \"calc\", \"arguments\": \"{not json\"}]");
        call(uuid(106), "bad-6", "gpt-4o", "2026-03-05T10:00:00Z", HELPFUL,
                "[{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"tool\", \"tool_call_id\": \"zzz\", \"content\": \"r\"}]", "ok", null);
        call(uuid(107), "bad-7", "gpt-4o", "2026-03-05T10:00:00Z", HELPFUL, """
                [{"role": "user", "content": "hi"},
                 {"role": "assistant", "tool_calls": [{"id": "a1", "name": "calc", "arguments": {}}]},
                 {"role": "user", "content": "again?"}]""", "ok", null);
        call(uuid(108), "bad-8", "gpt-4o", "2026-03-05T10:00:00Z", HELPFUL,
                "[{\"role\": \"user\", \"content\": \"" + "lorem ipsum ".repeat(40_000) + "\"}]", "ok", null);
    }

    /** Session s-1: tool call linked through tool_calls; s-2: parallel calls recorded in llm_responses.raw_response. */
    private void sessions() throws Exception {
        Sql.exec(db, """
                INSERT INTO sessions (id, session_id, created_at, session_type, model, final_status, metadata) VALUES
                 (1, 's-1', '2026-03-10T09:00:00Z', 'production', 'gpt-4o', 'success', '{"project": "p1"}'),
                 (2, 's-2', '2026-05-01T09:00:00Z', 'production', 'gpt-4o-mini', 'error', NULL);
                INSERT INTO tool_calls (id, session_id, call_index, tool_name, parameters, success) VALUES
                 (71, 1, 0, 'list_files', '{"path": "/srv"}', true);
                INSERT INTO tool_results (tool_call_id, success, data) VALUES (71, true, '{"files": ["a.txt"]}');
                INSERT INTO messages (id, session_id, message_index, role, content, metadata) VALUES
                 (10, 1, 0, 'system', 'You are helpful.', NULL),
                 (11, 1, 1, 'user', 'List /srv', NULL),
                 (12, 1, 2, 'assistant', NULL, NULL),
                 (13, 1, 3, 'tool', NULL, '{"tool_call_id": 71}'),
                 (14, 1, 4, 'assistant', 'There is a.txt.', NULL),
                 (20, 2, 0, 'user', 'Compare A and B', NULL),
                 (21, 2, 1, 'assistant', NULL, NULL),
                 (22, 2, 2, 'tool', 'content of A', '{"tool_call_id": "call_X"}'),
                 (23, 2, 3, 'tool', 'content of B', '{"tool_call_id": "call_Y"}'),
                 (24, 2, 4, 'assistant', 'A is longer.', NULL);
                INSERT INTO llm_responses (session_id, message_id, model, raw_response) VALUES
                 (2, 21, 'gpt-4o-mini', '{"choices": [{"message": {"tool_calls": [
                    {"id": "call_X", "type": "function", "function": {"name": "fetch", "arguments": "{\\"doc\\": \\"A\\"}"}},
                    {"id": "call_Y", "type": "function", "function": {"name": "fetch", "arguments": "{\\"doc\\": \\"B\\"}"}}]}}]}');
                """);
    }

    private FinetuneReport run(FinetuneRequest request) {
        return (FinetuneReport) rt.runtime.run("finetune", request);
    }

    private FinetuneRequest request(String sources) {
        return new FinetuneRequest(null, null, null, null, null, null, null, null, null, 0.0, "openai", "default", null, sources,
                out, "test");
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) out.add(JSON.readTree(line));
        return out;
    }

    private static List<JsonNode> examples(FinetuneReport r) throws Exception {
        List<JsonNode> all = new ArrayList<>(lines(Path.of(r.folder(), "train.jsonl")));
        all.addAll(lines(Path.of(r.folder(), "validation.jsonl")));
        return all;
    }

    /** The example whose last user message (or first user message) has this text. */
    private static JsonNode withUser(List<JsonNode> examples, String user) {
        return examples.stream().filter(e -> {
            for (JsonNode m : e.get("messages")) {
                if (m.get("role").asText().equals("user") && m.get("content").asText().equals(user)) return true;
            }
            return false;
        }).findFirst().orElseThrow(() -> new AssertionError("no example with user message " + user));
    }

    private static String roles(JsonNode example) {
        List<String> roles = new ArrayList<>();
        example.get("messages").forEach(m -> roles.add(m.get("role").asText()));
        return String.join(",", roles);
    }

    @Test
    void should_write_openai_chat_examples_from_telemetry_with_tool_calls_weights_and_inferred_tools() throws Exception {
        goodTelemetry();
        FinetuneReport r = run(request("telemetry"));
        List<JsonNode> ex = examples(r);

        JsonNode simple = withUser(ex, "What is 2+2?");
        assertEquals("system,user,assistant", roles(simple));
        assertEquals(HELPFUL, simple.get("messages").get(0).get("content").asText());
        JsonNode target = simple.get("messages").get(2);
        assertEquals("4", target.get("content").asText());
        assertEquals(1, target.get("weight").asInt());
        // the registry knows the tools of this system prompt, with their description
        assertEquals("list_files", simple.get("tools").get(0).get("function").get("name").asText());
        assertEquals("List a folder", simple.get("tools").get(0).get("function").get("description").asText());

        JsonNode withTool = withUser(ex, "And 3+3, with the calculator?");
        assertEquals("system,user,assistant,tool,assistant", roles(withTool));
        JsonNode earlier = withTool.get("messages").get(2);
        assertEquals(0, earlier.get("weight").asInt(), "earlier assistant turns are not trained on");
        JsonNode call = earlier.get("tool_calls").get(0);
        assertEquals("c1", call.get("id").asText());
        assertEquals("function", call.get("type").asText());
        assertEquals("calc", call.get("function").get("name").asText());
        assertTrue(call.get("function").get("arguments").isTextual(), "arguments are a JSON string");
        assertEquals("3+3", JSON.readTree(call.get("function").get("arguments").asText()).get("expr").asText());
        assertEquals("c1", withTool.get("messages").get(3).get("tool_call_id").asText());
        assertEquals(1, withTool.get("messages").get(4).get("weight").asInt());

        JsonNode parallel = withUser(ex, "Weather in Paris and Rome?");
        JsonNode calls = parallel.get("messages").get(2).get("tool_calls");
        assertEquals(2, calls.size(), "parallel tool calls are one target message");
        assertFalse(parallel.get("messages").get(2).has("content"));
        assertEquals("Paris", JSON.readTree(calls.get(0).get("function").get("arguments").asText()).get("city").asText());
        assertEquals("Rome", JSON.readTree(calls.get(1).get("function").get("arguments").asText()).get("city").asText());
        assertEquals("p2", calls.get(1).get("id").asText());
        // no registry tools for this prompt: inferred from the calls
        JsonNode inferred = parallel.get("tools");
        assertEquals(1, inferred.size());
        assertEquals("weather", inferred.get(0).get("function").get("name").asText());
        assertEquals("string", inferred.get(0).get("function").get("parameters").get("properties").get("city").get("type").asText());

        Map<String, Object> row = Map.of("status", Sql.value(db, "SELECT status FROM exports WHERE id = " + r.exportId()),
                "type", Sql.value(db, "SELECT export_type FROM exports WHERE id = " + r.exportId()),
                "count", Sql.number(db, "SELECT record_count FROM exports WHERE id = " + r.exportId()).longValue());
        assertEquals(Map.of("status", "succeeded", "type", "finetune", "count", r.rowsWritten()), row);
        assertTrue(Files.exists(Path.of(r.folder(), "README.md")) && Files.exists(Path.of(r.folder(), "_manifest.json")));
    }

    @Test
    void should_build_examples_from_session_conversations_with_linked_and_recorded_tool_calls() throws Exception {
        sessions();
        FinetuneReport r = run(request("sessions"));
        List<JsonNode> ex = examples(r);
        assertEquals(4, ex.size(), "one example per assistant message");

        List<JsonNode> s1 = ex.stream().filter(e -> e.get("messages").get(1).path("content").asText().equals("List /srv")).toList();
        assertEquals(2, s1.size());
        JsonNode first = s1.stream().filter(e -> e.get("messages").size() == 3).findFirst().orElseThrow();
        JsonNode call = first.get("messages").get(2).get("tool_calls").get(0);
        assertEquals("call_71", call.get("id").asText());
        assertEquals("list_files", call.get("function").get("name").asText());
        assertEquals("/srv", JSON.readTree(call.get("function").get("arguments").asText()).get("path").asText());
        JsonNode second = s1.stream().filter(e -> e.get("messages").size() == 5).findFirst().orElseThrow();
        assertEquals("system,user,assistant,tool,assistant", roles(second));
        assertEquals("call_71", second.get("messages").get(3).get("tool_call_id").asText());
        assertEquals("{\"files\": [\"a.txt\"]}", second.get("messages").get(3).get("content").asText(),
                "a tool message without text takes its tool result");
        assertEquals(0, second.get("messages").get(2).get("weight").asInt());
        assertEquals("There is a.txt.", second.get("messages").get(4).get("content").asText());
        assertEquals("List a folder", second.get("tools").get(0).get("function").get("description").asText());

        List<JsonNode> s2 = ex.stream().filter(e -> e.get("messages").get(0).path("content").asText().equals("Compare A and B")).toList();
        JsonNode parallelTarget = s2.stream().filter(e -> e.get("messages").size() == 2).findFirst().orElseThrow();
        JsonNode calls = parallelTarget.get("messages").get(1).get("tool_calls");
        assertEquals(List.of("call_X", "call_Y"), List.of(calls.get(0).get("id").asText(), calls.get(1).get("id").asText()),
                "parallel calls as the model recorded them in llm_responses");
        JsonNode answered = s2.stream().filter(e -> e.get("messages").size() == 5).findFirst().orElseThrow();
        assertEquals("user,assistant,tool,tool,assistant", roles(answered));
        assertEquals("call_X", answered.get("messages").get(2).get("tool_call_id").asText());
        assertEquals("call_Y", answered.get("messages").get(3).get("tool_call_id").asText());
        assertEquals("A is longer.", answered.get("messages").get(4).get("content").asText());
    }

    @Test
    void should_reject_each_bad_row_with_its_reason_and_write_the_good_ones() throws Exception {
        goodTelemetry();
        badTelemetry();
        FinetuneReport r = run(request("telemetry"));
        assertEquals(Map.of("unreadable_source", 1L, "unknown_role", 1L, "missing_content", 1L, "malformed_tool_call", 1L,
                "arguments_not_json", 1L, "orphan_tool_reply", 1L, "unanswered_tool_call", 1L, "too_many_tokens", 1L), r.rejected());
        assertEquals(4, r.rowsWritten(), "the five good rows less one duplicate");
        String written = Files.readString(Path.of(r.folder(), "train.jsonl"));
        assertFalse(written.contains("Once upon a time") || written.contains("again?") || written.contains("lorem"));
        String card = Files.readString(Path.of(r.folder(), "README.md"));
        assertTrue(card.contains("| too_many_tokens | 1 |") && card.contains("agent_telemetry " + uuid(108)), card);
    }

    @Test
    void should_enforce_the_format_rules_no_source_can_break() {
        var noMessages = new Example("t", "1", "c", "m", OpenAiShapes.NODES.arrayNode(), null);
        assertEquals("no_messages", assertRejected(noMessages));
        var endsWithUser = new Example("t", "1", "c", "m", OpenAiShapes.NODES.arrayNode()
                .add(OpenAiShapes.message("user", "hi")).add(OpenAiShapes.message("assistant", "hello"))
                .add(OpenAiShapes.message("user", "bye")), null);
        assertEquals("last_not_assistant", assertRejected(endsWithUser));
    }

    private static String assertRejected(Example e) {
        try {
            ExampleValidator.validate(e);
        } catch (Rejected r) {
            return r.reason();
        }
        throw new AssertionError("accepted " + e.messages());
    }

    @Test
    void should_redact_the_exported_copy_per_rule_and_leave_the_database_unchanged() throws Exception {
        goodTelemetry();
        String before = (String) Sql.value(db, "SELECT chat_history->0->>'content' FROM agent_telemetry WHERE id = '" + uuid(5) + "'");
        FinetuneReport r = run(request("telemetry"));
        assertEquals("Mail [EMAIL] or call [PHONE]; key [API_KEY] on [IP_ADDRESS] with Authorization: Bearer [BEARER_TOKEN] about [TICKET]",
                withUser(examples(r), "Mail [EMAIL] or call [PHONE]; key [API_KEY] on [IP_ADDRESS] with Authorization: Bearer [BEARER_TOKEN] about [TICKET]")
                        .get("messages").get(1).get("content").asText());
        assertEquals(Map.of("bearer_token", 1L, "api_key", 1L, "email", 1L, "ip_address", 1L, "phone", 1L, "ticket", 1L),
                Map.copyOf(r.redactions()));
        assertEquals(before, Sql.value(db, "SELECT chat_history->0->>'content' FROM agent_telemetry WHERE id = '" + uuid(5) + "'"));
        // nothing else changes: the other examples are identical with redaction off
        FinetuneReport plain = run(new FinetuneRequest(null, null, null, null, null, null, null, null, null, 0.0, "openai", "none",
                null, "telemetry", out, "test"));
        Set<String> redacted = examples(r).stream().map(JsonNode::toString).collect(Collectors.toSet());
        List<String> differing = examples(plain).stream().map(JsonNode::toString).filter(e -> !redacted.contains(e)).toList();
        assertEquals(1, differing.size());
        assertTrue(differing.get(0).contains("jane.doe@example.com"));

        FinetuneReport mailOnly = run(new FinetuneRequest(null, null, null, null, null, null, null, null, null, 0.0, "openai",
                "mail-only", null, "telemetry", out, "test"));
        assertEquals(Map.of("email", 1L), mailOnly.redactions());
    }

    @Test
    void should_drop_duplicate_examples() throws Exception {
        goodTelemetry();
        FinetuneReport r = run(request("telemetry"));
        assertEquals(5, r.rowsRead());
        assertEquals(1, r.rowsSkipped(), "row 4 repeats row 1 with other whitespace");
        assertEquals(1, examples(r).stream().filter(e -> e.get("messages").get(1).get("content").asText().strip().startsWith("What is")).count());
    }

    @Test
    void should_split_by_conversation_so_no_session_is_in_both_files_and_repeat_byte_for_byte() throws Exception {
        Sql.exec(db, """
                INSERT INTO agent_telemetry (created_at, record_type, session_id, model_used, system_prompt, chat_history, response_text, duration_ms)
                SELECT timestamptz '2026-03-01' + g * interval '1 minute', 'llm_call', 'conv-' || (g % 60), 'gpt-4o', 'You are terse.',
                       jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'question ' || g || ' in conv-' || (g % 60))),
                       'answer ' || g, 10
                FROM generate_series(1, 600) g""");
        FinetuneRequest req = new FinetuneRequest(null, null, null, null, null, null, null, null, null, 0.3, "openai", "default",
                null, "all", out, "test");
        FinetuneReport first = run(req);
        Set<String> train = conversations(Path.of(first.folder(), "train.jsonl"));
        Set<String> validation = conversations(Path.of(first.folder(), "validation.jsonl"));
        assertFalse(train.isEmpty() || validation.isEmpty());
        Set<String> both = new HashSet<>(train);
        both.retainAll(validation);
        assertEquals(Set.of(), both);
        assertEquals(60, train.size() + validation.size());

        FinetuneReport second = run(req);
        assertNotEquals(first.folder(), second.folder());
        for (String file : List.of("train.jsonl", "validation.jsonl", "README.md")) {
            assertArrayEquals(Files.readAllBytes(Path.of(first.folder(), file)), Files.readAllBytes(Path.of(second.folder(), file)), file);
        }
    }

    private static Set<String> conversations(Path file) throws Exception {
        Set<String> out = new HashSet<>();
        for (JsonNode e : lines(file)) {
            String user = e.get("messages").get(1).get("content").asText();
            out.add(user.substring(user.indexOf(" in ") + 4));
        }
        return out;
    }

    private long written(FinetuneRequest r) {
        return run(r).rowsWritten();
    }

    @Test
    void should_filter_by_model_date_prompt_version_label_and_rating() throws Exception {
        goodTelemetry();
        sessions();
        Sql.exec(db, """
                INSERT INTO executions (execution_id, goal_text, metadata) VALUES
                 ('00000000-0000-0000-0000-00000000000a', 'x', '{"session_id": "conv-a"}'),
                 ('00000000-0000-0000-0000-00000000000b', 'y', '{"session_id": "conv-b"}');
                INSERT INTO execution_feedback (execution_id, rating) VALUES
                 ('00000000-0000-0000-0000-00000000000a', 5), ('00000000-0000-0000-0000-00000000000b', 2);
                INSERT INTO test_cases (id, name, messages, tools) VALUES (1, 'case', '[]', '[]');
                INSERT INTO test_runs (id, test_case_id, session_id, run_number) VALUES (1, 1, 1, 1);
                INSERT INTO judge_evaluations (test_run_id, judge_model, passed, confidence) VALUES (1, 'judge', true, 0.9);
                """);
        FinetuneRequest all = request("all");
        assertEquals(8, written(all), "4 telemetry examples (one duplicate) and 4 session examples");
        assertEquals(1, written(new FinetuneRequest(null, null, "claude-x", null, null, null, null, null, null, 0.0, "openai", null,
                null, "all", out, "t")));
        assertEquals(1 + 2, written(new FinetuneRequest(OffsetDateTime.parse("2026-03-15T00:00:00Z"), null, null, null, null, null,
                null, null, null, 0.0, "openai", null, null, "all", out, "t")), "row 3 and session s-2");
        assertEquals(1, written(new FinetuneRequest(null, null, null, null, null, "helper", 2, null, null, 0.0, "openai", null, null,
                "all", out, "t")), "only row 3 uses version 2");
        assertEquals(1, written(new FinetuneRequest(null, null, null, null, null, "helper", null, "production", null, 0.0, "openai",
                null, null, "all", out, "t")));
        assertEquals(3 + 2, written(new FinetuneRequest(null, null, null, null, null, "helper", 1, null, null, 0.0, "openai", null,
                null, "all", out, "t")), "rows 1, 2, 5 and session s-1");
        assertEquals(2 + 2, written(new FinetuneRequest(null, null, null, null, null, null, null, null, 4.0, 0.0, "openai", null,
                null, "all", out, "t")), "conv-a (feedback 5) and s-1 (judge passed)");
        assertEquals(2, written(new FinetuneRequest(null, null, null, null, "completed", null, null, null, null, 0.0, "openai",
                null, null, "sessions", out, "t")), "s-1 ended in success");
    }

    @Test
    void should_write_parquet_conversations_as_lists_of_structs_that_duckdb_reads_back() throws Exception {
        goodTelemetry();
        sessions();
        FinetuneReport json = run(request("all"));
        FinetuneReport parquet = run(new FinetuneRequest(null, null, null, null, null, null, null, null, null, 0.0, "parquet",
                "default", null, "all", out, "test"));
        assertEquals(json.rowsWritten(), parquet.rowsWritten());
        Set<String> fromJson = examples(json).stream().map(e -> withoutNulls(e).toString()).collect(Collectors.toSet());
        Set<String> fromParquet = new HashSet<>();
        try (Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            String file = "read_parquet('" + Path.of(parquet.folder(), "train.parquet") + "')";
            try (ResultSet rs = st.executeQuery("SELECT typeof(messages), typeof(tools) FROM " + file + " LIMIT 1")) {
                rs.next();
                // what datasets / TRL read as a conversation: a list of message structs, tool calls nested likewise
                assertEquals("STRUCT(\"role\" VARCHAR, \"content\" VARCHAR, tool_calls STRUCT(id VARCHAR, \"type\" VARCHAR, "
                        + "\"function\" STRUCT(\"name\" VARCHAR, arguments VARCHAR))[], tool_call_id VARCHAR, weight INTEGER)[]",
                        rs.getString(1));
                assertEquals("STRUCT(\"type\" VARCHAR, \"function\" STRUCT(\"name\" VARCHAR, description VARCHAR, parameters VARCHAR))[]",
                        rs.getString(2));
            }
            try (ResultSet rs = st.executeQuery("SELECT to_json(messages)::varchar, to_json(tools)::varchar, tokens, "
                    + "messages[1].role FROM " + file)) {
                while (rs.next()) {
                    JsonNode example = JSON.createObjectNode().set("messages", JSON.readTree(rs.getString(1)));
                    JsonNode tools = JSON.readTree(rs.getString(2));
                    for (JsonNode t : tools) { // parameters are a JSON schema kept as text in the struct
                        if (t.get("function").hasNonNull("parameters")) {
                            ((com.fasterxml.jackson.databind.node.ObjectNode) t.get("function")).set("parameters",
                                    JSON.readTree(t.get("function").get("parameters").asText()));
                        }
                    }
                    if (!tools.isNull()) ((com.fasterxml.jackson.databind.node.ObjectNode) example).set("tools", tools);
                    fromParquet.add(withoutNulls(example).toString());
                    assertTrue(rs.getInt(3) > 0);
                    assertTrue(List.of("system", "user").contains(rs.getString(4)));
                }
            }
        }
        assertEquals(fromJson, fromParquet);
        String card = Files.readString(Path.of(parquet.folder(), "README.md"));
        assertTrue(card.startsWith("---\n") && card.contains("  - split: train\n    path: train.parquet\n")
                && card.contains("- name: messages\n    list:\n") && card.contains("license: "), card);
    }

    /** The JSON without null members (a struct has every field; the JSON line leaves absent ones out). */
    private static JsonNode withoutNulls(JsonNode node) {
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode out = JSON.createObjectNode();
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) out.set(e.getKey(), withoutNulls(e.getValue()));
            });
            return out;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
            node.forEach(n -> out.add(withoutNulls(n)));
            return out;
        }
        return node;
    }

    @Test
    void should_refuse_unknown_prompts_profiles_and_option_mixes_from_the_command_line() throws Exception {
        CliRun unknownPrompt = CliRun.of(rt.config, "finetune", "--prompt", "nope", "--out", out.toString());
        assertEquals(1, unknownPrompt.exit());
        assertTrue(unknownPrompt.err().contains("no prompt nope in the prompt registry"), unknownPrompt.err());
        CliRun badProfile = CliRun.of(rt.config, "finetune", "--redaction", "paranoid", "--out", out.toString());
        assertEquals(1, badProfile.exit());
        assertTrue(badProfile.err().contains("unknown redaction profile 'paranoid'"), badProfile.err());
        CliRun versionAlone = CliRun.of(rt.config, "finetune", "--prompt-version", "2");
        assertNotEquals(0, versionAlone.exit());
        assertTrue(versionAlone.err().contains("need --prompt NAME"), versionAlone.err());
        assertNull(Sql.value(rt.db, "SELECT max(id) FROM exports WHERE status = 'running'"), "no export left running");
    }

    @Test
    void should_read_other_recording_dialects_into_the_same_format() throws Exception {
        // the history repeats the system prompt, a Gemini-style model turn with parts and a function call without
        // an id, and a function reply without tool_call_id; the user message is only in user_message
        call(uuid(301), "conv-g", "gemini-2.5-pro", "2026-03-01T10:00:00Z", "You search logs.", """
                [{"role": "system", "content": "You search logs."},
                 {"role": "user", "parts": [{"text": "Find "}, {"text": "the logs"}]},
                 {"role": "model", "parts": [{"text": "Searching."}], "tool_calls": [{"name": "search", "args": {"q": "logs", "limit": 5}}]},
                 {"role": "function", "content": {"hits": 2}}]""", "Found 2 log files.", null);
        FinetuneReport r = run(request("telemetry"));
        assertEquals(Map.of(), r.rejected(), r.render());
        JsonNode e = examples(r).get(0);
        assertEquals("system,user,assistant,tool,assistant", roles(e));
        JsonNode m = e.get("messages");
        assertEquals("Find the logs", m.get(1).get("content").asText());
        JsonNode callMade = m.get(2).get("tool_calls").get(0);
        assertEquals("search", callMade.get("function").get("name").asText());
        assertEquals(5, JSON.readTree(callMade.get("function").get("arguments").asText()).get("limit").asInt());
        assertEquals(callMade.get("id").asText(), m.get(3).get("tool_call_id").asText(), "the reply answers the call it follows");
        assertEquals("{\"hits\":2}", m.get(3).get("content").asText());
        assertEquals("integer", e.get("tools").get(0).get("function").get("parameters").get("properties").get("limit").get("type").asText());
        assertEquals(1, m.get(4).get("weight").asInt());
    }

    @Test
    void should_turn_generated_recordings_into_examples_without_rejections() throws Exception {
        // long turns trim their history to a window: a window that opened on the replies to a call it cut off
        // was a conversation no API accepts, rejected as orphan_tool_reply (about 2 % of the generated calls)
        rt.runtime.run("generate", new dev.agentetl.generate.GenerateOptions(30_000, 11, java.time.LocalDate.of(2026, 3, 31), 30, true));
        assertTrue(Sql.count(db, "SELECT count(*) FROM agent_telemetry WHERE record_type = 'llm_call' "
                + "AND jsonb_array_length(chat_history) = 12") > 0, "some turns are long enough to be trimmed");
        FinetuneReport r = run(request("all"));
        assertTrue(r.rowsWritten() > 1000, r.render());
        assertEquals(Map.of(), r.rejected(), r.render());
    }

    /**
     * Test case 1: run 1 passed by both judges (it calls the weather tool), run 2 failed by its judge (it guesses),
     * run 3 split between its judges, run 4 passed with no failed run left to pair. Test case 2: two passed runs.
     * Test case 3: a passed and a failed run that answered the same. Rated sessions: three with one input (one of
     * them written with other whitespace) rated 5, 2 and 3; two with another input both rated 4; one alone.
     */
    private void preferenceRecordings() throws Exception {
        Sql.exec(db, """
                INSERT INTO test_cases (id, name, messages, tools) VALUES
                 (1, 'weather', '[{"role": "user", "content": "Weather in Paris?"}]',
                  '[{"name": "weather", "description": "Current weather", "parameters": {"type": "object",
                     "properties": {"city": {"type": "string"}}}}]'),
                 (2, 'greeting', '[{"role": "user", "content": "Hi"}]', '[]'),
                 (3, 'thanks', '[{"role": "user", "content": "Thanks!"}]', '[]');
                INSERT INTO sessions (id, session_id, created_at, session_type, model) SELECT g, 's-' || g,
                  timestamptz '2026-03-01' + g * interval '1 minute', 'test', 'gpt-4o'
                FROM unnest(ARRAY[10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 25]) g;
                INSERT INTO tool_calls (id, session_id, call_index, tool_name, parameters, success) VALUES
                 (81, 10, 0, 'weather', '{"city": "Paris"}', true);
                INSERT INTO messages (id, session_id, message_index, role, content, metadata) VALUES
                 (100, 10, 0, 'user', 'Weather in Paris?', NULL),
                 (101, 10, 1, 'assistant', NULL, NULL),
                 (102, 10, 2, 'tool', '{"temp": 18}', '{"tool_call_id": 81}'),
                 (103, 10, 3, 'assistant', 'It is 18 degrees.', NULL),
                 (110, 11, 0, 'user', 'Weather in Paris?', NULL),
                 (111, 11, 1, 'assistant', 'Probably sunny.', NULL),
                 (120, 12, 0, 'user', 'Weather in Paris?', NULL),
                 (121, 12, 1, 'assistant', 'Split verdict answer.', NULL),
                 (130, 13, 0, 'user', 'Weather in Paris?', NULL),
                 (131, 13, 1, 'assistant', 'Unpaired passed answer.', NULL),
                 (140, 14, 0, 'user', 'Hi', NULL), (141, 14, 1, 'assistant', 'Hello!', NULL),
                 (150, 15, 0, 'user', 'Hi', NULL), (151, 15, 1, 'assistant', 'Hello there!', NULL),
                 (160, 16, 0, 'user', 'Thanks!', NULL), (161, 16, 1, 'assistant', 'You are welcome.', NULL),
                 (170, 17, 0, 'user', 'Thanks!', NULL), (171, 17, 1, 'assistant', 'You are  welcome. ', NULL),
                 (200, 20, 0, 'system', 'You are helpful.', NULL), (201, 20, 1, 'user', 'Summarise the report', NULL),
                 (202, 20, 2, 'assistant', 'Sales rose 4 % on new customers.', NULL),
                 (210, 21, 0, 'system', 'You are helpful.', NULL), (211, 21, 1, 'user', 'Summarise  the report ', NULL),
                 (212, 21, 2, 'assistant', 'It is a report.', NULL),
                 (220, 22, 0, 'system', 'You are helpful.', NULL), (221, 22, 1, 'user', 'Summarise the report', NULL),
                 (222, 22, 2, 'assistant', 'Sales rose.', NULL),
                 (230, 23, 0, 'user', 'Plan my week', NULL), (231, 23, 1, 'assistant', 'Equal rating one.', NULL),
                 (240, 24, 0, 'user', 'Plan my week', NULL), (241, 24, 1, 'assistant', 'Equal rating two.', NULL),
                 (250, 25, 0, 'user', 'Alone', NULL), (251, 25, 1, 'assistant', 'Nobody to compare with.', NULL);
                INSERT INTO test_runs (id, test_case_id, session_id, run_number) VALUES
                 (1, 1, 10, 1), (2, 1, 11, 2), (3, 1, 12, 3), (4, 1, 13, 4), (5, 2, 14, 1), (6, 2, 15, 2), (7, 3, 16, 1), (8, 3, 17, 2);
                INSERT INTO judge_evaluations (test_run_id, judge_model, passed, confidence) VALUES
                 (1, 'judge-a', true, 0.9), (1, 'judge-b', true, 0.8), (2, 'judge-a', false, 0.9),
                 (3, 'judge-a', true, 0.7), (3, 'judge-b', false, 0.6), (4, 'judge-a', true, 0.9),
                 (5, 'judge-a', true, 0.9), (6, 'judge-a', true, 0.9), (7, 'judge-a', true, 0.9), (8, 'judge-a', false, 0.9);
                INSERT INTO executions (execution_id, goal_text, metadata) SELECT
                  ('00000000-0000-0000-0000-0000000000' || g)::uuid, 'goal', jsonb_build_object('session_id', 's-' || g)
                FROM unnest(ARRAY[20, 21, 22, 23, 24, 25]) g;
                INSERT INTO execution_feedback (execution_id, rating) VALUES
                 ('00000000-0000-0000-0000-000000000020', 5), ('00000000-0000-0000-0000-000000000021', 2),
                 ('00000000-0000-0000-0000-000000000022', 3), ('00000000-0000-0000-0000-000000000023', 4),
                 ('00000000-0000-0000-0000-000000000024', 4), ('00000000-0000-0000-0000-000000000025', 1);
                """);
    }

    @Test
    void should_write_preference_pairs_only_where_judges_or_ratings_prefer_one_answer() throws Exception {
        preferenceRecordings();
        FinetuneReport r = run(new FinetuneRequest(null, null, null, null, null, null, null, null, null, 0.0, "dpo", "default",
                null, "all", out, "test"));
        assertEquals(Map.of("no_preference", 1L), r.rejected(), r.render());
        assertEquals(2, r.rowsWritten(), r.render());
        List<JsonNode> pairs = examples(r);
        for (JsonNode line : pairs) {
            // exactly OpenAI's preference format: an input, and one assistant message on each side
            assertEquals(List.of("input", "preferred_output", "non_preferred_output"), fieldNames(line));
            JsonNode messages = line.get("input").get("messages");
            assertTrue(messages.isArray() && messages.size() > 0);
            assertNotEquals("assistant", messages.get(messages.size() - 1).get("role").asText());
            for (String side : List.of("preferred_output", "non_preferred_output")) {
                assertEquals(1, line.get(side).size(), side);
                JsonNode answer = line.get(side).get(0);
                assertEquals("assistant", answer.get("role").asText());
                assertFalse(answer.has("weight"), "the preference format has no weights");
                assertTrue(answer.path("content").isTextual() || answer.get("tool_calls").size() > 0);
            }
            assertNotEquals(line.get("preferred_output"), line.get("non_preferred_output"));
        }
        JsonNode judged = pairs.stream().filter(p -> p.get("input").get("messages").get(0).get("content").asText()
                .equals("Weather in Paris?")).findFirst().orElseThrow();
        assertEquals(1, judged.get("input").get("messages").size(), "the test case's input");
        JsonNode call = judged.get("preferred_output").get(0).get("tool_calls").get(0);
        assertEquals("weather", call.get("function").get("name").asText());
        assertEquals("Paris", JSON.readTree(call.get("function").get("arguments").asText()).get("city").asText());
        assertEquals("Probably sunny.", judged.get("non_preferred_output").get(0).get("content").asText());
        assertEquals("Current weather", judged.get("input").get("tools").get(0).get("function").get("description").asText());

        JsonNode rated = pairs.stream().filter(p -> p.get("input").get("messages").size() == 2).findFirst().orElseThrow();
        assertEquals("system,user", rated.get("input").get("messages").findValuesAsText("role").stream().collect(Collectors.joining(",")));
        assertEquals("Sales rose 4 % on new customers.", rated.get("preferred_output").get(0).get("content").asText(), "rated 5");
        assertEquals("It is a report.", rated.get("non_preferred_output").get(0).get("content").asText(), "rated 2, same input");

        String all = Files.readString(Path.of(r.folder(), "train.jsonl")) + Files.readString(Path.of(r.folder(), "validation.jsonl"));
        for (String left : List.of("Split verdict", "Unpaired passed", "Hello", "Equal rating", "Nobody to compare", "Sales rose.\"")) {
            assertFalse(all.contains(left), left + " has no real preference or no partner");
        }
        String card = Files.readString(Path.of(r.folder(), "README.md"));
        assertTrue(card.contains("## How pairs were chosen") && card.contains("feedback_rating 1, judged_test_run 1"), card);
        assertTrue(card.contains("| no_preference | 1 |"), card);

        CliRun telemetryOnly = CliRun.of(rt.config, "finetune", "--format", "dpo", "--source", "telemetry", "--out", out.toString());
        assertNotEquals(0, telemetryOnly.exit());
        assertTrue(telemetryOnly.err().contains("--source telemetry has neither"), telemetryOnly.err());
    }

    @Test
    void should_split_preference_pairs_by_input_and_repeat_byte_for_byte() throws Exception {
        preferenceRecordings();
        // more inputs, each with a better and a worse rated answer
        Sql.exec(db, """
                INSERT INTO sessions (id, session_id, created_at, session_type, model) SELECT 1000 + g, 'r-' || g,
                  timestamptz '2026-03-01' + g * interval '1 minute', 'production', 'gpt-4o' FROM generate_series(1, 80) g;
                INSERT INTO messages (id, session_id, message_index, role, content)
                SELECT 5000 + 2 * g, 1000 + g, 0, 'user', 'question ' || (g % 20) FROM generate_series(1, 80) g
                UNION ALL SELECT 5001 + 2 * g, 1000 + g, 1, 'assistant', 'answer ' || g FROM generate_series(1, 80) g;
                INSERT INTO executions (execution_id, goal_text, metadata) SELECT
                  ('00000000-0000-0000-0000-' || lpad((1000 + g)::text, 12, '0'))::uuid, 'goal', jsonb_build_object('session_id', 'r-' || g)
                FROM generate_series(1, 80) g;
                INSERT INTO execution_feedback (execution_id, rating) SELECT
                  ('00000000-0000-0000-0000-' || lpad((1000 + g)::text, 12, '0'))::uuid, 1 + (g / 20) % 5 FROM generate_series(1, 80) g;
                """);
        FinetuneRequest req = new FinetuneRequest(null, null, null, null, null, null, null, null, null, 0.3, "dpo", "default",
                null, "all", out, "test");
        FinetuneReport first = run(req);
        Set<String> train = inputs(Path.of(first.folder(), "train.jsonl"));
        Set<String> validation = inputs(Path.of(first.folder(), "validation.jsonl"));
        assertFalse(train.isEmpty() || validation.isEmpty(), first.render());
        Set<String> both = new HashSet<>(train);
        both.retainAll(validation);
        assertEquals(Set.of(), both, "no input in both files");
        FinetuneReport second = run(req);
        for (String file : List.of("train.jsonl", "validation.jsonl", "README.md")) {
            assertArrayEquals(Files.readAllBytes(Path.of(first.folder(), file)), Files.readAllBytes(Path.of(second.folder(), file)), file);
        }
    }

    private static Set<String> inputs(Path file) throws Exception {
        Set<String> out = new HashSet<>();
        for (JsonNode e : lines(file)) out.add(e.get("input").get("messages").toString());
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void should_warn_about_a_dataset_too_small_or_without_validation_and_estimate_the_billed_tokens() throws Exception {
        goodTelemetry();
        FinetuneReport r = run(request("telemetry"));
        assertEquals(4, r.train());
        assertEquals(List.of("only 4 examples: fine-tuning needs at least 10 (50-100 or more make a difference)",
                "the validation split is empty (--validation-ratio 0): nothing measures over-fitting"), r.training().warnings());
        long tokens = ((Number) r.tokens().get("total")).longValue();
        assertEquals(tokens, r.training().trainTokens(), "every example went to train");
        assertEquals(25, r.training().epochs(), "OpenAI's auto epochs for 4 examples: enough to see about 100");
        assertEquals(tokens * 25, r.training().billedTokens());
        assertTrue(r.render().contains(String.format("%,d billed tokens", tokens * 25)) && r.render().contains("WARNING: only 4 examples"),
                r.render());
        String card = Files.readString(Path.of(r.folder(), "README.md"));
        assertTrue(card.contains("- the validation split is empty") && card.contains("  - split: validation\n    path: validation.jsonl\n"), card);

        assertEquals(3, TrainingEstimate.autoEpochs(1_000));
        assertEquals(2, TrainingEstimate.autoEpochs(12_000));
        Sql.exec(db, """
                INSERT INTO agent_telemetry (created_at, record_type, session_id, model_used, system_prompt, chat_history, response_text, duration_ms)
                SELECT timestamptz '2026-03-01' + g * interval '1 minute', 'llm_call', 'many-' || g, 'gpt-4o', 'You are terse.',
                       jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'question ' || g)), 'answer ' || g, 10
                FROM generate_series(1, 200) g""");
        FinetuneReport enough = run(new FinetuneRequest(null, null, null, null, null, null, null, null, null, 0.2, "openai", "default",
                null, "telemetry", out, "test"));
        assertEquals(List.of(), enough.training().warnings(), enough.render());
    }

    @Test
    void should_find_duplicates_in_the_heap_and_after_the_hashes_moved_to_the_database() throws Exception {
        List<java.util.UUID> hashes = new ArrayList<>();
        for (int i = 0; i < 40; i++) hashes.add(new java.util.UUID(i * 7919L, i));
        db.setAutoCommit(false);
        try {
            SeenExamples seen = new SeenExamples(db, 25);
            assertEquals(Set.copyOf(hashes.subList(0, 20)), seen.addNew(hashes.subList(0, 20)), "all new, in the heap");
            assertEquals(Set.of(), seen.addNew(hashes.subList(5, 10)), "seen, in the heap");
            assertNull(Sql.value(db, "SELECT to_regclass('pg_temp.finetune_seen')::text"), "no table while the heap holds them");
            // past the limit: the heap's hashes go to a temporary table and the check goes on there
            assertEquals(Set.copyOf(hashes.subList(20, 30)), seen.addNew(hashes.subList(15, 30)));
            assertEquals(30, Sql.count(db, "SELECT count(*) FROM finetune_seen"));
            assertEquals(Set.copyOf(hashes.subList(30, 40)), seen.addNew(hashes.subList(0, 40)));
        } finally {
            db.rollback();
            db.setAutoCommit(true);
        }
    }

    @Test
    void should_refuse_an_unknown_tokenizer_before_writing_anything() throws Exception {
        CliRun bad = CliRun.of(rt.config.with(Map.of("agent-etl.finetune.encoding", "gpt2_bpe")), "finetune", "--out", out.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("unknown tokenizer encoding 'gpt2_bpe'"), bad.err());
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM exports"), "no exports row for a run that could not start");
    }
}

package dev.agentetl.ingest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One table of VibeAgent's store (seed 000) as ingest treats it: the columns that reference another table's
 * INTEGER PRIMARY KEY (mapped through the store's key map, so references stay right across runs), the
 * natural unique key a second source must not collide with, and the times the app writes with Python's
 * {@code datetime.now()} (local) rather than SQLite's CURRENT_TIMESTAMP (UTC). {@code appendOnly}: VibeAgent's
 * DatabaseManager only ever inserts into the table (it updates sessions and test runs, nothing else), so an
 * incremental run reads only the rows after the last one it mapped, once it has seen that none went missing.
 */
record StoreTable(String name, Map<String, String> references, String naturalKey, Set<String> localTimes, boolean appendOnly) {

    /** entity_tags.entity_id names a session, test case or tool call, by entity_type. */
    static final String BY_ENTITY_TYPE = "*entity_type";

    /** In the order parents come before the rows that reference them. */
    static final List<StoreTable> ALL = List.of(
            new StoreTable("sessions", Map.of(), "session_id", Set.of(), false),
            new StoreTable("test_cases", Map.of(), "name", Set.of(), false),
            new StoreTable("tags", Map.of(), "tag_name", Set.of(), false),
            new StoreTable("ab_tests", Map.of(), "test_name", Set.of(), false),
            new StoreTable("configurations", Map.of(), null, Set.of(), false),
            new StoreTable("messages", Map.of("session_id", "sessions", "parent_message_id", "messages"), null, Set.of(), true),
            new StoreTable("llm_responses", Map.of("session_id", "sessions", "message_id", "messages"), null, Set.of(), true),
            new StoreTable("tool_calls", Map.of("session_id", "sessions"), null, Set.of(), true),
            new StoreTable("tool_results", Map.of("tool_call_id", "tool_calls"), null, Set.of(), true),
            new StoreTable("test_runs", Map.of("test_case_id", "test_cases", "session_id", "sessions"), null,
                    Set.of("started_at", "completed_at"), false),
            new StoreTable("judge_evaluations", Map.of("test_run_id", "test_runs", "tool_call_id", "tool_calls"), null, Set.of(), true),
            new StoreTable("reasoning_steps", Map.of("session_id", "sessions", "tool_call_id", "tool_calls"), null, Set.of(), true),
            new StoreTable("error_recovery", Map.of("session_id", "sessions", "tool_call_id", "tool_calls"), null, Set.of(), true),
            new StoreTable("performance_metrics", Map.of("session_id", "sessions"), null, Set.of(), true),
            new StoreTable("ab_test_results", Map.of("ab_test_id", "ab_tests", "session_id", "sessions"), null, Set.of(), true),
            new StoreTable("entity_tags", Map.of("tag_id", "tags", "entity_id", BY_ENTITY_TYPE), null, Set.of(), true));

    /**
     * Tables of the store that are not ingested, and why (a user asks): they have no home in the interactions group.
     * Their names are taken by tables of other meaning that live, by default, in the same schema, and that come first
     * on the jobs' search path in any case (agent-etl's own schema is searched before the groups').
     */
    static final Map<String, String> NOT_INGESTED = Map.of(
            "prompts", "no home in the interactions group: the name is the registry's prompts (seed 003; import prompts fills it)",
            "insights", "no home in the interactions group: the name is agent-etl's own insights table",
            "exports", "no home in the interactions group: the name is agent-etl's own export records",
            "system_events", "no home in the interactions group: the name is agent-etl's own system events");

    /** A reference to a row of the same table (a message's parent) may point at a row not yet mapped. */
    boolean isSelfReference(String column) {
        return name.equals(references.get(column));
    }
}

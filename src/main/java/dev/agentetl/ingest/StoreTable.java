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
record StoreTable(String name, String target, Map<String, String> references, List<String> naturalKey, Set<String> localTimes,
                  boolean appendOnly) {

    /** A table ingested into the interactions group's table of the same name. */
    StoreTable(String name, Map<String, String> references, String naturalKey, Set<String> localTimes, boolean appendOnly) {
        this(name, name, references, naturalKey == null ? List.of() : List.of(naturalKey), localTimes, appendOnly);
    }

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
     * The four tables whose names are taken here (prompts is the registry's, seed 003; insights, exports and
     * system_events are agent-etl's own): ingested into their homes in agent-etl's schema, {@code vibeagent_<name>}
     * (V26), with the seed's columns. Written by the app with SQLite's CURRENT_TIMESTAMP (UTC); never referenced.
     */
    static final List<StoreTable> RENAMED = List.of(
            new StoreTable("prompts", "vibeagent_prompts", Map.of(), List.of("prompt_name", "prompt_type", "version"), Set.of(), false),
            new StoreTable("insights", "vibeagent_insights", Map.of(), List.of(), Set.of(), false),
            new StoreTable("exports", "vibeagent_exports", Map.of(), List.of(), Set.of(), false),
            new StoreTable("system_events", "vibeagent_system_events", Map.of(), List.of(), Set.of(), false));

    /** The seed's columns of the renamed tables (those of the sixteen others are the interactions group's contract). */
    static final Map<String, List<String>> RENAMED_COLUMNS = Map.of(
            "prompts", List.of("prompt_name", "prompt_type", "version", "content", "model", "active", "created_at", "metadata"),
            "insights", List.of("insight_type", "title", "description", "severity", "data", "created_at", "acknowledged", "acknowledged_at"),
            "exports", List.of("export_type", "filters", "record_count", "file_path", "created_at", "created_by"),
            "system_events", List.of("event_type", "event_level", "message", "details", "created_at"));

    /** Every table ingest reads, parents before children. */
    static final List<StoreTable> EVERY = java.util.stream.Stream.concat(ALL.stream(), RENAMED.stream()).toList();

    /** Whether the table goes into a table of the interactions group (its seed columns are the group contract's). */
    boolean inGroup() {
        return name.equals(target);
    }

    /** A reference to a row of the same table (a message's parent) may point at a row not yet mapped. */
    boolean isSelfReference(String column) {
        return name.equals(references.get(column));
    }
}

package dev.agentetl.check;

import dev.agentetl.db.Group;

import java.util.List;

/**
 * The allowed values the seeds list in their comments. Applications may write others at any time (a new
 * stop reason, a new mode); agent-etl never refuses them, `check` reports them. A value ending in {@code *}
 * is a prefix ({@code loop_detected:*}).
 */
final class ValueLists {

    record ValueList(Group group, String table, String column, List<String> allowed) {
        /** SQL that counts the rows per value outside the list; the values are bound, the names are ours. */
        String sql() {
            StringBuilder cond = new StringBuilder();
            for (String v : allowed) {
                if (cond.length() > 0) cond.append(" OR ");
                cond.append(v.endsWith("*") ? column + " LIKE ?" : column + " = ?");
            }
            return "SELECT " + column + "::text, count(*) FROM " + table + " WHERE " + column + " IS NOT NULL AND NOT ("
                    + cond + ") GROUP BY 1 ORDER BY 2 DESC LIMIT 20";
        }

        List<String> parameters() {
            return allowed.stream().map(v -> v.endsWith("*") ? v.substring(0, v.length() - 1).replace("_", "\\_") + "%" : v).toList();
        }
    }

    static final List<ValueList> ALL = List.of(
            new ValueList(Group.TELEMETRY, "agent_telemetry", "record_type", List.of("llm_call", "turn_summary")),
            new ValueList(Group.TELEMETRY, "agent_telemetry", "stop_reason", List.of("completed", "round_cap", "loop_detected:*",
                    "tool_failure", "silent_rounds", "user_aborted", "empty_no_tools")),
            new ValueList(Group.TELEMETRY, "agent_telemetry", "chat_mode", List.of("vibe", "collaborate", "delegate")),
            new ValueList(Group.INTERACTIONS, "sessions", "session_type", List.of("test", "production", "development")),
            new ValueList(Group.INTERACTIONS, "sessions", "orchestrator_type", List.of("basic", "react", "tot", "plan_execute")),
            new ValueList(Group.INTERACTIONS, "sessions", "final_status", List.of("success", "error", "timeout", "max_iterations")),
            new ValueList(Group.INTERACTIONS, "messages", "role", List.of("user", "assistant", "system", "tool")),
            new ValueList(Group.INTERACTIONS, "tool_calls", "error_type", List.of("validation", "execution", "network", "timeout", "other")),
            new ValueList(Group.INTERACTIONS, "test_runs", "status", List.of("passed", "failed", "error", "timeout")),
            new ValueList(Group.INTERACTIONS, "reasoning_steps", "step_type", List.of("thought", "action", "observation", "reflection")),
            new ValueList(Group.INTERACTIONS, "error_recovery", "recovery_strategy", List.of("retry", "modify_params", "alternative_tool", "skip")),
            new ValueList(Group.REGISTRY, "negate_keys", "operator", List.of("=", "!=", "=~", "!~")),
            new ValueList(Group.REGISTRY, "prompts", "type", List.of("system", "user", "chat", "few_shot", "error_recovery")));

    private ValueLists() {
    }
}

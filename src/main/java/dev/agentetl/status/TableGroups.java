package dev.agentetl.status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The table groups of the data model (DESIGN.md, "The data"), as status reports them. */
public final class TableGroups {

    private TableGroups() {
    }

    public static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("agent interaction store", List.of("sessions", "messages", "llm_responses", "tool_calls", "tool_results",
                "test_cases", "test_runs", "judge_evaluations", "reasoning_steps", "error_recovery", "configurations",
                "performance_metrics", "ab_tests", "ab_test_results", "tags", "entity_tags", "insights", "exports",
                "system_events"));
        GROUPS.put("execution history", List.of("executions", "tool_executions", "tool_statistics", "execution_feedback",
                "tool_creation_events"));
        GROUPS.put("turn telemetry", List.of("agent_telemetry"));
        GROUPS.put("configuration registry", List.of("prompts", "prompt_labels", "model_configs", "embedding_configs",
                "context_rules", "negate_keys", "config_changelog"));
        GROUPS.put("learning store", List.of("rl_learner", "rl_outcome", "rl_q_value", "rl_transition", "rl_param",
                "rl_task_stat", "rl_pattern", "rl_pattern_use", "rl_metric", "agent_team_config", "agent_team_run",
                "agent_workflow_run", "agent_prompt_style", "agent_prompt_element", "agent_curriculum_stage",
                "agent_curriculum_metric", "agent_policy_snapshot", "ui_session", "ui_failed_call", "sys_metadata",
                "sys_schema_version"));
        GROUPS.put("bookkeeping", List.of("job_runs", "consolidation_runs", "consolidation_tables",
                "consolidation_rejects", "export_watermarks"));
    }
}

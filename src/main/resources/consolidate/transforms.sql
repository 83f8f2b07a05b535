-- Transform of each staged legacy table into the unified tables, one section per table (and layout).
-- ${src} is the staged table without its rejected rows, ${table} the legacy table name, ${run} the run
-- id, ${tz} the source time zone. Every row carries its lineage (source_table, source_key, run_id);
-- ON CONFLICT DO NOTHING makes a re-run write nothing. Times keep their source value: local ISO text
-- through legacy_time(), Julian days and Unix epochs through legacy_julian_day() / legacy_epoch().

-- table: rl_outcomes
-- created_at (a UTC Julian day) is the precise time; the local text timestamp only when it is missing.
INSERT INTO rl_outcome (learner_id, provider, model, task_type, vertical, success, quality_score, metadata, created_at,
                        source_table, source_key, run_id)
SELECT s.learner_name, s.provider, s.model, s.task_type, s.vertical, s.success <> 0, s.quality_score, s.metadata::jsonb,
       COALESCE(legacy_julian_day(s.created_at), legacy_time(s."timestamp", ${tz})), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: rl_telemetry
INSERT INTO rl_metric (learner_id, metric_type, metric_value, metadata, created_at, source_table, source_key, run_id)
SELECT s.learner_name, s.event_type, NULL, s.data::jsonb, legacy_time(s."timestamp", ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: mode_transition_q_values
INSERT INTO rl_q_value (learner_id, state_key, action_key, q_value, visit_count, last_updated, source_table, source_key, run_id)
SELECT 'mode_transition', s.state_key, s.action_key, s.q_value, s.visit_count, legacy_time(s.last_updated, ${tz}),
       ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: mode_transition_task_stats
INSERT INTO rl_task_stat (learner_id, task_type, stat_key, stat_value, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'mode_transition', s.task_type, v.stat_key, v.stat_value, s.sample_count, legacy_time(s.last_updated, ${tz}),
       ${table}, s._source_key, ${run}
FROM ${src} s
CROSS JOIN LATERAL (VALUES ('optimal_tool_budget', COALESCE(s.optimal_tool_budget, 10)::double precision),
                           ('avg_quality_score', COALESCE(s.avg_quality_score, 0.5)),
                           ('avg_completion_rate', COALESCE(s.avg_completion_rate, 0.5))) v (stat_key, stat_value)
ON CONFLICT DO NOTHING;

-- table: mode_transition_history
-- task_type and state_key, which the target has no column for, stay in metadata with the outcome.
INSERT INTO rl_transition (learner_id, from_state, to_state, action, reward, metadata, created_at, source_table, source_key, run_id)
SELECT 'mode_transition', s.from_mode, s.to_mode, s.action_key, s.reward,
       jsonb_build_object('success', s.success <> 0, 'quality_score', s.quality_score, 'task_type', s.task_type,
                          'state_key', s.state_key),
       legacy_time(s."timestamp", ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: model_selector_q_values
INSERT INTO rl_q_value (learner_id, state_key, action_key, q_value, visit_count, last_updated, source_table, source_key, run_id)
SELECT 'model_selector', s.provider, 'select', s.q_value, s.selection_count, legacy_time(s.last_updated, ${tz}),
       ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: model_selector_task_q_values
INSERT INTO rl_q_value (learner_id, state_key, action_key, q_value, visit_count, last_updated, source_table, source_key, run_id)
SELECT 'model_selector', s.provider, s.task_type, s.q_value, s.selection_count, legacy_time(s.last_updated, ${tz}),
       ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: model_selector_state
-- value is text holding a number (epsilon, total_selections); the text is kept as written as well.
INSERT INTO rl_param (learner_id, param_key, param_value, value_text, context, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'model_selector', s.key,
       CASE WHEN s.value ~ '^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$' THEN s.value::double precision END,
       s.value, NULL, 0, NULL, ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: tool_selector_q_values
INSERT INTO rl_q_value (learner_id, state_key, action_key, q_value, visit_count, last_updated, source_table, source_key, run_id)
SELECT 'tool_selector', s.tool_name, 'select', s.q_value, s.selection_count, legacy_time(s.last_updated, ${tz}),
       ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;
INSERT INTO rl_task_stat (learner_id, task_type, stat_key, stat_value, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'tool_selector', s.tool_name, 'success_count', s.success_count, s.selection_count, legacy_time(s.last_updated, ${tz}),
       ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: tool_selector_task_q_values
INSERT INTO rl_q_value (learner_id, state_key, action_key, q_value, visit_count, last_updated, source_table, source_key, run_id)
SELECT 'tool_selector', s.tool_name, s.task_type, s.q_value, s.selection_count, legacy_time(s.last_updated, ${tz}),
       ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: tool_selector_outcomes
-- The legacy metadata object, merged with the outcome; a metadata that is not an object is nested.
INSERT INTO rl_transition (learner_id, from_state, to_state, action, reward, metadata, created_at, source_table, source_key, run_id)
SELECT 'tool_selector', s.task_type, s.tool_name, 'execute', s.reward,
       CASE WHEN s.metadata IS NULL THEN '{}'::jsonb
            WHEN jsonb_typeof(s.metadata::jsonb) = 'object' THEN s.metadata::jsonb
            ELSE jsonb_build_object('metadata', s.metadata::jsonb) END
       || jsonb_build_object('success', s.success <> 0, 'quality_score', s.quality_score),
       legacy_time(s."timestamp", ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: cache_eviction_q_values
INSERT INTO rl_q_value (learner_id, state_key, action_key, q_value, visit_count, last_updated, source_table, source_key, run_id)
SELECT 'cache_eviction', s.state_key, s.action, s.q_value, s.visit_count, legacy_time(s.last_updated, ${tz}),
       ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: cache_eviction_tool_values
INSERT INTO rl_task_stat (learner_id, task_type, stat_key, stat_value, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'cache_eviction', s.tool_name, v.stat_key, v.stat_value, COALESCE(s.hit_count, 0) + COALESCE(s.miss_count, 0),
       legacy_time(s.last_updated, ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
CROSS JOIN LATERAL (VALUES ('estimated_value', s.estimated_value), ('hit_count', s.hit_count::double precision),
                           ('miss_count', s.miss_count::double precision)) v (stat_key, stat_value)
ON CONFLICT DO NOTHING;

-- table: cache_eviction_history
-- Positional as in the legacy learner: from the state, to the eviction decision, by the tool.
INSERT INTO rl_transition (learner_id, from_state, to_state, action, reward, metadata, created_at, source_table, source_key, run_id)
SELECT 'cache_eviction', s.state_key, s.action, s.tool_name, s.reward,
       jsonb_build_object('hit_after', CASE WHEN s.hit_after IS NULL THEN NULL ELSE s.hit_after <> 0 END),
       legacy_time(s."timestamp", ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: grounding_threshold_params
INSERT INTO rl_param (learner_id, param_key, param_value, context, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'grounding_threshold', v.prefix || ':' || s.context_key || ':' || s.threshold::text, v.value, NULL, s.sample_count,
       legacy_time(s.last_updated, ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
CROSS JOIN LATERAL (VALUES ('alpha', s.alpha), ('beta', s.beta)) v (prefix, value)
ON CONFLICT DO NOTHING;

-- table: grounding_threshold_stats
INSERT INTO rl_task_stat (learner_id, task_type, stat_key, stat_value, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'grounding_threshold', s.provider, v.stat_key, v.stat_value,
       COALESCE(s.true_positives, 0) + COALESCE(s.true_negatives, 0) + COALESCE(s.false_positives, 0) + COALESCE(s.false_negatives, 0),
       legacy_time(s.last_updated, ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
CROSS JOIN LATERAL (VALUES ('true_positives', s.true_positives::double precision), ('true_negatives', s.true_negatives::double precision),
                           ('false_positives', s.false_positives::double precision), ('false_negatives', s.false_negatives::double precision))
     v (stat_key, stat_value)
ON CONFLICT DO NOTHING;

-- table: grounding_threshold_history
INSERT INTO rl_transition (learner_id, from_state, to_state, action, reward, metadata, created_at, source_table, source_key, run_id)
SELECT 'grounding_threshold', s.context_key, s.result_type, s.threshold::text, s.reward, '{}'::jsonb,
       legacy_time(s."timestamp", ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: semantic_threshold_stats
INSERT INTO rl_task_stat (learner_id, task_type, stat_key, stat_value, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'semantic_threshold', s.context_key, v.stat_key, v.stat_value, s.total_searches, legacy_time(s.last_updated, ${tz}),
       ${table}, s._source_key, ${run}
FROM ${src} s
CROSS JOIN LATERAL (VALUES ('avg_threshold', s.avg_threshold), ('recommended_threshold', s.recommended_threshold),
                           ('zero_result_count', s.zero_result_count::double precision),
                           ('low_quality_count', s.low_quality_count::double precision),
                           ('avg_results_count', s.avg_results_count)) v (stat_key, stat_value)
ON CONFLICT DO NOTHING;

-- table: continuation_patience_stats
INSERT INTO rl_param (learner_id, param_key, param_value, context, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'continuation_patience', 'current_patience', COALESCE(s.current_patience, 5), s.context_key, s.total_sessions,
       legacy_time(s.last_updated, ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;
INSERT INTO rl_task_stat (learner_id, task_type, stat_key, stat_value, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'continuation_patience', s.context_key, v.stat_key, v.stat_value, s.total_sessions, legacy_time(s.last_updated, ${tz}),
       ${table}, s._source_key, ${run}
FROM ${src} s
CROSS JOIN LATERAL (VALUES ('total_sessions', s.total_sessions::double precision), ('false_positives', s.false_positives::double precision),
                           ('true_positives', s.true_positives::double precision),
                           ('missed_stuck_loops', s.missed_stuck_loops::double precision)) v (stat_key, stat_value)
ON CONFLICT DO NOTHING;

-- table: continuation_prompts_stats
INSERT INTO rl_param (learner_id, param_key, param_value, context, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'continuation_prompts', 'current_max_prompts', COALESCE(s.current_max_prompts, 3), s.context_key, s.total_sessions,
       legacy_time(s.last_updated, ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;
INSERT INTO rl_task_stat (learner_id, task_type, stat_key, stat_value, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'continuation_prompts', s.context_key, v.stat_key, v.stat_value, s.total_sessions, legacy_time(s.last_updated, ${tz}),
       ${table}, s._source_key, ${run}
FROM ${src} s
CROSS JOIN LATERAL (VALUES ('total_sessions', s.total_sessions::double precision),
                           ('successful_sessions', s.successful_sessions::double precision),
                           ('stuck_loop_count', s.stuck_loop_count::double precision),
                           ('forced_completion_count', s.forced_completion_count::double precision)) v (stat_key, stat_value)
ON CONFLICT DO NOTHING;

-- table: quality_weights
INSERT INTO rl_param (learner_id, param_key, param_value, context, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'quality_weights', v.prefix || ':' || s.dimension, v.value, s.task_type, s.sample_count,
       legacy_time(s.last_updated, ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
CROSS JOIN LATERAL (VALUES ('weight', s.weight), ('velocity', s.velocity)) v (prefix, value)
ON CONFLICT DO NOTHING;

-- table: quality_weight_history
-- Both JSON texts nested as JSON objects (not as strings holding JSON).
INSERT INTO rl_transition (learner_id, from_state, to_state, action, reward, metadata, created_at, source_table, source_key, run_id)
SELECT 'quality_weights', s.task_type, NULL, NULL, s.overall_success,
       jsonb_build_object('dimension_scores', s.dimension_scores::jsonb, 'weights_used', s.weights_used::jsonb),
       legacy_time(s."timestamp", ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: prompt_template_styles
INSERT INTO rl_param (learner_id, param_key, param_value, context, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'prompt_template', v.prefix || ':' || s.style, v.value, s.task_type || ':' || s.provider, s.sample_count,
       legacy_time(s.last_updated, ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
CROSS JOIN LATERAL (VALUES ('style_alpha', s.alpha), ('style_beta', s.beta)) v (prefix, value)
ON CONFLICT DO NOTHING;

-- table: prompt_template_elements
INSERT INTO rl_param (learner_id, param_key, param_value, context, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'prompt_template', v.prefix || ':' || s.element, v.value, s.task_type || ':' || s.provider, s.sample_count,
       legacy_time(s.last_updated, ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
CROSS JOIN LATERAL (VALUES ('elem_alpha', s.alpha), ('elem_beta', s.beta)) v (prefix, value)
ON CONFLICT DO NOTHING;

-- table: prompt_template_history
-- success here is a 0..1 score, not a flag, so it stays a number.
INSERT INTO rl_transition (learner_id, from_state, to_state, action, reward, metadata, created_at, source_table, source_key, run_id)
SELECT 'prompt_template', s.task_type, NULL, s.template_used, NULL,
       jsonb_build_object('provider', s.provider, 'model', s.model, 'success', s.success),
       legacy_time(s."timestamp", ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: curriculum_stages
INSERT INTO rl_param (learner_id, param_key, param_value, context, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'curriculum', 'current_stage', s.current_stage, s.context_key, 0, legacy_time(s.last_updated, ${tz}),
       ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: curriculum_metrics
INSERT INTO rl_task_stat (learner_id, task_type, stat_key, stat_value, sample_count, updated_at, source_table, source_key, run_id)
SELECT 'curriculum', s.context_key, 'stage_' || s.stage || ':' || v.metric, v.value, s.sample_count,
       legacy_time(s.last_updated, ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
CROSS JOIN LATERAL (VALUES ('success_count', s.success_count::double precision), ('avg_quality', s.avg_quality),
                           ('avg_iterations', s.avg_iterations), ('avg_tools_used', s.avg_tools_used)) v (metric, value)
ON CONFLICT DO NOTHING;

-- table: curriculum_history
INSERT INTO rl_transition (learner_id, from_state, to_state, action, reward, metadata, created_at, source_table, source_key, run_id)
SELECT 'curriculum', s.from_stage::text, s.to_stage::text, s.reason, NULL, jsonb_build_object('context_key', s.context_key),
       legacy_time(s."timestamp", ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: policy_checkpoints
INSERT INTO agent_policy_snapshot (learner_id, snapshot_name, policy_data, performance_score, created_at, source_table, source_key, run_id)
SELECT s.learner_name, s.version,
       jsonb_build_object('checkpoint_id', s.checkpoint_id, 'state', s.state::jsonb, 'metadata', s.metadata::jsonb,
                          'tags', s.tags::jsonb, 'parent_id', s.parent_id, 'state_hash', s.state_hash),
       NULL, legacy_time(s."timestamp", ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: team_composition_stats
-- Totals become the averages the target keeps; the totals the target had no column for are kept too.
INSERT INTO agent_team_config (config_key, formation, role_counts, task_category, execution_count, success_count, avg_quality,
                               avg_duration, q_value, updated_at, total_tools_used, total_budget, source_table, source_key, run_id)
SELECT s.composition_key, s.formation, s.role_counts::jsonb, s.task_category, s.total_executions, s.successes,
       COALESCE(s.total_quality / NULLIF(s.total_executions, 0), 0.5), COALESCE(s.total_duration / NULLIF(s.total_executions, 0), 0),
       s.q_value, legacy_time(s.last_updated, ${tz}), s.total_tools_used, s.total_budget, ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: team_execution_history
INSERT INTO agent_team_run (team_id, task_category, formation, role_counts, member_count, budget_used, tools_used, success,
                            quality_score, duration_seconds, created_at, source_table, source_key, run_id)
SELECT s.team_id, s.task_category, s.formation, s.role_counts::jsonb, s.member_count, s.total_budget, s.tools_used,
       CASE WHEN s.success IS NULL THEN NULL ELSE s.success <> 0 END, s.quality_score, s.duration_seconds,
       legacy_time(s."timestamp", ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: failed_signatures
INSERT INTO ui_failed_call (tool_name, args_hash, args_json, error_message, failure_count, first_seen, last_seen, expires_at,
                            source_table, source_key, run_id)
SELECT s.tool_name, s.args_hash, s.args_json::jsonb, s.error_message, s.failure_count, legacy_epoch(s.first_seen),
       legacy_epoch(s.last_seen), legacy_epoch(s.expires_at), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: schema_version
INSERT INTO sys_schema_version (version, applied_at, source_table, source_key, run_id)
SELECT s.version, NULL, ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: schema_version__conversation
-- The conversation store's version is text ('0.2.0'), so it is kept as metadata, not as a number.
INSERT INTO sys_metadata (key, value, updated_at, source_table, source_key, run_id)
SELECT 'conversation_schema_version:' || s.version, s.version, legacy_time(s.applied_at, ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: sessions
-- A file from before the profile column has it staged as NULL.
INSERT INTO ui_session (id, name, provider, model, profile, data, created_at, updated_at, source_table, source_key, run_id)
SELECT s.id, s.name, s.provider, s.model, s.profile, s.data::jsonb, legacy_time(s.created_at, ${tz}),
       legacy_time(s.updated_at, ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

-- table: sessions__conversation
-- The conversation store's session: every column kept in data, its metadata text as JSON.
INSERT INTO ui_session (id, name, provider, model, profile, data, created_at, updated_at, source_table, source_key, run_id)
SELECT s.session_id, NULL, NULL, s.model, s.profile,
       (to_jsonb(s) - '_source_key' - '_rowid') || jsonb_build_object('metadata', s.metadata::jsonb),
       legacy_time(s.created_at, ${tz}), legacy_time(s.last_activity, ${tz}), ${table}, s._source_key, ${run}
FROM ${src} s
ON CONFLICT DO NOTHING;

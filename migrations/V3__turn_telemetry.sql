-- Turn telemetry (seed 004): one row per model call (llm_call, the training data) or per user
-- turn (turn_summary, orchestration diagnostics).

CREATE TABLE agent_telemetry (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at        timestamptz DEFAULT CURRENT_TIMESTAMP,
    record_type       text         NOT NULL DEFAULT 'llm_call' CHECK (record_type IN ('llm_call', 'turn_summary')),
    project_id        varchar(255),
    session_id        text,
    user_message      text,
    model_used        varchar(255) NOT NULL,
    system_prompt     text         NOT NULL,
    chat_history      jsonb        NOT NULL,
    response_text     text,
    response_thoughts text,
    tool_calls        jsonb,
    tool_results      jsonb,
    stop_reason       text CHECK (stop_reason IN ('completed', 'round_cap', 'tool_failure', 'silent_rounds',
                                                  'user_aborted', 'empty_no_tools')
                              OR stop_reason LIKE 'loop_detected:%'),
    rounds            integer,
    tool_call_count   integer,
    turn_intent       text,
    chat_mode         text CHECK (chat_mode IN ('vibe', 'collaborate', 'delegate')),
    prompt_tokens     integer,
    completion_tokens integer,
    total_tokens      integer,
    duration_ms       integer      NOT NULL
);

CREATE INDEX idx_agent_telemetry_project ON agent_telemetry (project_id);
CREATE INDEX idx_agent_telemetry_created_at ON agent_telemetry (created_at DESC);
CREATE INDEX idx_agent_telemetry_session ON agent_telemetry (session_id);
CREATE INDEX idx_agent_telemetry_stop ON agent_telemetry (stop_reason);
CREATE INDEX idx_agent_telemetry_record_type ON agent_telemetry (record_type);

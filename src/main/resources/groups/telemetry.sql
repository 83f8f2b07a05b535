-- Turn telemetry (seed 004), created only when no agent_telemetry exists where one is configured:
-- the web app's own DDL, as it ships it (no CHECKs: a stop reason or chat mode the app adds later
-- must never be refused; `agent-etl check` reports values outside the lists of its comments).
CREATE TABLE IF NOT EXISTS agent_telemetry (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  -- 'llm_call' = one row per model call (training data)
  -- 'turn_summary' = one row per user turn (orchestration diagnostics)
  record_type TEXT NOT NULL DEFAULT 'llm_call',
  project_id VARCHAR(255),
  session_id TEXT, -- chat thread id; groups all calls of a conversation
  user_message TEXT, -- the user message that triggered the turn
  model_used VARCHAR(255) NOT NULL,
  system_prompt TEXT NOT NULL,
  chat_history JSONB NOT NULL,
  response_text TEXT,
  response_thoughts TEXT,
  tool_calls JSONB,
  tool_results JSONB, -- redacted tool outputs (turn_summary)
  -- Orchestration / governor diagnostics (turn_summary rows)
  stop_reason TEXT, -- completed | round_cap | loop_detected:* | tool_failure | silent_rounds | user_aborted | empty_no_tools
  rounds INTEGER, -- how many tool-loop rounds the turn ran
  tool_call_count INTEGER, -- total tool calls executed in the turn
  turn_intent TEXT, -- conversational vs action intent classification
  chat_mode TEXT, -- vibe | collaborate | delegate
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  total_tokens INTEGER,
  duration_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_agent_telemetry_project ON agent_telemetry(project_id);
CREATE INDEX IF NOT EXISTS idx_agent_telemetry_created_at ON agent_telemetry(created_at DESC);
CREATE INDEX IF NOT EXISTS idx_agent_telemetry_session ON agent_telemetry(session_id);
CREATE INDEX IF NOT EXISTS idx_agent_telemetry_stop ON agent_telemetry(stop_reason);
CREATE INDEX IF NOT EXISTS idx_agent_telemetry_record_type ON agent_telemetry(record_type);

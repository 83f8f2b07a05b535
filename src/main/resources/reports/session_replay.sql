-- The full trajectory of one conversation, in order (seed 004; needs --session THREAD_ID)
SELECT created_at, record_type, response_text, tool_calls
FROM agent_telemetry WHERE session_id = :session AND created_at >= :since ORDER BY created_at

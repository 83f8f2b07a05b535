-- Turns the governor cut off early: not completed, fewer than 3 rounds, tools running (seed 004)
SELECT created_at, project_id, user_message, stop_reason, rounds, tool_call_count
FROM agent_telemetry
WHERE record_type = 'turn_summary' AND stop_reason <> 'completed' AND rounds < 3 AND tool_call_count > 0
  AND created_at >= :since
ORDER BY created_at DESC LIMIT 200

-- The latest executions with their tools and feedback, newest first (seed 002, get_recent_executions)
SELECT e.created_at, e.goal_id, e.intent, e.success, e.duration_ms,
       (SELECT string_agg(t.tool_name || CASE WHEN t.success THEN '' ELSE ' (failed)' END, ', ' ORDER BY t.created_at, t.id)
        FROM tool_executions t WHERE t.execution_id = e.execution_id) AS tools,
       (SELECT round(avg(f.rating), 1) FROM execution_feedback f WHERE f.execution_id = e.execution_id) AS rating,
       (SELECT string_agg(f.feedback_text, ' | ' ORDER BY f.created_at, f.id)
        FROM execution_feedback f WHERE f.execution_id = e.execution_id) AS feedback,
       e.goal_text, e.execution_id
FROM executions e
WHERE e.created_at >= :since
ORDER BY e.created_at DESC, e.execution_id
LIMIT :limit

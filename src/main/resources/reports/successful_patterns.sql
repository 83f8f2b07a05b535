-- Model and tool pairs: calls, average time and success rate, best first (seed 000, 5.2)
SELECT s.model, t.tool_name, count(*) AS calls, round(avg(t.execution_time_ms), 2) AS avg_ms,
       round(count(*) FILTER (WHERE t.success) * 100.0 / count(*), 2) AS success_rate
FROM sessions s JOIN tool_calls t ON t.session_id = s.id
WHERE t.created_at >= :since
GROUP BY 1, 2 ORDER BY success_rate DESC, calls DESC

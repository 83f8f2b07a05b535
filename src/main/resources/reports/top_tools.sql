-- Tools ranked by success rate, with at least --min-executions executions (seed 002, get_top_tools)
SELECT tool_name, count(*) AS total_executions,
       count(*) FILTER (WHERE success) AS successful_executions,
       round(count(*) FILTER (WHERE success) * 100.0 / count(*), 2) AS success_rate,
       round(avg(duration_ms), 1) AS avg_duration_ms,
       max(created_at) AS last_used
FROM tool_executions
WHERE created_at >= :since AND tool_name IS NOT NULL
GROUP BY tool_name HAVING count(*) >= :min_executions
ORDER BY success_rate DESC, total_executions DESC, tool_name
LIMIT :limit

-- Execution time of successful tool calls per tool: min, max, avg, median, p95 (seed 000, 5.1)
SELECT tool_name, min(execution_time_ms) AS min_ms, max(execution_time_ms) AS max_ms,
       round(avg(execution_time_ms), 1) AS avg_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY execution_time_ms) AS median_ms,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY execution_time_ms) AS p95_ms
FROM tool_calls WHERE success AND created_at >= :since
GROUP BY tool_name ORDER BY tool_name

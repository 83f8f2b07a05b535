-- Execution success by intent, and over all intents (seed 002, get_success_rate)
SELECT CASE WHEN grouping(intent) = 1 THEN '(all)' ELSE coalesce(intent, '(none)') END AS intent,
       count(*) AS executions,
       count(*) FILTER (WHERE success) AS successful,
       round(count(*) FILTER (WHERE success) * 100.0 / count(*), 2) AS success_rate,
       round(avg(duration_ms), 1) AS avg_duration_ms
FROM executions
WHERE created_at >= :since
GROUP BY GROUPING SETS ((intent), ())
ORDER BY grouping(intent), success_rate DESC, 1

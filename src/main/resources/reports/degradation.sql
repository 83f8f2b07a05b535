-- Sessions per day: average duration and iterations, to spot degradation (seed 000, 5.2)
SELECT (created_at AT TIME ZONE 'UTC')::date AS day, round(avg(total_duration_ms)) AS avg_duration_ms,
       round(avg(total_iterations), 2) AS avg_iterations, count(*) AS sessions
FROM sessions WHERE created_at >= :since
GROUP BY 1 ORDER BY 1 DESC

-- Session success rate per model and day (seed 000, 5.1)
SELECT (created_at AT TIME ZONE 'UTC')::date AS day, model, count(*) AS sessions,
       count(*) FILTER (WHERE final_status = 'success') AS successful,
       round(count(*) FILTER (WHERE final_status = 'success') * 100.0 / count(*), 2) AS success_rate
FROM sessions WHERE created_at >= :since
GROUP BY 1, 2 ORDER BY 1 DESC, 2

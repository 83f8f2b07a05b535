-- Test cases per day: runs, pass rate, mean duration and iterations (seed 000, 5.1)
SELECT (tr.started_at AT TIME ZONE 'UTC')::date AS day, tc.name AS test_case, count(*) AS runs,
       count(*) FILTER (WHERE tr.passed) AS passed,
       round(count(*) FILTER (WHERE tr.passed) * 100.0 / count(*), 2) AS pass_rate,
       round(avg(tr.duration_ms), 1) AS avg_duration_ms,
       round(avg(tr.total_iterations), 2) AS avg_iterations
FROM test_runs tr JOIN test_cases tc ON tc.id = tr.test_case_id
WHERE tr.started_at >= :since
GROUP BY 1, 2 ORDER BY 1 DESC, 2

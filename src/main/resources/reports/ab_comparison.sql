-- Running A/B tests: runs and recorded metrics per variant (seed 000, 5.3)
SELECT t.test_name, r.variant_name, count(*) AS runs,
       round(avg((r.metrics->>'success_rate')::numeric), 4) AS success_rate,
       round(avg((r.metrics->>'avg_duration_ms')::numeric), 1) AS avg_duration_ms,
       round(avg((r.metrics->>'avg_iterations')::numeric), 2) AS avg_iterations
FROM ab_test_results r JOIN ab_tests t ON t.id = r.ab_test_id
WHERE t.status = 'running' AND r.created_at >= :since
GROUP BY 1, 2 ORDER BY 1, 2

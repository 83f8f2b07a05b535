-- Tools with more than 5 failures, by failure rate (seed 000, 5.2)
SELECT tool_name, count(*) AS calls, count(*) FILTER (WHERE NOT success) AS failures,
       round(count(*) FILTER (WHERE NOT success) * 100.0 / count(*), 2) AS failure_rate
FROM tool_calls WHERE created_at >= :since
GROUP BY tool_name HAVING count(*) FILTER (WHERE NOT success) > 5 ORDER BY failure_rate DESC

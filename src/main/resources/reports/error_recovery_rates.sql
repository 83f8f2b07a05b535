-- Recovery attempts and their success per error type and strategy (seed 000, 5.1)
SELECT error_type, recovery_strategy, count(*) AS attempts, count(*) FILTER (WHERE success) AS recovered,
       round(count(*) FILTER (WHERE success) * 100.0 / count(*), 2) AS recovery_rate
FROM error_recovery WHERE created_at >= :since
GROUP BY 1, 2 ORDER BY recovery_rate DESC, attempts DESC

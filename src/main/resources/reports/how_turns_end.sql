-- How turns end: count and average rounds per stop reason (seed 004)
SELECT stop_reason, count(*) AS turns, round(avg(rounds), 1) AS avg_rounds
FROM agent_telemetry WHERE record_type = 'turn_summary' AND created_at >= :since
GROUP BY stop_reason ORDER BY turns DESC

-- Sessions per system prompt version (sessions.metadata->>'prompt_version'), with success rate (seed 000, 5.3)
SELECT p.name AS prompt, p.version, count(DISTINCT s.id) AS sessions,
       round(count(*) FILTER (WHERE s.final_status = 'success') * 100.0 / nullif(count(*), 0), 2) AS success_rate,
       round(avg(s.total_iterations), 2) AS avg_iterations
FROM prompts p JOIN sessions s ON s.metadata->>'prompt_version' = p.version::text
      AND coalesce(s.metadata->>'prompt_name', p.name) = p.name
WHERE p.type = 'system' AND s.created_at >= :since
GROUP BY 1, 2 ORDER BY 1, 2 DESC

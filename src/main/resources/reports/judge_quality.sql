-- Judges per day, model and evaluation type: pass rate, confidence, disagreement on a test run (seed 000, 6.1)
-- A test run is split when its judges disagree (one passed it, another failed it); disagreement_rate is
-- the share of a judge's evaluations that were on split runs.
WITH split AS (
    SELECT test_run_id, bool_or(passed) AND NOT bool_and(passed) AS split
    FROM judge_evaluations
    WHERE test_run_id IN (SELECT test_run_id FROM judge_evaluations WHERE created_at >= :since)
    GROUP BY test_run_id)
SELECT (j.created_at AT TIME ZONE 'UTC')::date AS day, j.judge_model, coalesce(j.evaluation_type, '') AS evaluation_type,
       count(*) AS evaluations,
       count(*) FILTER (WHERE j.passed) AS passed,
       round(count(*) FILTER (WHERE j.passed) * 100.0 / count(*), 2) AS pass_rate,
       round(avg(j.confidence)::numeric, 3) AS avg_confidence,
       count(DISTINCT j.test_run_id) FILTER (WHERE s.split) AS split_runs,
       round(count(*) FILTER (WHERE s.split) * 100.0 / count(*), 2) AS disagreement_rate
FROM judge_evaluations j JOIN split s ON s.test_run_id = j.test_run_id
WHERE j.created_at >= :since
GROUP BY 1, 2, 3 ORDER BY 1 DESC, 2, 3

-- Consolidation speed, with no change to what is stored.

-- The value checks are STABLE, as pg_input_is_valid and the text-to-timestamptz cast they use are (both
-- read settings such as DateStyle and TimeZone). Declared IMMUTABLE, PostgreSQL would not inline them
-- into the validation query and called each one as a function per row: 0.80 s instead of 0.41 s to
-- check 400,000 JSON values (PostgreSQL 18).
ALTER FUNCTION legacy_parses(text, text) STABLE;
ALTER FUNCTION legacy_is_time(text) STABLE;
ALTER FUNCTION legacy_is_json(text) STABLE;

-- On the tables keyed by lineage alone, the unique lineage index of V12 answers every lookup the plain
-- lineage index of V5 did (an equality on source_table implies source_table IS NOT NULL); the second
-- index only cost a b-tree insert per consolidated row.
DROP INDEX idx_rl_outcome_lineage;
DROP INDEX idx_rl_transition_lineage;
DROP INDEX idx_rl_metric_lineage;
DROP INDEX idx_agent_team_run_lineage;
DROP INDEX idx_agent_policy_snapshot_lineage;


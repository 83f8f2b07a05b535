-- Consolidation of legacy learner tables: the schema the legacy tables are staged in, the value
-- conversions the transforms use, and one lineage key per source row on the tables that have no
-- natural key, so a re-run inserts nothing twice.

CREATE SCHEMA IF NOT EXISTS legacy;

-- Placeholder replaced below by the fastest variant the server supports.
CREATE FUNCTION legacy_parses(t text, type text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF type = 'jsonb' THEN PERFORM t::jsonb; ELSE PERFORM t::timestamptz; END IF;
    RETURN true;
EXCEPTION WHEN others THEN
    RETURN false;
END $$;

DO $$
BEGIN
    -- pg_input_is_valid (PostgreSQL 16+) checks without a subtransaction per value
    IF current_setting('server_version_num')::int >= 160000 THEN
        EXECUTE $f$
            CREATE OR REPLACE FUNCTION legacy_parses(t text, type text) RETURNS boolean
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                RETURN pg_input_is_valid(t, type)
        $f$;
    END IF;
END $$;

-- A time as Python's isoformat() wrote it: local and naive ('2026-11-22T10:29:11.790854', the fraction
-- optional), read in the source's time zone; with an explicit offset or Z, that offset wins.
-- Only ISO-shaped text counts: words PostgreSQL would accept ('now', 'epoch') are not times here.
CREATE FUNCTION legacy_is_time(t text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN t ~ '^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$'
       AND legacy_parses(t, 'timestamptz');

CREATE FUNCTION legacy_is_json(t text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN legacy_parses(t, 'jsonb');

CREATE FUNCTION legacy_time(t text, zone text) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN CASE
        WHEN t IS NULL THEN NULL
        WHEN t ~ '(Z|[+-]\d{2}(:?\d{2})?)$' AND t ~ '[T ]\d' THEN t::timestamptz
        ELSE t::timestamp AT TIME ZONE zone
    END;

-- julianday('now') in SQLite: days since noon UTC, 24 November 4714 BC (2440587.5 is the Unix epoch)
CREATE FUNCTION legacy_julian_day(d double precision) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_timestamp((d - 2440587.5) * 86400.0);

CREATE FUNCTION legacy_epoch(d double precision) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_timestamp(d);

CREATE UNIQUE INDEX uq_rl_outcome_source ON rl_outcome (source_table, source_key) WHERE source_table IS NOT NULL;
CREATE UNIQUE INDEX uq_rl_transition_source ON rl_transition (source_table, source_key) WHERE source_table IS NOT NULL;
CREATE UNIQUE INDEX uq_rl_metric_source ON rl_metric (source_table, source_key) WHERE source_table IS NOT NULL;
CREATE UNIQUE INDEX uq_agent_team_run_source ON agent_team_run (source_table, source_key) WHERE source_table IS NOT NULL;
CREATE UNIQUE INDEX uq_agent_policy_snapshot_source ON agent_policy_snapshot (source_table, source_key) WHERE source_table IS NOT NULL;

-- Team statistics keep their totals of tools and budget, which agent_team_config had no column for.
ALTER TABLE agent_team_config ADD COLUMN total_tools_used bigint;
ALTER TABLE agent_team_config ADD COLUMN total_budget bigint;

-- The checkpoint of a run interrupted between tables, and what a drop removed.
ALTER TABLE consolidation_tables ADD COLUMN source_file text;
ALTER TABLE consolidation_tables ADD COLUMN missing_keys text[];
ALTER TABLE consolidation_runs ADD COLUMN legacy_dropped_at timestamptz;

-- The kind of learner a legacy learner name is: Thompson-sampling posteriors (alpha/beta) and the
-- threshold and patience tuners are bandits, the quality weights a gradient step, the rest Q-learning.
CREATE FUNCTION legacy_learner_type(learner text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN learner IN ('grounding_threshold', 'prompt_template', 'semantic_threshold', 'continuation_patience',
                         'continuation_prompts', 'curriculum') THEN 'bandit'
        WHEN learner = 'quality_weights' THEN 'policy_gradient'
        ELSE 'q_learning'
    END;

-- Runs whose process or database session is gone (kill -9, a lost connection, a stop that did not let them
-- finish) are marked 'abandoned' instead of staying 'running' forever.
--
-- A running job_runs row is alive while the session that recorded it holds the advisory lock
-- (1634038785, id) (a lock of two int keys; objsubid 2 in pg_locks), an exports row while the session
-- exporting it holds (1634038786, id). Session locks go away with their session, whatever ended it, so
-- any other agent-etl process (the next command, any `run` node) can tell a live run from a dead one by
-- looking at pg_locks, which every role may read. Ids above 2^31 wrap (id & 2147483647).
--
-- Flyway runs this with search_path = agent-etl's schema: the names below are agent-etl's own tables.

DO $$
DECLARE
    c record;
BEGIN
    -- the status CHECKs of job_runs (V6/V14) and exports (V8/V14), whatever they were named
    FOR c IN SELECT con.conname, con.conrelid::regclass AS tbl
             FROM pg_constraint con
             WHERE con.conrelid IN ('job_runs'::regclass, 'exports'::regclass) AND con.contype = 'c'
               AND pg_get_constraintdef(con.oid) LIKE '%status%'
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
    END LOOP;
END $$;

ALTER TABLE job_runs ADD CONSTRAINT job_runs_status_check
    CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned'));
ALTER TABLE exports ADD CONSTRAINT exports_status_check
    CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned'));

-- when a run was found abandoned; why is in error (job_runs' error column, and a new one on exports)
ALTER TABLE job_runs ADD COLUMN IF NOT EXISTS abandoned_at timestamptz;
ALTER TABLE exports ADD COLUMN IF NOT EXISTS abandoned_at timestamptz;
ALTER TABLE exports ADD COLUMN IF NOT EXISTS error text;

-- the running rows are looked at by every command and every run node's check-in
CREATE INDEX IF NOT EXISTS idx_job_runs_running ON job_runs (id) WHERE status = 'running';
CREATE INDEX IF NOT EXISTS idx_exports_running ON exports (id) WHERE status = 'running';

-- Insights as queryable rows with their evidence (seed 000 keeps type, title, severity and data):
-- the rule and scope, both windows, sample sizes and interval, a fingerprint so that re-running in
-- the same window updates instead of duplicating, and a status open / acknowledged / resolved.
ALTER TABLE insights
    ADD COLUMN rule            text,
    ADD COLUMN fingerprint     text,
    ADD COLUMN scope           jsonb,
    ADD COLUMN status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
    ADD COLUMN current_from    timestamptz,
    ADD COLUMN current_to      timestamptz,
    ADD COLUMN baseline_from   timestamptz,
    ADD COLUMN baseline_to     timestamptz,
    ADD COLUMN sample_size     bigint,
    ADD COLUMN baseline_sample bigint,
    ADD COLUMN interval_low    double precision,
    ADD COLUMN interval_high   double precision,
    ADD COLUMN updated_at      timestamptz DEFAULT now(),
    ADD COLUMN resolved_at     timestamptz;
CREATE UNIQUE INDEX uq_insights_fingerprint ON insights (fingerprint);
CREATE INDEX idx_insights_status ON insights (status, severity);

-- Scheduled runs: which trigger firing a job run answers and which process ran it. The unique index
-- makes a double firing of one schedule visible as an error instead of a silent second run.

ALTER TABLE job_runs ADD COLUMN scheduled_for timestamptz;
ALTER TABLE job_runs ADD COLUMN node text;

CREATE UNIQUE INDEX uq_job_runs_scheduled_firing ON job_runs (job, scheduled_for) WHERE scheduled_for IS NOT NULL;

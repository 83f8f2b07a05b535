-- The facts of an export on its `exports` row (seed 000 keeps only type, filters, count and path):
-- dataset, status, time window and watermark, files and bytes, and the manifest itself.
ALTER TABLE exports
    ADD COLUMN dataset     text,
    ADD COLUMN status      text CHECK (status IN ('running', 'succeeded', 'failed')),
    ADD COLUMN watermark   jsonb,
    ADD COLUMN bytes       bigint,
    ADD COLUMN manifest    jsonb,
    ADD COLUMN started_at  timestamptz,
    ADD COLUMN finished_at timestamptz;
CREATE INDEX idx_exports_dataset ON exports (dataset, export_type, created_at DESC);

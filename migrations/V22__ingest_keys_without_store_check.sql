-- The key map holds one row per ingested source row (a million for a store of a million rows). Its foreign key
-- to ingest_stores made PostgreSQL run a trigger per row written, looking up the same store row each time: more
-- work than writing the row itself. ingest_stores rows are only ever added (by ingest, under the store's lock,
-- in the same transaction as the store's first keys) and never deleted, so the key adds nothing; it goes.
ALTER TABLE ingest_keys DROP CONSTRAINT IF EXISTS ingest_keys_store_id_fkey;

-- Ingest: the key map written faster, and counted without scanning it.

-- The key map holds one row per ingested source row (a million for a store of a million rows). Its foreign key
-- to ingest_stores made PostgreSQL run a trigger per row written, looking up the same store row each time: more
-- work than writing the row itself. ingest_stores rows are only ever added (by ingest, under the store's lock,
-- in the same transaction as the store's first keys) and never deleted, so the key adds nothing; it goes.
ALTER TABLE ingest_keys DROP CONSTRAINT IF EXISTS ingest_keys_store_id_fkey;

-- How many keys of each table of a store the map holds, and the highest: kept by ingest in the same transaction
-- as the keys, so a run learns whether a table the app only appends to still has every row mapped before
-- (the store holds as many rows up to that key as the map does) without counting the map's rows each time
-- (a scan of a million keys for every such table on every run). A --full run recounts them from the map.
CREATE TABLE ingest_tables (
    store_id       integer NOT NULL REFERENCES ingest_stores (id),
    source_table   text    NOT NULL,
    mapped_rows    bigint  NOT NULL,
    last_source_id bigint  NOT NULL,
    PRIMARY KEY (store_id, source_table)
);
INSERT INTO ingest_tables (store_id, source_table, mapped_rows, last_source_id)
SELECT store_id, source_table, count(*), max(source_id) FROM ingest_keys GROUP BY store_id, source_table;

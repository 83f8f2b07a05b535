package dev.agentetl.ingest;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One table's key map of a store (source id, target id, row hash), in source-id order, read from PostgreSQL (COPY,
 * binary) on a thread of its own while the caller reads the store: fetching and decoding the map (a row per source row,
 * 77,000 for the sessions of a million-row store) overlaps SQLite's stepping instead of taking turns with it.
 * The thread runs at most {@link #BLOCKS} blocks of {@link #BLOCK} keys ahead (memory bounded whatever the
 * table's size). Hashes are held as their two 64-bit halves, compared without building their text.
 */
final class MappedKeys implements AutoCloseable {

    static final int BLOCK = 4096;
    static final int BLOCKS = 4;

    /** Block of keys: 4 longs a key (source, target, hash high, hash low); {@code count} keys, or an end/failure marker. */
    private record Block(long[] keys, int count, Throwable failure) {
    }

    private static final Block END = new Block(new long[0], 0, null);

    private final BlockingQueue<Block> queue = new ArrayBlockingQueue<>(BLOCKS);
    private final Thread reader;
    private volatile boolean closed;
    private Block block;
    private int at;
    private boolean more;

    /** Starts reading the map of {@code table} (of the store set in agent_etl.ingest_store on {@code keys}). */
    MappedKeys(Connection keys, String table) throws SQLException {
        // COPY in binary: the map arrives as one stream of fixed-size fields, decoded here without a ResultSet row,
        // a text per value or a UUID parsed from its text (half the reader's time, which the caller waited for)
        String sql = "COPY (SELECT source_id, target_id, row_hash FROM ingest_keys WHERE store_id = "
                + "current_setting('agent_etl.ingest_store')::integer AND source_table = " + Sql.literal(table)
                + " ORDER BY source_id) TO STDOUT (FORMAT binary)";
        PGConnection pg = keys.unwrap(PGConnection.class);
        reader = new Thread(() -> read(pg, sql), "ingest-keys-" + table);
        reader.setDaemon(true);
        reader.start();
        next();
    }

    private void read(PGConnection pg, String sql) {
        Block last = END;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new PGCopyInputStream(pg, sql), 1 << 16))) {
            try {
                in.readFully(new byte[11]); // PGCOPY\n\377\r\n\0
                in.readInt();               // flags
                in.skipNBytes(in.readInt()); // header extension
                long[] keys = new long[BLOCK * 4];
                int n = 0;
                while (!closed) {
                    short fields = in.readShort();
                    if (fields == -1) break; // the trailer
                    in.readInt();
                    keys[n * 4] = in.readLong();
                    in.readInt();
                    keys[n * 4 + 1] = in.readLong();
                    if (in.readInt() == 16) {
                        keys[n * 4 + 2] = in.readLong();
                        keys[n * 4 + 3] = in.readLong();
                    } else {
                        keys[n * 4 + 2] = 0;
                        keys[n * 4 + 3] = 0;
                    }
                    if (++n == BLOCK) {
                        if (!put(new Block(keys, n, null))) break;
                        keys = new long[BLOCK * 4];
                        n = 0;
                    }
                }
                if (!closed && n > 0) put(new Block(keys, n, null));
            } finally {
                // left early: the rest of the COPY is read and dropped, so the connection (and its transaction) is
                // usable again; cancelling the COPY would abort the transaction
                try {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException ignored) {
                    // the COPY failed: that failure is the one reported
                }
            }
        } catch (Throwable e) {
            last = new Block(new long[0], 0, e instanceof java.io.IOException && e.getCause() instanceof SQLException s ? s : e);
        }
        put(last);
    }

    /** Waits for room unless the reader was closed (then the block is dropped). */
    private boolean put(Block b) {
        try {
            while (!closed) {
                if (queue.offer(b, 100, TimeUnit.MILLISECONDS)) return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Whether a key is at hand (false: the map is read to its end). */
    boolean more() {
        return more;
    }

    long source() {
        return block.keys[at * 4];
    }

    long target() {
        return block.keys[at * 4 + 1];
    }

    /** Whether the mapped row's hash is the 128-bit hash {@code hash} (as {@code MurmurHash3.hash128x64} gives it). */
    boolean sameHash(long[] hash) {
        return block.keys[at * 4 + 2] == hash[0] && block.keys[at * 4 + 3] == hash[1];
    }

    /** Moves to the next key; false at the end of the map. A failure reading the map is thrown here. */
    boolean next() throws SQLException {
        if (block != null && ++at < block.count) return more = true;
        if (block == END) return more = false;
        try {
            block = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while reading the key map", e);
        }
        at = 0;
        if (block.failure != null) {
            Throwable f = block.failure;
            block = END;
            if (f instanceof SQLException s) throw s;
            throw new SQLException(f.getMessage(), f);
        }
        return more = block != END;
    }

    /** Stops the reader (a table left before the end of its map) and waits for it: the connection is free again. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

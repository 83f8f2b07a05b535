package dev.agentetl.finetune;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The hashes of the examples written so far. Up to {@link #HEAP_LIMIT} of them are kept in the heap, in an
 * open-addressing table of two longs per hash (at most 16 MB), so the common export never waits for the
 * database: a round trip per batch to check them against a table was as long as reading the rows. Past the
 * limit they move into a temporary table of the export's transaction and are checked there a batch at a time,
 * so memory stays bounded whatever the data size.
 */
final class SeenExamples {

    /** Hashes kept in the heap before they move to the database. */
    static final int HEAP_LIMIT = 1 << 19;

    private final Connection c;
    private final int heapLimit;
    private long[] high = new long[1 << 12];
    private long[] low = new long[1 << 12];
    private boolean[] used = new boolean[1 << 12];
    private int size;
    private boolean inDatabase;

    SeenExamples(Connection c) {
        this(c, HEAP_LIMIT);
    }

    SeenExamples(Connection c, int heapLimit) {
        this.c = c;
        this.heapLimit = heapLimit;
    }

    /** Records the hashes and returns those not seen before. */
    Set<UUID> addNew(Collection<UUID> hashes) throws SQLException, IOException {
        if (!inDatabase && size + hashes.size() > heapLimit) moveToDatabase();
        if (inDatabase) return addInDatabase(hashes);
        Set<UUID> fresh = new HashSet<>();
        for (UUID h : hashes) {
            if (add(h.getMostSignificantBits(), h.getLeastSignificantBits())) fresh.add(h);
        }
        return fresh;
    }

    private boolean add(long hi, long lo) {
        if ((size + 1) * 2 > used.length) grow();
        int mask = used.length - 1;
        int i = (int) (lo ^ (lo >>> 32) ^ hi) & mask;
        while (used[i]) {
            if (high[i] == hi && low[i] == lo) return false;
            i = (i + 1) & mask;
        }
        used[i] = true;
        high[i] = hi;
        low[i] = lo;
        size++;
        return true;
    }

    private void grow() {
        long[] oldHigh = high, oldLow = low;
        boolean[] oldUsed = used;
        high = new long[oldUsed.length * 2];
        low = new long[oldUsed.length * 2];
        used = new boolean[oldUsed.length * 2];
        size = 0;
        for (int i = 0; i < oldUsed.length; i++) {
            if (oldUsed[i]) add(oldHigh[i], oldLow[i]);
        }
    }

    /** The heap's hashes into a temporary table (dropped when the transaction ends), in COPY chunks; the heap is freed. */
    private void moveToDatabase() throws SQLException, IOException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE finetune_seen (h uuid PRIMARY KEY) ON COMMIT DROP");
        }
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        StringBuilder chunk = new StringBuilder(1 << 20);
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) continue;
            chunk.append(new UUID(high[i], low[i])).append('\n');
            if (chunk.length() > (1 << 20) - 64) {
                copy.copyIn("COPY finetune_seen FROM STDIN", new StringReader(chunk.toString()));
                chunk.setLength(0);
            }
        }
        if (chunk.length() > 0) copy.copyIn("COPY finetune_seen FROM STDIN", new StringReader(chunk.toString()));
        high = low = null;
        used = null;
        inDatabase = true;
    }

    private Set<UUID> addInDatabase(Collection<UUID> hashes) throws SQLException {
        Set<UUID> fresh = new HashSet<>();
        if (hashes.isEmpty()) return fresh;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO finetune_seen SELECT DISTINCT unnest(?::uuid[]) ON CONFLICT DO NOTHING RETURNING h")) {
            ps.setArray(1, c.createArrayOf("uuid", hashes.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) fresh.add(rs.getObject(1, UUID.class));
            }
        }
        return fresh;
    }
}

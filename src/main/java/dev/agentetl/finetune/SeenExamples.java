package dev.agentetl.finetune;

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
 * The hashes of the examples written so far, kept in a temporary table of the export's transaction rather
 * than in the heap: a set of every example ever seen grows with the data, the table does not cost memory.
 * Checked a batch at a time, so a round trip serves hundreds of examples.
 */
final class SeenExamples {

    private final Connection c;

    /** Creates the table; it lives until the transaction ends. */
    SeenExamples(Connection c) throws SQLException {
        this.c = c;
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE finetune_seen (h uuid PRIMARY KEY) ON COMMIT DROP");
        }
    }

    /** Records the hashes and returns those not seen before. */
    Set<UUID> addNew(Collection<UUID> hashes) throws SQLException {
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

package dev.agentetl.generate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Hands out identity values of one table in blocks reserved from its sequence, so parent and child
 * rows can be written with COPY in one pass. Each value comes from the sequence itself, so
 * ids never collide with rows other writers insert meanwhile.
 */
final class IdAllocator {

    private static final int BLOCK = 10_000;

    private final Connection connection;
    private final String sequence;
    private final long[] block = new long[BLOCK];
    private int position = BLOCK;

    IdAllocator(Connection connection, String table) throws SQLException {
        this.connection = connection;
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_get_serial_sequence(?, 'id')")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                this.sequence = rs.getString(1);
            }
        }
    }

    long next() {
        if (position == BLOCK) {
            reserve();
        }
        return block[position++];
    }

    private void reserve() {
        // every value comes from its own nextval(), so a concurrent writer can never get one of ours
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT nextval(?::regclass) FROM generate_series(1, ?)")) {
            ps.setString(1, sequence);
            ps.setInt(2, BLOCK);
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) {
                    block[i++] = rs.getLong(1);
                }
            }
            position = 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reserve ids from " + sequence + ": " + e.getMessage(), e);
        }
    }
}

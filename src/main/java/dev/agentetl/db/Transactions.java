package dev.agentetl.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Transaction helpers. */
public final class Transactions {

    private Transactions() {
    }

    /**
     * Rolls back after a failure without hiding it: if the connection is already broken (the pool
     * closes connections after some errors), the rollback's own failure is attached as suppressed.
     */
    public static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}

package dev.agentetl.ingest;

import dev.agentetl.db.SqliteFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The store as of one moment, read without getting in the agent's way. VibeAgent's DatabaseManager uses
 * SQLite's default rollback journal, where a reader holding the file keeps the writer out (its inserts fail
 * after Python's 5 s timeout): so the file is first copied, under a read lock held only while it is copied,
 * and the copy is read. A store in WAL mode is read in place, in one read
 * transaction, which never blocks a writer. A writer holding the file is waited for, then reported.
 */
final class StoreSnapshot implements AutoCloseable {

    private final Connection connection;
    private final Path copy;

    private StoreSnapshot(Connection connection, Path copy) {
        this.connection = connection;
        this.copy = copy;
    }

    Connection connection() {
        return connection;
    }

    static StoreSnapshot of(Path file, int busyMillis) throws SQLException, IOException {
        Connection c = SqliteFiles.openReadOnly(file, busyMillis);
        Path copy = null;
        try {
            String mode;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                mode = rs.next() ? rs.getString(1) : "";
            }
            if (!"wal".equalsIgnoreCase(mode)) {
                copy = Files.createTempFile("agent-etl-store", ".db");
                // a read transaction holds SQLite's SHARED lock: no writer can change the file (a writer needs the
                // EXCLUSIVE lock to write it) until it ends, so a plain copy of the file is a consistent snapshot.
                // Several times faster than the online backup API, which copies page by page through SQLite.
                c.setAutoCommit(false);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
                    rs.next(); // the SHARED lock is taken here (a writer holding the file is waited for)
                }
                Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                c.rollback();
                c.close();
                c = SqliteFiles.openReadOnly(copy, busyMillis);
            }
            c.setAutoCommit(false);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
                rs.next(); // the read transaction starts here: every table is read as of this moment
            }
            return new StoreSnapshot(c, copy);
        } catch (SQLException e) {
            c.close();
            if (copy != null) Files.deleteIfExists(copy);
            String reason = SqliteFiles.reason(e);
            throw new SQLException(file + ": " + reason
                    + (reason.startsWith("database is locked") ? "; waited " + busyMillis + " ms, nothing was ingested" : ""), e);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.close();
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException ignored) {
                    // a temporary file; the system's cleanup takes it
                }
            }
        }
    }
}

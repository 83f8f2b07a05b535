package dev.agentetl.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;

/**
 * SQLite files as sources (legacy learner files, VibeAgent's store): opened read-only with SQLite's own
 * driver, so agent-etl never changes them, and their errors said in one line.
 */
public final class SqliteFiles {

    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private SqliteFiles() {
    }

    /** A read-only connection; a file locked by a writer is waited for {@code busyMillis} before SQLITE_BUSY. */
    public static Connection openReadOnly(Path file, int busyMillis) throws SQLException {
        Properties p = new Properties();
        p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        p.setProperty("busy_timeout", String.valueOf(busyMillis));
        return DriverManager.getConnection("jdbc:sqlite:" + file, p);
    }

    /** Why the file is not a SQLite database, or null when its header says it is one. */
    public static String headerProblem(Path file) {
        byte[] head = new byte[16];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 16);
            if (n == 0) return "empty file, not a SQLite database";
            if (n < 16 || !Arrays.equals(head, MAGIC)) return "not a SQLite database (no SQLite header)";
            return null;
        } catch (IOException e) {
            return "cannot read: " + e.getMessage();
        }
    }

    /** SQLite's error in words a user acts on. */
    public static String reason(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        if (m.contains("SQLITE_BUSY") || m.contains("locked")) return "database is locked by another process (" + m + ")";
        if (m.contains("SQLITE_CORRUPT") || m.contains("malformed")) return "database file is corrupt (" + m + ")";
        if (m.contains("SQLITE_NOTADB") || m.contains("not a database")) return "not a SQLite database (" + m + ")";
        return m;
    }
}

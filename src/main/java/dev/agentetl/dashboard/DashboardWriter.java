package dev.agentetl.dashboard;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * The {@code dashboard} job: reads the rollups, insights, exports and runs, draws the page and replaces the file
 * atomically (written beside it under a hidden name, then renamed over it), so a reader or a web server never
 * sees half a page. Options not given come from configuration ({@code agent-etl.dashboard.*}), so a scheduled
 * run (no options) writes the configured file.
 */
public final class DashboardWriter {

    private final DataSource home;
    private final Function<String, DataSource> sourceOf;
    private final Path defaultOut;
    private final int defaultDays;
    private final int historyRows;
    private final String database;

    public DashboardWriter(DataSource home, Function<String, DataSource> sourceOf, DashboardSettings settings, String database) {
        this.home = home;
        this.sourceOf = sourceOf;
        this.defaultOut = settings.out();
        this.defaultDays = settings.days();
        this.historyRows = settings.historyRows();
        this.database = database;
    }

    public DashboardReport write(DashboardRequest request) throws SQLException, IOException {
        long started = System.nanoTime();
        Path out = (request == null || request.out() == null ? defaultOut : request.out()).toAbsolutePath().normalize();
        int days = request == null || request.days() == null ? defaultDays : request.days();
        if (days < 1 || days > 366) throw new IllegalArgumentException("the dashboard shows 1 to 366 days, got " + days);
        LocalDate to = request == null || request.to() == null ? LocalDate.now(ZoneOffset.UTC) : request.to();
        DashboardData data;
        try (Connection h = home.getConnection();
             Connection interactions = sourceOf.apply("llm_responses").getConnection();
             Connection telemetry = sourceOf.apply("agent_telemetry").getConnection()) {
            for (Connection c : new Connection[]{h, interactions, telemetry}) c.setReadOnly(true);
            try {
                data = DashboardData.read(h, interactions, telemetry, to, days, historyRows);
            } finally {
                for (Connection c : new Connection[]{h, interactions, telemetry}) c.setReadOnly(false);
            }
        }
        byte[] page = DashboardPage.render(data, database, OffsetDateTime.now(ZoneOffset.UTC)).getBytes(StandardCharsets.UTF_8);
        replace(out, page);
        return new DashboardReport(out.toString(), page.length, sha256(page), data.from().toString(), data.to().toString(),
                data.counts(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Writes the bytes beside the file under a hidden name, forces them to disk, then renames over the file. */
    static void replace(Path out, byte[] bytes) throws IOException {
        Path dir = out.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".tmp");
        try {
            try (var ch = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                // readable by a web server or a colleague, as a file written the ordinary way would be
                Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the folder's ACL decides
            }
            try {
                Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.agentetl.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The cheap look at agent-etl's schema that every command takes before Flyway: the {@code migrations/}
 * files against Flyway's history table, in one query and without loading Flyway. Building Flyway and
 * resolving the migrations costs about half a second of start-up; it is only needed when something
 * changed. So this answers two questions conservatively, and anything it cannot vouch for (a file it does
 * not understand, a failed or unknown history row, an edited file) goes to Flyway as before:
 * <ul>
 *   <li>{@link #allApplied()}: every file is applied (or below the baseline), so Flyway would list nothing
 *       pending and jobs may run;</li>
 *   <li>{@link #unchanged()}: that, and each applied file's checksum and description are the ones Flyway
 *       recorded, with no applied migration missing from the folder, so {@code flyway migrate} (which
 *       validates first) would apply nothing and refuse nothing.</li>
 * </ul>
 * The checksum is Flyway's: CRC32 over the UTF-8 bytes of each line without its line break, a BOM dropped
 * from the first ({@code org.flywaydb.core.internal.resolver.ChecksumCalculator}).
 */
final class AppliedMigrations {

    /** Flyway's default naming: V, a version of digits with . or _ between them, __, a description, .sql. */
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__(.+)\\.sql");

    private record FileMigration(String version, String description, Path path) {
    }

    private record Applied(String version, String description, String type, Integer checksum, boolean success) {
    }

    private final List<FileMigration> files;
    private final Map<String, Applied> applied;
    /** The version of the baseline row (files at or below it are not pending), or null. */
    private final String baseline;
    /** A history row this class does not vouch for (failed, undo, repeatable, deleted): Flyway decides. */
    private final boolean unusualHistory;
    /** A migrations file outside the versioned naming: Flyway decides what it is. */
    private final boolean unusualFiles;
    /** The newest successfully applied version, as Flyway reports the schema's version. */
    private final String current;

    private AppliedMigrations(List<FileMigration> files, boolean unusualFiles, Map<String, Applied> applied,
                              String baseline, boolean unusualHistory, String current) {
        this.files = files;
        this.unusualFiles = unusualFiles;
        this.applied = applied;
        this.baseline = baseline;
        this.unusualHistory = unusualHistory;
        this.current = current;
    }

    /** Reads the folder and the history table ({@code schema.flyway_schema_history}, which must exist). */
    static AppliedMigrations read(Connection c, String schema, Path migrations) throws SQLException {
        List<FileMigration> files = new ArrayList<>();
        boolean unusualFiles = false;
        try (Stream<Path> list = Files.list(migrations)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String name = p.getFileName().toString();
                Matcher m = VERSIONED.matcher(name);
                if (m.matches() && Files.isRegularFile(p)) {
                    files.add(new FileMigration(normalize(m.group(1)), m.group(2).replace('_', ' '), p));
                } else if (name.endsWith(".sql") || !Files.isRegularFile(p)) {
                    unusualFiles = true; // a repeatable, an undo or a sub-folder: Flyway resolves those
                }
            }
        } catch (IOException e) {
            unusualFiles = true;
        }
        Map<String, Applied> applied = new HashMap<>();
        String baseline = null;
        boolean unusualHistory = false;
        String current = null;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, description, type, checksum, success FROM " + schema
                     + ".flyway_schema_history ORDER BY installed_rank")) {
            while (rs.next()) {
                String version = rs.getString(1);
                String type = rs.getString(3);
                int checksum = rs.getInt(4);
                Integer sum = rs.wasNull() ? null : checksum;
                boolean success = rs.getBoolean(5);
                if (version == null) {
                    if (!"SCHEMA".equals(type)) unusualHistory = true; // repeatables and markers Flyway knows
                    continue;
                }
                String v;
                try {
                    v = normalize(version);
                } catch (NumberFormatException e) {
                    unusualHistory = true;
                    continue;
                }
                if (!success || !(type.equals("SQL") || type.equals("BASELINE")) || applied.containsKey(v)) {
                    unusualHistory = true;
                    continue;
                }
                if (type.equals("BASELINE")) baseline = v;
                applied.put(v, new Applied(v, rs.getString(2), type, sum, true));
                if (current == null || compare(v, current) > 0) current = v;
            }
        }
        return new AppliedMigrations(files, unusualFiles, applied, baseline, unusualHistory, current);
    }

    /** Every file is applied or at or below the baseline: nothing is pending. */
    boolean allApplied() {
        if (unusualFiles || unusualHistory) return false;
        for (FileMigration f : files) {
            Applied a = applied.get(f.version());
            if (a != null) continue; // applied, or the baseline itself
            if (baseline != null && compare(f.version(), baseline) <= 0) continue;
            return false;
        }
        return true;
    }

    /**
     * Nothing pending and nothing edited: each applied file's checksum and description are as recorded, and
     * every applied migration above the baseline still has its file. {@code flyway migrate} would do nothing.
     */
    boolean unchanged() {
        if (!allApplied()) return false;
        Map<String, FileMigration> byVersion = new HashMap<>();
        for (FileMigration f : files) byVersion.put(f.version(), f);
        for (Applied a : applied.values()) {
            if (a.type().equals("BASELINE")) continue;
            FileMigration f = byVersion.get(a.version());
            if (f == null || a.checksum() == null || !a.description().equals(f.description())) return false;
            Integer sum = checksum(f.path());
            if (sum == null || sum.intValue() != a.checksum().intValue()) return false;
        }
        return true;
    }

    /** The newest applied version (e.g. "18"), or null when nothing is recorded. */
    String current() {
        return current;
    }

    /** Flyway's checksum of a migration file, or null when it cannot be read. */
    static Integer checksum(Path file) {
        CRC32 crc = new CRC32();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            if (line != null && !line.isEmpty() && line.charAt(0) == '\uFEFF') line = line.substring(1);
            while (line != null) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
                line = r.readLine();
            }
        } catch (IOException e) {
            return null;
        }
        return (int) crc.getValue();
    }

    /** "1_2" and "1.2" and "01.2" are one version to Flyway; trailing ".0" parts too. */
    private static String normalize(String version) {
        String[] parts = version.replace('_', '.').split("\\.");
        int end = parts.length;
        while (end > 1 && new java.math.BigInteger(parts[end - 1]).signum() == 0) end--;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < end; i++) {
            if (i > 0) sb.append('.');
            sb.append(new java.math.BigInteger(parts[i]));
        }
        return sb.toString();
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            java.math.BigInteger p = i < x.length ? new java.math.BigInteger(x[i]) : java.math.BigInteger.ZERO;
            java.math.BigInteger q = i < y.length ? new java.math.BigInteger(y[i]) : java.math.BigInteger.ZERO;
            int c = p.compareTo(q);
            if (c != 0) return c;
        }
        return 0;
    }
}

package dev.agentetl.archive;

import dev.agentetl.export.ParquetParts;
import dev.agentetl.progress.Progress;
import dev.agentetl.runtime.Cancellation;
import dev.agentetl.runtime.Errors;
import dev.agentetl.runtime.JobReport;
import dev.agentetl.db.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code archive} job (seed 000's retention): a dataset's rows older than a cutoff, with every row that refers
 * to them ({@link ArchiveScope}), are selected in one snapshot, written to Parquet under
 * {@code <dir>/<dataset>/<table>/dt=<day>/} by the export's writer, read back and checked (row count and key
 * checksum per table against the database's figures for the selection), and only then deleted, by the archived
 * keys, in batches: rows that arrived meanwhile are not in the files and are not touched. The manifest records how
 * far a run got, and the next run of the dataset finishes what a stopped one left ({@link ArchiveManifest}).
 */
public final class Archiver {

    private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'");

    /** The archive's settings; {@code datasets} and {@code olderThan} are what a run without a request archives. */
    public record Settings(Path dir, int batchSize, long rowsPerFile, String compression, List<String> datasets,
                           Duration olderThan) {
    }

    private final Function<String, DataSource> sourceOf;
    private final Settings settings;

    public Archiver(Function<String, DataSource> sourceOf, Settings settings) {
        this.sourceOf = sourceOf;
        this.settings = settings;
    }

    /** One dataset as asked; with no request (a schedule), every configured dataset, one failing not stopping the others. */
    public JobReport archive(ArchiveRequest request) throws Exception {
        if (request != null) {
            return new ArchiveReport(List.of(run(request)), List.of());
        }
        List<ArchiveReport.Run> runs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (settings.datasets().isEmpty()) problems.add("agent-etl.archive.datasets is empty: nothing to archive");
        for (String dataset : settings.datasets()) {
            try {
                runs.add(run(new ArchiveRequest(dataset, settings.olderThan(), false, null, "schedule")));
            } catch (Exception e) {
                if (Cancellation.isCancellation(e)) throw e;
                problems.add(dataset + ": " + Errors.oneLine(e));
            }
        }
        return new ArchiveReport(runs, problems);
    }

    private ArchiveReport.Run run(ArchiveRequest request) throws Exception {
        long started = System.nanoTime();
        Path base = (request.outDir() != null ? request.outDir() : settings.dir()).toAbsolutePath().normalize();
        Path folder = base.resolve(request.dataset()).normalize();
        if (!base.equals(folder.getParent())) {
            // a table may be named ".." or "a/b": its archive still goes into a folder of its own under the archive folder
            throw new IllegalArgumentException("dataset '" + request.dataset() + "' cannot be a folder of its own under " + base);
        }
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(request.olderThan());
        DataSource ds = sourceOf.apply(request.dataset());
        try (Connection c = ds.getConnection()) {
            // one archive of a dataset at a time, from finishing what an earlier one left to its last delete
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
                lock.setString(1, "archive:" + request.dataset());
                lock.execute();
            }
            try {
                ArchiveScope scope = ArchiveScope.of(c, request.dataset());
                List<String> finished = request.dryRun() ? List.of() : finishEarlier(c, scope, folder);
                if (request.dryRun()) {
                    List<ArchiveManifest.TablePart> counted = select(c, scope, cutoff, null, null, List.of());
                    return new ArchiveReport.Run(request.dataset(), cutoff.toString(), true, null, null, counted, finished,
                            millis(started), java.util.Map.of());
                }
                String id = ID.format(OffsetDateTime.now(ZoneOffset.UTC));
                ArchiveManifest m = new ArchiveManifest();
                m.archive_id = id;
                m.dataset = request.dataset();
                m.older_than = request.olderThan().toString();
                m.cutoff = cutoff.toString();
                m.created_at = OffsetDateTime.now(ZoneOffset.UTC).toString();
                List<ParquetParts> written = new ArrayList<>();
                m.tables = select(c, scope, cutoff, folder, id, written);
                long selected = System.nanoTime();
                if (m.tables.isEmpty()) {
                    return new ArchiveReport.Run(request.dataset(), cutoff.toString(), false, null, null, List.of(), finished,
                            millis(started), java.util.Map.of());
                }
                // complete files get their names, then the manifest: a stop in between leaves parts without a
                // manifest, which the next run removes (no row was deleted)
                try {
                    for (ParquetParts p : written) p.publish();
                    m.state = "written";
                    m.write(folder);
                } catch (IOException | RuntimeException e) {
                    written.forEach(ParquetParts::abandon);
                    throw e;
                }
                long[] phases;
                try {
                    phases = verifyAndDelete(c, scope, folder, m);
                } catch (ReadBack.Mismatch e) {
                    // nothing was deleted: the files and the manifest go, and the run fails saying why
                    written.forEach(ParquetParts::abandon);
                    Files.deleteIfExists(folder.resolve(ArchiveManifest.fileName(id)));
                    throw new IllegalStateException("archive " + request.dataset() + ": the files did not read back as selected ("
                            + e.getMessage() + "); nothing was deleted and the files are removed", e);
                }
                m.phase_millis.put("select_and_write", (selected - started) / 1_000_000);
                m.phase_millis.put("read_back", phases[0]);
                m.phase_millis.put("delete", phases[1]);
                m.write(folder);
                LOG.info("archive {} {}: {} rows archived and deleted", request.dataset(), id, m.tables.stream().mapToLong(t -> t.deleted).sum());
                return new ArchiveReport.Run(request.dataset(), cutoff.toString(), false, id,
                        folder.resolve(ArchiveManifest.fileName(id)).toString(), m.tables, finished, millis(started), m.phase_millis);
            } finally {
                try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
                    unlock.setString(1, "archive:" + request.dataset());
                    unlock.execute();
                } catch (SQLException e) {
                    LOG.debug("archive lock not released: {}", e.getMessage()); // the session is gone, and the lock with it
                }
            }
        }
    }

    /**
     * Selects the rows in one snapshot (REPEATABLE READ) into temporary key tables, takes the database's count and
     * key checksum of each, and, unless counting only ({@code folder} null), writes each table's rows into its
     * Parquet folder. Returns nothing when the dataset has no row old enough.
     */
    private List<ArchiveManifest.TablePart> select(Connection c, ArchiveScope scope, OffsetDateTime cutoff, Path folder,
                                                   String id, List<ParquetParts> written) throws Exception {
        List<ArchiveManifest.TablePart> parts = new ArrayList<>();
        c.setAutoCommit(false);
        try {
            try (Statement st = c.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                st.execute("SET LOCAL TIME ZONE 'UTC'");
            }
            List<ArchiveScope.Table> tables = scope.tables();
            for (int i = 0; i < tables.size(); i++) {
                Cancellation.throwIfRequested();
                ArchiveScope.Table t = tables.get(i);
                String sql = "CREATE TEMP TABLE " + keys(i) + " ON COMMIT DROP AS SELECT t." + t.quotedKey() + " AS k FROM "
                        + t.qualified() + " t WHERE " + condition(scope, t);
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    if (t.root()) ps.setObject(1, cutoff);
                    ps.execute();
                }
                try (Statement st = c.createStatement()) {
                    st.execute("ANALYZE " + keys(i));
                }
                ArchiveManifest.TablePart p = new ArchiveManifest.TablePart();
                p.table = t.name;
                p.schema = t.schema;
                p.key = t.key;
                p.key_type = t.keyType;
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*), " + KeyChecksum.SQL + " FROM " + keys(i))) {
                    rs.next();
                    p.rows = rs.getLong(1);
                    p.key_checksum = KeyChecksum.hex(KeyChecksum.of(rs.getBigDecimal(2).toBigIntegerExact()));
                }
                if (t.root() && p.rows == 0) return List.of();
                parts.add(p);
            }
            if (folder != null) {
                String day = "dt=" + OffsetDateTime.now(ZoneOffset.UTC).toLocalDate();
                String prefix = "part-" + id;
                for (int i = 0; i < tables.size(); i++) {
                    ArchiveScope.Table t = tables.get(i);
                    ParquetParts files;
                    try (Progress shown = Progress.start("archive " + t.name, "rows", parts.get(i).rows)) {
                        files = ParquetParts.write(c, "SELECT t.* FROM " + t.qualified() + " t WHERE t." + t.quotedKey()
                                        + " IN (SELECT k FROM " + keys(i) + ") ORDER BY t." + t.quotedKey(), List.of(),
                                folder.resolve(t.name).resolve(day), prefix, settings.rowsPerFile(), settings.compression(), shown);
                    }
                    written.add(files);
                    if (files.rows() != parts.get(i).rows) {
                        throw new IllegalStateException("archive of " + t.name + ": " + files.rows() + " rows written, "
                                + parts.get(i).rows + " selected");
                    }
                    for (ParquetParts.File f : files.files()) {
                        parts.get(i).files.add(new ParquetParts.File(t.name + "/" + f.file(), f.rows(), f.bytes(), f.sha256()));
                    }
                }
            }
            c.commit();
            return parts;
        } catch (Exception e) {
            written.forEach(ParquetParts::abandon);
            Transactions.rollbackQuietly(c, e);
            throw e;
        } finally {
            if (!c.getAutoCommit()) {
                c.rollback(); // a dry run, or nothing old enough: the temporary tables go with it
            }
            c.setAutoCommit(true);
        }
    }

    /** Reads the files back; equal to the selection: recorded as verified, then the rows go. Returns the two phases' ms. */
    private long[] verifyAndDelete(Connection c, ArchiveScope scope, Path folder, ArchiveManifest m) throws Exception {
        long t0 = System.nanoTime();
        if ("written".equals(m.state)) {
            ReadBack.verify(folder, m);
            m.state = "verified";
            m.verified_at = OffsetDateTime.now(ZoneOffset.UTC).toString();
            m.write(folder);
        }
        long t1 = System.nanoTime();
        new BatchDelete(c, scope, settings.batchSize()).deleteArchived(folder, m);
        m.state = "deleted";
        m.deleted_at = OffsetDateTime.now(ZoneOffset.UTC).toString();
        m.write(folder);
        return new long[]{(t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000};
    }

    /**
     * What earlier runs of the dataset left: files of a run stopped before its manifest (no row was deleted: they
     * go), and runs stopped before their last delete, finished now: read back if they were not yet, then their
     * archived rows deleted. A run whose files do not read back as selected never deleted anything: its files go.
     */
    private List<String> finishEarlier(Connection c, ArchiveScope scope, Path folder) throws Exception {
        List<String> finished = new ArrayList<>();
        List<String> live = new ArrayList<>();
        for (Path file : ArchiveManifest.all(folder)) {
            ArchiveManifest m = ArchiveManifest.read(file);
            live.add(m.archive_id);
            if ("deleted".equals(m.state)) continue;
            if ("written".equals(m.state)) {
                try {
                    ReadBack.verify(folder, m);
                } catch (ReadBack.Mismatch e) {
                    LOG.warn("archive {} of {} did not read back as selected ({}); none of its rows was deleted, its files are removed",
                            m.archive_id, m.dataset, e.getMessage());
                    Files.delete(file);
                    live.remove(m.archive_id);
                    continue;
                }
            }
            verifyAndDelete(c, scope, folder, m);
            finished.add(m.archive_id);
        }
        ReadBack.removeDebris(folder, live);
        return finished;
    }

    private static String keys(int i) {
        return "archive_keys_" + i;
    }

    /** Which rows of {@code t} go: the root's older than the cutoff; another table's those referring to rows that go. */
    private static String condition(ArchiveScope scope, ArchiveScope.Table t) {
        if (t.root()) return "t." + ArchiveScope.quote(t.time.get()) + " < ?";
        List<String> any = new ArrayList<>();
        List<ArchiveScope.Table> tables = scope.tables();
        for (ArchiveScope.Edge e : t.parents) {
            int p = tables.indexOf(e.parent());
            if (e.parentColumn().equals(e.parent().key)) {
                any.add("t." + ArchiveScope.quote(e.column()) + " IN (SELECT k FROM " + keys(p) + ")");
            } else {
                any.add("t." + ArchiveScope.quote(e.column()) + " IN (SELECT p." + ArchiveScope.quote(e.parentColumn()) + " FROM "
                        + e.parent().qualified() + " p WHERE p." + e.parent().quotedKey() + " IN (SELECT k FROM " + keys(p) + "))");
            }
        }
        t.tagged.forEach((type, tagged) -> any.add("(t.entity_type = '" + type.replace("'", "''") + "' AND t.entity_id IN (SELECT k FROM "
                + keys(tables.indexOf(tagged)) + "))"));
        return String.join(" OR ", any);
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}

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
 * far a run got, and the next run of the dataset finishes what a stopped one left ({@link ArchiveManifest}). Its
 * steps are those of routes/archive.camel.yaml; their state travels between them in an {@link ArchiveRun}.
 */
public final class Archiver {

    private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'");

    private final Function<String, DataSource> sourceOf;
    private final ArchiveSettings settings;

    public Archiver(Function<String, DataSource> sourceOf, ArchiveSettings settings) {
        this.sourceOf = sourceOf;
        this.settings = settings;
    }

    // ---- The steps of routes/archive.camel.yaml, in their order. The job's state is an ArchiveRun, the dataset's in
    // ---- hand an ArchiveRun.Dataset, both in the exchange.

    /** The datasets to archive: the one asked for, or with no request (a schedule) every configured one. */
    public ArchiveRun plan(ArchiveRequest request) {
        if (request != null) return new ArchiveRun(List.of(request), true);
        ArchiveRun run = new ArchiveRun(settings.datasets().stream()
                .map(d -> new ArchiveRequest(d, settings.olderThan(), false, null, "schedule")).toList(), false);
        if (settings.datasets().isEmpty()) run.problems.add("agent-etl.archive.datasets is empty: nothing to archive");
        return run;
    }

    /** Dataset {@code index} of the job: its folder under the archive folder and the cutoff. */
    public ArchiveRun.Dataset dataset(ArchiveRun run, int index) {
        ArchiveRun.Dataset d = new ArchiveRun.Dataset(run.requests.get(index));
        ArchiveRequest request = d.request;
        Path base = (request.outDir() != null ? request.outDir() : settings.dir()).toAbsolutePath().normalize();
        d.folder = base.resolve(request.dataset()).normalize();
        if (!base.equals(d.folder.getParent())) {
            // a table may be named ".." or "a/b": its archive still goes into a folder of its own under the archive folder
            throw new IllegalArgumentException("dataset '" + request.dataset() + "' cannot be a folder of its own under " + base);
        }
        d.cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(request.olderThan());
        return d;
    }

    /** Lock the dataset: one archive of it at a time, from finishing what an earlier one left to its last delete. */
    public void lockDataset(ArchiveRun.Dataset d) throws SQLException {
        d.c = sourceOf.apply(d.request.dataset()).getConnection();
        try (PreparedStatement lock = d.c.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
            lock.setString(1, "archive:" + d.request.dataset());
            lock.execute();
        }
        d.locked = true;
    }

    /** Finish what an earlier run of the dataset left (its manifest tells how far it got); the tables the dataset covers. */
    public void finishEarlier(ArchiveRun.Dataset d) throws Exception {
        d.scope = ArchiveScope.of(d.c, d.request.dataset());
        d.finished = d.request.dryRun() ? List.of() : finishEarlier(d.c, d.scope, d.folder);
    }

    /**
     * Select the rows older than the cutoff in one snapshot (each table's count and key checksum) and write them to
     * Parquet under hidden names; a dry run only counts, and a dataset with no row old enough is done here.
     */
    public void selectAndWrite(ArchiveRun.Dataset d) throws Exception {
        ArchiveRequest request = d.request;
        if (request.dryRun()) {
            List<ArchiveManifest.TablePart> counted = select(d.c, d.scope, d.cutoff, null, null, List.of());
            d.result = new ArchiveReport.Run(request.dataset(), d.cutoff.toString(), true, null, null, counted, d.finished,
                    millis(d.started), java.util.Map.of());
            return;
        }
        d.id = ID.format(OffsetDateTime.now(ZoneOffset.UTC));
        ArchiveManifest m = d.manifest = new ArchiveManifest();
        m.archive_id = d.id;
        m.dataset = request.dataset();
        m.older_than = request.olderThan().toString();
        m.cutoff = d.cutoff.toString();
        m.created_at = OffsetDateTime.now(ZoneOffset.UTC).toString();
        m.tables = select(d.c, d.scope, d.cutoff, d.folder, d.id, d.written);
        d.selected = System.nanoTime();
        if (m.tables.isEmpty()) {
            d.result = new ArchiveReport.Run(request.dataset(), d.cutoff.toString(), false, null, null, List.of(), d.finished,
                    millis(d.started), java.util.Map.of());
        }
    }

    /**
     * Publish: complete files get their names, then the manifest (state written): a stop in between leaves parts
     * without a manifest, which the next run removes (no row was deleted).
     */
    public void publish(ArchiveRun.Dataset d) throws IOException {
        try {
            for (ParquetParts p : d.written) p.publish();
            d.manifest.state = "written";
            d.manifest.write(d.folder);
        } catch (IOException | RuntimeException e) {
            d.written.forEach(ParquetParts::abandon);
            throw e;
        }
    }

    /**
     * Read the files back and check them against the selection, then delete the archived rows by their keys in
     * batches; the manifest records it. Files that do not read back as selected are removed and nothing is deleted.
     */
    public void readBackAndDelete(ArchiveRun.Dataset d) throws Exception {
        ArchiveRequest request = d.request;
        ArchiveManifest m = d.manifest;
        long[] phases;
        try {
            phases = verifyAndDelete(d.c, d.scope, d.folder, m);
        } catch (ReadBack.Mismatch e) {
            // nothing was deleted: the files and the manifest go, and the run fails saying why
            d.written.forEach(ParquetParts::abandon);
            Files.deleteIfExists(d.folder.resolve(ArchiveManifest.fileName(d.id)));
            throw new IllegalStateException("archive " + request.dataset() + ": the files did not read back as selected ("
                    + e.getMessage() + "); nothing was deleted and the files are removed", e);
        }
        m.phase_millis.put("select_and_write", (d.selected - d.started) / 1_000_000);
        m.phase_millis.put("read_back", phases[0]);
        m.phase_millis.put("delete", phases[1]);
        m.write(d.folder);
        LOG.info("archive {} {}: {} rows archived and deleted", request.dataset(), d.id, m.tables.stream().mapToLong(t -> t.deleted).sum());
        d.result = new ArchiveReport.Run(request.dataset(), d.cutoff.toString(), false, d.id,
                d.folder.resolve(ArchiveManifest.fileName(d.id)).toString(), m.tables, d.finished, millis(d.started), m.phase_millis);
    }

    /** Whatever happened: the dataset's lock released and its connection closed. */
    public void release(ArchiveRun.Dataset d) throws SQLException {
        if (d == null || d.c == null) return;
        try (Connection c = d.c) {
            if (d.locked) {
                try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
                    unlock.setString(1, "archive:" + d.request.dataset());
                    unlock.execute();
                } catch (SQLException e) {
                    LOG.debug("archive lock not released: {}", e.getMessage()); // the session is gone, and the lock with it
                }
            }
        }
    }

    /** The dataset done: its result joins the job's. */
    public void archived(ArchiveRun run, ArchiveRun.Dataset d) {
        run.runs.add(d.result);
    }

    /** A dataset failed: the job fails when it was the one asked for (or on a stop); a schedule's run notes it and goes on. */
    public void failed(ArchiveRun run, int index, Exception e) throws Exception {
        if (run.asked || Cancellation.isCancellation(e)) throw e;
        run.problems.add(run.requests.get(index).dataset() + ": " + Errors.oneLine(e));
    }

    /** The job's report: each dataset's archive, and the problems of those that failed. */
    public JobReport report(ArchiveRun run) {
        return new ArchiveReport(run.runs, run.problems);
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

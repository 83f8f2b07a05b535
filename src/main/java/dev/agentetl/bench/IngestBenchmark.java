package dev.agentetl.bench;

import dev.agentetl.db.Database;
import dev.agentetl.ingest.IngestReport;
import dev.agentetl.ingest.IngestRequest;
import dev.agentetl.ingest.StoreWriter;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.JobReport;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static dev.agentetl.bench.BenchSupport.ms;

/**
 * {@code bench ingest}: a generated VibeAgent store of N rows ingested on a scratch database, first run, re-run
 * with nothing new, and an increment of 1 % (new sessions, open sessions ended); in the same run pgloader
 * loading the same file (the anchor: it neither converts the values nor keeps keys). Rounds alternate the
 * paths; the best time of each counts.
 */
public final class IngestBenchmark {

    /** Rows per generated session (the session, 6 messages, 2 tool calls and their results, a step, a metric). */
    private static final int ROWS_PER_SESSION = 13;

    private final DataSource admin;
    private final Database server;
    private final AppConfig config;

    public IngestBenchmark(DataSource admin, Database server, AppConfig config) {
        this.admin = admin;
        this.server = server;
        this.config = config;
    }

    public record Options(long rows, String pgloader, int repeat) {
    }

    public JobReport run(Options options) throws Exception {
        Path dir = Files.createTempDirectory("agent-etl-bench-ingest");
        try {
            int sessions = (int) Math.max(1, options.rows() / ROWS_PER_SESSION);
            Path original = dir.resolve("vibeagent.db");
            long rows = new StoreWriter(original, 42).create(sessions);
            long first = Long.MAX_VALUE, rerun = Long.MAX_VALUE, increment = Long.MAX_VALUE, incrementRows = 0;
            Map<String, Long> firstPhases = Map.of(), rerunPhases = Map.of(), incrementPhases = Map.of();
            PgloaderAnchor.Run pgloader = null;
            int rounds = Math.max(1, options.repeat());
            for (int i = 0; i < rounds; i++) {
                PgloaderAnchor.Run p = new PgloaderAnchor(admin, server, config, options.pgloader()).load(List.of(original), dir, rows,
                        // a plain load: VibeAgent's JSON, BOOLEAN and TIMESTAMP columns as they are stored
                        "  CAST type json to text drop default, type boolean to bigint drop default,\n"
                                + "       type timestamp to text drop default, type real to \"double precision\" drop default using float-to-string,\n"
                                + "       type text to text drop default, type integer to bigint drop default;\n");
                pgloader = pgloader == null || (p.millis() > 0 && (pgloader.millis() == 0 || p.millis() < pgloader.millis())) ? p : pgloader;
                Path store = dir.resolve("round.db");
                Files.copy(original, store, StandardCopyOption.REPLACE_EXISTING);
                try (ScratchDatabase scratch = new ScratchDatabase(admin, server, config);
                     AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(scratch.config(), "bench")) {
                    IngestRequest request = new IngestRequest("sqlite:" + store, "UTC", false, false);
                    long t0 = System.nanoTime();
                    IngestReport a = (IngestReport) rt.run("ingest", request);
                    long took = ms(t0);
                    if (took < first) firstPhases = a.phaseMillis();
                    first = Math.min(first, took);
                    check(a, rows, "first ingest");
                    t0 = System.nanoTime();
                    IngestReport b = (IngestReport) rt.run("ingest", request);
                    took = ms(t0);
                    if (took < rerun) rerunPhases = b.phaseMillis();
                    rerun = Math.min(rerun, took);
                    if (b.rowsWritten() != 0) throw new IllegalStateException("the re-run wrote " + b.rowsWritten() + " rows");
                    incrementRows = new StoreWriter(store, 1000 + i).grow(Math.max(1, sessions / 100), Math.max(1, sessions / 200));
                    t0 = System.nanoTime();
                    IngestReport c = (IngestReport) rt.run("ingest", request);
                    took = ms(t0);
                    if (took < increment) incrementPhases = c.phaseMillis();
                    increment = Math.min(increment, took);
                    if (c.rowsWritten() != incrementRows) {
                        throw new IllegalStateException("the increment wrote " + c.rowsWritten() + " rows, expected " + incrementRows);
                    }
                }
            }
            long heapMb = Runtime.getRuntime().maxMemory() >> 20;
            StringBuilder out = new StringBuilder();
            out.append(String.format("ingest benchmark on a generated VibeAgent store of %,d rows (%,d sessions; same run, heap limit %,d MB, "
                    + "best of %d round%s, paths alternating)%n", rows, sessions, heapMb, rounds, rounds == 1 ? "" : "s"))
                    .append(String.format("%-44s %10s %12s%n", "step", "seconds", "rows/s"))
                    .append(String.format("%-44s %10.2f %,12d%n", "agent-etl ingest, first run", first / 1000.0, rows * 1000 / Math.max(1, first)))
                    .append(String.format("  phases (ms): %s%n", firstPhases))
                    .append(String.format("%-44s %10.2f%n", "agent-etl ingest, re-run (nothing new)", rerun / 1000.0))
                    .append(String.format("  phases (ms): %s%n", rerunPhases))
                    .append(String.format("%-44s %10.2f %12s%n", "agent-etl ingest, 1 % increment", increment / 1000.0, incrementRows + " rows"))
                    .append(String.format("  phases (ms): %s%n", incrementPhases))
                    .append(pgloader.line());
            if (pgloader.millis() > 0) {
                out.append(String.format("first ingest time / pgloader time: %.2fx (target <= 1.0x)%n", (double) first / pgloader.millis()));
            }
            out.append(String.format("first ingest / re-run: %.1fx faster; first ingest / 1 %% increment: %.1fx faster (targets >= 20x)%n",
                    (double) first / Math.max(1, rerun), (double) first / Math.max(1, increment)));
            String text = out.toString();
            return () -> text;
        } finally {
            BenchSupport.deleteTree(dir);
        }
    }

    private static void check(IngestReport r, long rows, String what) {
        if (r.rowsWritten() != rows || r.rowsRejected() != 0) {
            throw new IllegalStateException(what + " wrote " + r.rowsWritten() + " of " + rows + " rows, rejected " + r.rowsRejected());
        }
    }
}

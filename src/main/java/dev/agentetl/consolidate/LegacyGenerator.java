package dev.agentetl.consolidate;

import dev.agentetl.runtime.JobReport;

import java.nio.file.Path;
import java.util.Map;

/** The {@code generate-legacy} job: legacy SQLite files to consolidate (tests, demo, benchmark). */
public final class LegacyGenerator {

    public record Request(Path out, long rows, long seed) {
    }

    private final Path defaultOut;

    public LegacyGenerator(Path defaultOut) {
        this.defaultOut = defaultOut;
    }

    public JobReport generate(Request request) throws Exception {
        Path out = request.out() != null ? request.out() : defaultOut;
        long t0 = System.nanoTime();
        LegacyFiles.Written w = LegacyFiles.write(out, request.rows(), request.seed());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new JobReport() {
            @Override public long rowsWritten() { return w.total(); }
            @Override public Object details() { return Map.of("out", out.toString(), "tables", w.rowsPerTable()); }
            @Override public String render() {
                return "generate legacy: " + w.total() + " rows in " + w.rowsPerTable().size() + " legacy tables under " + out
                        + " (graph/graph.db, team_learning.db, signatures.db, sessions.db) in " + ms + " ms\n";
            }
        };
    }
}

package dev.agentetl.bench;

import dev.agentetl.export.ExportFormat;
import dev.agentetl.export.ExportReport;
import dev.agentetl.export.ExportRequest;
import dev.agentetl.export.Exporter;
import dev.agentetl.runtime.JobReport;
import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bench export DATASET}: in one run, PostgreSQL's own COPY to a CSV file and COPY of
 * row_to_json to a JSON Lines file (the anchors), then our CSV, JSON Lines and Parquet exports of the
 * same rows, with each export's time as a ratio of its anchor's throughput.
 */
public final class ExportBenchmark {

    private final DataSource dataSource;
    private final Exporter exporter;

    public ExportBenchmark(DataSource dataSource, Exporter exporter) {
        this.dataSource = dataSource;
        this.exporter = exporter;
    }

    public record Options(String dataset) {
    }

    private record Result(String name, long rows, long bytes, long millis) {
    }

    public JobReport run(Options options) throws Exception {
        String table = options.dataset();
        Path dir = Files.createTempDirectory("agent-etl-bench-export");
        List<Result> results = new ArrayList<>();
        try {
            try (Connection c = dataSource.getConnection()) {
                // the name is checked against the catalog before it is used in COPY
                dev.agentetl.export.ExportQueryCheck.requireDataset(c, table);
                results.add(copy(c, "COPY (SELECT * FROM public.\"" + table + "\") TO STDOUT (FORMAT csv, HEADER)",
                        "anchor: COPY csv", dir.resolve("copy.csv")));
                results.add(copy(c, "COPY (SELECT row_to_json(t) FROM public.\"" + table + "\" t) TO STDOUT",
                        "anchor: COPY row_to_json", dir.resolve("copy.jsonl")));
            }
            for (ExportFormat f : ExportFormat.values()) {
                long t0 = System.nanoTime();
                ExportReport r = exporter.export(new ExportRequest(table, null, f, null, null, Map.of(), false, dir, "snappy", "bench"));
                long bytes = r.bytes();
                results.add(new Result("agent-etl " + f.extension(), r.rows(), bytes, (System.nanoTime() - t0) / 1_000_000));
            }
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return () -> render(table, results);
    }

    private static Result copy(Connection c, String sql, String name, Path file) throws Exception {
        long t0 = System.nanoTime();
        long rows;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            rows = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, out);
        }
        return new Result(name, rows, Files.size(file), (System.nanoTime() - t0) / 1_000_000);
    }

    private static String render(String table, List<Result> results) {
        StringBuilder sb = new StringBuilder("export benchmark on " + table + " (same run; ratio = anchor time / our time, above 1 is faster)\n");
        sb.append(String.format("%-28s %12s %16s %10s %12s %10s%n", "path", "rows", "bytes", "seconds", "rows/s", "ratio"));
        long copyCsv = results.get(0).millis();
        long copyJson = results.get(1).millis();
        for (Result r : results) {
            String ratio = switch (r.name()) {
                case "agent-etl csv" -> String.format("%.2fx", (double) copyCsv / Math.max(1, r.millis()));
                case "agent-etl jsonl" -> String.format("%.2fx", (double) copyJson / Math.max(1, r.millis()));
                case "agent-etl parquet" -> String.format("%.2fx", (double) copyCsv / Math.max(1, r.millis())) + " vs csv COPY";
                default -> "";
            };
            sb.append(String.format("%-28s %,12d %,16d %10.2f %,12d %10s%n", r.name(), r.rows(), r.bytes(), r.millis() / 1000.0,
                    r.rows() * 1000 / Math.max(1, r.millis()), ratio));
        }
        return sb.toString();
    }
}

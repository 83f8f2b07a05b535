package dev.agentetl.bench;

import dev.agentetl.db.Database;
import dev.agentetl.export.ExportFormat;
import dev.agentetl.export.ExportReport;
import dev.agentetl.export.ExportRequest;
import dev.agentetl.generate.GenerateOptions;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.JobReport;
import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.agentetl.bench.BenchSupport.count;

/**
 * {@code bench export}: on a scratch database with generated telemetry multiplied to the asked sizes, for
 * the wide table (agent_telemetry) and the narrow one (tool_calls), in one run: the anchors (PostgreSQL's
 * COPY to CSV, COPY of row_to_json to JSON Lines, and CSV then DuckDB to Parquet when DuckDB is at hand),
 * then our CSV, JSON Lines and Parquet exports of the same rows, each as a ratio of its anchor.
 */
public final class ExportBenchmark {

    private final DataSource admin;
    private final Database server;
    private final AppConfig config;

    public ExportBenchmark(DataSource admin, Database server, AppConfig config) {
        this.admin = admin;
        this.server = server;
        this.config = config;
    }

    /**
     * {@code duckdb}: the DuckDB JDBC jar for the CSV-then-Parquet anchor; null looks in the local Maven repository.
     * {@code repeat}: rounds of every path, one after the other; the best time of each path counts.
     */
    public record Options(long wideRows, long narrowRows, String duckdb, int repeat) {
        public Options {
            if (repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
        }
    }

    record Result(String name, long rows, long bytes, long millis) {
    }

    public JobReport run(Options options) throws Exception {
        Path dir = Files.createTempDirectory("agent-etl-bench-export");
        StringBuilder out = new StringBuilder();
        DuckDbAnchor duckdb = DuckDbAnchor.find(options.duckdb());
        try (ScratchDatabase scratch = new ScratchDatabase(admin, server, config);
             AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(scratch.config(), "bench")) {
            rt.run("generate", new GenerateOptions(Math.min(50_000, Math.max(5_000, Math.max(options.wideRows(), options.narrowRows()) / 10)), 42, LocalDate.now(ZoneOffset.UTC), 30, false));
            try (Connection c = rt.dataSource().getConnection(); Statement st = c.createStatement()) {
                multiply(st, "agent_telemetry", options.wideRows(), """
                        INSERT INTO agent_telemetry (created_at, record_type, project_id, session_id, user_message, model_used,
                            system_prompt, chat_history, response_text, response_thoughts, tool_calls, tool_results, stop_reason,
                            rounds, tool_call_count, turn_intent, chat_mode, prompt_tokens, completion_tokens, total_tokens, duration_ms)
                        SELECT created_at, record_type, project_id, session_id || '~' || g, user_message, model_used, system_prompt,
                            chat_history, response_text, response_thoughts, tool_calls, tool_results, stop_reason, rounds,
                            tool_call_count, turn_intent, chat_mode, prompt_tokens, completion_tokens, total_tokens, duration_ms
                        FROM agent_telemetry, generate_series(1, %d) g""");
                multiply(st, "tool_calls", options.narrowRows(), """
                        INSERT INTO tool_calls (session_id, call_index, tool_name, tool_version, parameters, execution_time_ms, success,
                            error_message, error_type, retry_count, is_parallel, parallel_batch_id, created_at)
                        SELECT session_id, call_index + 100 * g, tool_name, tool_version, parameters, execution_time_ms, success,
                            error_message, error_type, retry_count, is_parallel, parallel_batch_id, created_at
                        FROM tool_calls, generate_series(1, %d) g""");
            }
            long heapMb = Runtime.getRuntime().maxMemory() >> 20;
            out.append(String.format("export benchmark (same run; heap limit %,d MB; ratio = anchor time / our time, above 1 is faster)%n", heapMb));
            for (String table : List.of("agent_telemetry", "tool_calls")) {
                out.append(table(rt, table, dir, duckdb, options.repeat()));
            }
        } finally {
            BenchSupport.deleteTree(dir);
        }
        String text = out.toString();
        return () -> text;
    }

    /** Copies the generated rows until the table has exactly {@code rows} (trimmed from the newest copies). */
    private static void multiply(Statement st, String table, long rows, String insertCopies) throws Exception {
        long base = count(st, "SELECT count(*) FROM " + table);
        long copies = Math.max(0, (rows + base - 1) / Math.max(1, base) - 1);
        if (copies > 0) st.execute(insertCopies.formatted(copies));
        st.execute("DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + " ORDER BY id OFFSET " + rows + ")");
        st.execute("VACUUM ANALYZE " + table);
    }

    private static String table(AgentEtlRuntime rt, String table, Path dir, DuckDbAnchor duckdb, int repeat) throws Exception {
        String width;
        try (Connection c = rt.dataSource().getConnection(); Statement st = c.createStatement()) {
            // a pass over the table first, untimed: every path then starts from the same warm cache
            c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT * FROM " + table + ") TO STDOUT", OutputStream.nullOutputStream());
            width = String.format("%,d rows, %,d MB on disk", count(st, "SELECT count(*) FROM " + table),
                    count(st, "SELECT pg_total_relation_size('" + table + "')") >> 20);
        }
        // rounds of all paths in turn, so anchors and exports meet the same machine noise; best of each
        Map<String, Result> best = new java.util.LinkedHashMap<>();
        for (int round = 0; round < repeat; round++) {
            for (Result r : round(rt, table, dir, duckdb)) {
                best.merge(r.name(), r, (a, b) -> b.millis() < a.millis() ? b : a);
            }
        }
        List<Result> results = new ArrayList<>(best.values());
        Result twoStep = best.get("anchor: CSV then DuckDB parquet");
        return render(table + " (" + width + (repeat > 1 ? "; best of " + repeat + " rounds" : "") + ")", results, twoStep, duckdb);
    }

    /** Every path once: the anchors, then our three formats. */
    private static List<Result> round(AgentEtlRuntime rt, String table, Path dir, DuckDbAnchor duckdb) throws Exception {
        List<Result> results = new ArrayList<>();
        try (Connection c = rt.dataSource().getConnection()) {
            results.add(copy(c, "COPY (SELECT * FROM " + table + ") TO STDOUT (FORMAT csv, HEADER)",
                    "anchor: COPY csv", dir.resolve("copy.csv")));
            results.add(copy(c, "COPY (SELECT row_to_json(t) FROM " + table + " t) TO STDOUT",
                    "anchor: COPY row_to_json", dir.resolve("copy.jsonl")));
        }
        Files.deleteIfExists(dir.resolve("copy.jsonl"));
        if (duckdb.available()) results.add(duckdb.csvToParquet(dir.resolve("copy.csv"), dir.resolve("duckdb.parquet"), results.get(0)));
        Files.deleteIfExists(dir.resolve("copy.csv"));
        Files.deleteIfExists(dir.resolve("duckdb.parquet"));
        for (ExportFormat f : ExportFormat.values()) {
            long t0 = System.nanoTime();
            ExportReport r = (ExportReport) rt.run("export", new ExportRequest(table, null, f, null, null, Map.of(), false, dir, "snappy", "bench"));
            results.add(new Result("agent-etl " + f.extension(), r.rows(), r.bytes(), (System.nanoTime() - t0) / 1_000_000));
            BenchSupport.deleteTree(dir.resolve(table));
        }
        return results;
    }

    private static Result copy(Connection c, String sql, String name, Path file) throws Exception {
        long t0 = System.nanoTime();
        long rows;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            rows = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, out);
        }
        return new Result(name, rows, Files.size(file), (System.nanoTime() - t0) / 1_000_000);
    }

    private static String render(String table, List<Result> results, Result twoStep, DuckDbAnchor duckdb) {
        StringBuilder sb = new StringBuilder("\n" + table + "\n");
        sb.append(String.format("%-32s %12s %16s %10s %12s %8s  %s%n", "path", "rows", "bytes", "seconds", "rows/s", "ratio", "target"));
        long copyCsv = results.stream().filter(r -> r.name().equals("anchor: COPY csv")).findFirst().orElseThrow().millis();
        long copyJson = results.stream().filter(r -> r.name().equals("anchor: COPY row_to_json")).findFirst().orElseThrow().millis();
        for (Result r : results) {
            String ratio = "", target = "";
            switch (r.name()) {
                case "agent-etl csv" -> {
                    ratio = ratio(copyCsv, r);
                    target = "vs COPY csv (>= 0.95x wide, 0.9x narrow)";
                }
                case "agent-etl jsonl" -> {
                    ratio = ratio(copyJson, r);
                    target = "vs COPY row_to_json (>= 1x)";
                }
                case "agent-etl parquet" -> {
                    ratio = twoStep == null ? "-" : ratio(twoStep.millis(), r);
                    target = twoStep == null ? "no DuckDB anchor: " + duckdb.missing() : "vs CSV then DuckDB (> 1x)";
                }
                default -> { }
            }
            sb.append(String.format("%-32s %,12d %,16d %10.2f %,12d %8s  %s%n", r.name(), r.rows(), r.bytes(), r.millis() / 1000.0,
                    r.rows() * 1000 / Math.max(1, r.millis()), ratio, target));
        }
        return sb.toString();
    }

    private static String ratio(long anchorMs, Result r) {
        return String.format("%.2fx", (double) anchorMs / Math.max(1, r.millis()));
    }

}

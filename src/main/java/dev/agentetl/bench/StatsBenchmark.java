package dev.agentetl.bench;

import dev.agentetl.db.Database;
import dev.agentetl.generate.GenerateOptions;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.JobReport;
import dev.agentetl.stats.StatsRefresher;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static dev.agentetl.bench.BenchSupport.count;
import static dev.agentetl.bench.BenchSupport.ms;

/**
 * {@code bench stats}: on a scratch database filled with generated telemetry (tool calls multiplied to
 * the asked count), the bare per-tool percentile aggregate (the anchor), a full refresh, then an
 * incremental refresh after 1 % new rows, in one run.
 */
public final class StatsBenchmark {

    private final DataSource admin;
    private final Database server;
    private final AppConfig config;

    public StatsBenchmark(DataSource admin, Database server, AppConfig config) {
        this.admin = admin;
        this.server = server;
        this.config = config;
    }

    public record Options(long toolCalls) {
    }

    private record Step(String name, long millis) {
    }

    public JobReport run(Options options) throws Exception {
        List<Step> steps = new ArrayList<>();
        long rows;
        String incrementalReport;
        try (ScratchDatabase scratch = new ScratchDatabase(admin, server, config);
             AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(scratch.config(), "bench")) {
            rt.run("generate", new GenerateOptions(50_000, 42, LocalDate.now(ZoneOffset.UTC), 30, true));
            try (Connection c = rt.dataSource().getConnection(); Statement st = c.createStatement()) {
                long base = count(st, "SELECT count(*) FROM tool_calls");
                long copies = Math.max(0, options.toolCalls() / Math.max(1, base) - 1);
                // the copies are written in time order, as telemetry is: a day's rows sit together on disk as in a
                // real table, rather than spread over every copy (reading one day would then read the whole table).
                // Each copy moves to a random time of its day (seeded), so copies of one row are not neighbours:
                // identical neighbours would flatter every sort, the anchor's included.
                st.execute("SELECT setseed(0.42)");
                st.execute("INSERT INTO tool_calls (session_id, call_index, tool_name, tool_version, parameters, execution_time_ms, success, "
                        + "error_message, error_type, retry_count, is_parallel, parallel_batch_id, created_at) "
                        + "SELECT session_id, call_index + 100 * g, tool_name, tool_version, parameters, execution_time_ms, success, "
                        + "error_message, error_type, retry_count, is_parallel, parallel_batch_id, t "
                        + "FROM tool_calls, generate_series(1, " + copies + ") g, "
                        + "LATERAL (SELECT date_trunc('day', created_at) + random() * interval '1 day' + g * interval '0 s' AS t) j ORDER BY t");
                st.execute("VACUUM ANALYZE tool_calls");
                rows = count(st, "SELECT count(*) FROM tool_calls");
                long t0 = System.nanoTime();
                st.execute("SELECT tool_name, percentile_cont(0.5) WITHIN GROUP (ORDER BY execution_time_ms), "
                        + "percentile_cont(0.95) WITHIN GROUP (ORDER BY execution_time_ms) FROM tool_calls GROUP BY tool_name");
                steps.add(new Step("anchor: per-tool percentile_cont", ms(t0)));
                t0 = System.nanoTime();
                rt.run("refresh-stats", new StatsRefresher.Options(true));
                steps.add(new Step("refresh-stats --full", ms(t0)));
                st.execute("INSERT INTO tool_calls (session_id, call_index, tool_name, parameters, execution_time_ms, success, retry_count, created_at) "
                        + "SELECT session_id, call_index + 1000000, tool_name, parameters, execution_time_ms, success, retry_count, now() "
                        + "FROM tool_calls WHERE id % 100 = 7");
                t0 = System.nanoTime();
                incrementalReport = rt.run("refresh-stats", new StatsRefresher.Options(false)).render();
                steps.add(new Step("refresh-stats after 1 % new rows", ms(t0)));
            }
        }
        long anchor = steps.get(0).millis(), full = steps.get(1).millis(), incremental = steps.get(2).millis();
        String text = String.format("statistics benchmark on %,d tool_calls rows (same run)%n", rows)
                + String.format("%-36s %10s%n", "step", "seconds")
                + steps.stream().map(s -> String.format("%-36s %10.2f%n", s.name(), s.millis() / 1000.0)).reduce("", String::concat)
                + String.format("full refresh / anchor: %.2fx (target <= 1.3x); full / incremental: %.1fx (target >= 20x)%n",
                (double) full / Math.max(1, anchor), (double) full / Math.max(1, incremental))
                + "the incremental refresh:\n" + incrementalReport;
        return () -> text;
    }
}

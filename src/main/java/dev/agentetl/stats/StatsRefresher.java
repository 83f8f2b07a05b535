package dev.agentetl.stats;

import dev.agentetl.runtime.JobReport;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code refresh-stats}: tool_statistics through seed 002's update_tool_statistics(), and the daily
 * rollups, each one transaction on the route's jdbc endpoint ({@link RollupStatement}). Incremental by default:
 * only the days that received rows since the last watermark are recomputed, each whole day replaced;
 * {@code --full} rebuilds everything. These methods are the refresh-stats route's steps.
 */
public final class StatsRefresher {

    private final DataSource dataSource;
    private final String workMem;

    public StatsRefresher(DataSource dataSource) {
        this(dataSource, "64MB");
    }

    /**
     * @param workMem the sort memory of the rollup queries (PostgreSQL's work_mem, for their transaction only): the
     *                percentiles sort a day's rows per group, and at the server's default of 4 MB a busy day's sort
     *                spills to disk
     */
    public StatsRefresher(DataSource dataSource, String workMem) {
        this.dataSource = dataSource;
        this.workMem = workMem;
    }

    public record Options(boolean full) {
    }

    record Result(String statistic, boolean full, int days, long rowsScanned, long rowsWritten, long millis) {
    }

    /**
     * A refresh in progress, the body its route's steps pass on: whether it rebuilds everything, and what each
     * statistic refreshed so far did.
     */
    public static final class Run {
        private final boolean full;
        private final List<Result> results = new ArrayList<>();

        Run(boolean full) {
            this.full = full;
        }
    }

    /** The route's first step: the request (none, from a schedule, means incremental). */
    public Run begin(Options options) {
        return new Run(options != null && options.full());
    }

    /** tool_statistics, recomputed whole by seed 002's update_tool_statistics(). */
    public Run toolStatistics(Run run) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long t0 = System.nanoTime();
            long written = ToolStatistics.update(c);
            run.results.add(new Result("tool_statistics", true, 0, 0, written, (System.nanoTime() - t0) / 1_000_000));
        }
        return run;
    }

    /**
     * A daily rollup's refresh (tool_call_daily, model_session_daily, turn_outcome_daily) for the route's jdbc
     * endpoint: returns its SQL ({@link RollupStatement}), one transaction, and sets its parameters as headers. The
     * watermark bound and the watermark itself are read here, before that transaction's snapshot: the bound must be
     * (see {@link dev.agentetl.db.OpenTransactions}), and a watermark that moved on while this refresh waited for the
     * statistic's lock only makes it recompute a few days more. No watermark yet, or --full: every day is rebuilt.
     */
    public String statement(Exchange exchange, Run run, String statistic) throws SQLException {
        Rollup r = Rollup.named(statistic);
        OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        Long lastId = null;
        OffsetDateTime lastTime = null;
        OffsetDateTime bound;
        try (Connection c = dataSource.getConnection()) {
            bound = dev.agentetl.db.OpenTransactions.oldestStart(c);
            try (PreparedStatement ps = c.prepareStatement("SELECT last_id, last_time FROM stat_watermarks WHERE statistic = ?")) {
                ps.setString(1, r.statistic());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        lastId = (Long) rs.getObject(1);
                        lastTime = rs.getObject(2, OffsetDateTime.class);
                    }
                }
            }
        }
        boolean rebuild = run.full || (lastId == null && lastTime == null);
        boolean byId = r.idColumn() != null && lastId != null;
        Message m = exchange.getMessage();
        m.setHeader("statistic", r.statistic());
        m.setHeader("workMem", workMem);
        m.setHeader("bound", bound);
        m.setHeader("started", started);
        if (!rebuild) {
            if (byId) m.setHeader("lastId", lastId);
            else m.setHeader("lastTime", lastTime);
        }
        return RollupStatement.sql(r, rebuild, byId);
    }

    /** After a rollup's transaction committed: its figures, as it recorded them in stat_refreshes. */
    public Run recorded(Run run, String statistic, OffsetDateTime started) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT full_rebuild, days, rows_scanned, rows_written, (extract(epoch FROM finished_at - started_at) * 1000)::bigint
                FROM stat_refreshes WHERE statistic = ? AND started_at = ? ORDER BY id DESC LIMIT 1""")) {
            ps.setString(1, statistic);
            ps.setObject(2, started);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("the refresh of " + statistic + " recorded nothing");
                run.results.add(new Result(statistic, rs.getBoolean(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
        }
        return run;
    }

    /** The report: one line per statistic. */
    public JobReport report(Run run) {
        return new StatsReport(List.copyOf(run.results));
    }

    /** The refresh report: one line per statistic. */
    record StatsReport(List<Result> results) implements JobReport {
        @Override public long rowsRead() { return results.stream().mapToLong(Result::rowsScanned).sum(); }
        @Override public long rowsWritten() { return results.stream().mapToLong(Result::rowsWritten).sum(); }
        @Override public Object details() { return Map.of("statistics", results); }

        @Override
        public String render() {
            StringBuilder sb = new StringBuilder(String.format("%-22s %-12s %6s %14s %12s %10s%n",
                    "statistic", "refresh", "days", "rows scanned", "rows written", "ms"));
            for (Result r : results) {
                sb.append(String.format("%-22s %-12s %6d %,14d %,12d %10d%n", r.statistic(), r.full() ? "full" : "incremental",
                        r.days(), r.rowsScanned(), r.rowsWritten(), r.millis()));
            }
            return sb.toString();
        }
    }
}

package dev.agentetl.stats;

import dev.agentetl.db.Transactions;
import dev.agentetl.runtime.JobReport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code refresh-stats}: tool_statistics through seed 002's update_tool_statistics(), and the daily
 * rollups. Incremental by default: only the days that received rows since the last watermark are
 * recomputed, each whole day replaced in one transaction; {@code --full} rebuilds everything.
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

    /** Refreshes every statistic, as the refresh-stats route's steps do one after the other. */
    public JobReport refresh(Options options) throws SQLException {
        Run run = begin(options);
        toolStatistics(run);
        for (Rollup r : Rollup.ALL) {
            rollup(run, r.statistic());
        }
        return report(run);
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

    /** One daily rollup (tool_call_daily, model_session_daily, turn_outcome_daily), in one transaction. */
    public Run rollup(Run run, String statistic) throws SQLException {
        Rollup r = java.util.Arrays.stream(Rollup.ALL).filter(x -> x.statistic().equals(statistic)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no statistic " + statistic));
        try (Connection c = dataSource.getConnection()) {
            run.results.add(refresh(c, r, run.full));
        }
        return run;
    }

    /** The report: one line per statistic. */
    public JobReport report(Run run) {
        return new StatsReport(List.copyOf(run.results));
    }

    private Result refresh(Connection c, Rollup r, boolean full) throws SQLException {
        long t0 = System.nanoTime();
        OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime bound = dev.agentetl.db.OpenTransactions.oldestStart(c);
        c.setAutoCommit(false);
        try {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "refresh:" + r.statistic());
                lock.execute();
            }
            try (PreparedStatement mem = c.prepareStatement("SELECT set_config('work_mem', ?, true)")) {
                mem.setString(1, workMem);
                mem.execute();
            }
            Long lastId = null;
            OffsetDateTime lastTime = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT last_id, last_time FROM stat_watermarks WHERE statistic = ?")) {
                ps.setString(1, r.statistic());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        lastId = (Long) rs.getObject(1);
                        lastTime = rs.getObject(2, OffsetDateTime.class);
                    }
                }
            }
            boolean rebuild = full || (lastId == null && lastTime == null);
            long scanned;
            long written;
            int days;
            if (rebuild) {
                exec(c, "DELETE FROM " + r.target());
                written = insert(c, r, OffsetDateTime.parse("0001-01-01T00:00Z"), OffsetDateTime.parse("9999-01-01T00:00Z"));
                // the rollup counts what it aggregated, so no second scan of the source is needed
                scanned = count(c, "SELECT coalesce(sum(" + r.rowsColumn() + "), 0) FROM " + r.target(), List.of());
                days = (int) count(c, "SELECT count(DISTINCT day) FROM " + r.target(), List.of());
            } else {
                TreeSet<LocalDate> touched = touchedDays(c, r, lastId, lastTime);
                scanned = 0;
                written = 0;
                for (LocalDate day : touched) {
                    OffsetDateTime from = day.atStartOfDay().atOffset(ZoneOffset.UTC);
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + r.target() + " WHERE day = ?")) {
                        ps.setObject(1, day);
                        ps.executeUpdate();
                    }
                    written += insert(c, r, from, from.plusDays(1));
                    scanned += count(c, "SELECT coalesce(sum(" + r.rowsColumn() + "), 0) FROM " + r.target() + " WHERE day = ?",
                            List.of(day));
                }
                days = touched.size();
            }
            saveWatermark(c, r, bound);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO stat_refreshes (statistic, full_rebuild, started_at, finished_at, days, rows_scanned, rows_written, watermark)
                    SELECT ?, ?, ?, clock_timestamp(), ?, ?, ?, to_jsonb(w) FROM stat_watermarks w WHERE statistic = ?""")) {
                ps.setString(1, r.statistic());
                ps.setBoolean(2, rebuild);
                ps.setObject(3, started);
                ps.setInt(4, days);
                ps.setLong(5, scanned);
                ps.setLong(6, written);
                ps.setString(7, r.statistic());
                ps.executeUpdate();
            }
            c.commit();
            return new Result(r.statistic(), rebuild, days, scanned, written, (System.nanoTime() - t0) / 1_000_000);
        } catch (SQLException | RuntimeException e) {
            Transactions.rollbackQuietly(c, e);
            throw e;
        } finally {
            // a connection the server terminated is closed by now: its error, not this one, is the job's
            if (!c.isClosed()) c.setAutoCommit(true);
        }
    }

    /** Days with rows the last refresh did not see: by identity for id-keyed sources, else by time. */
    private static TreeSet<LocalDate> touchedDays(Connection c, Rollup r, Long lastId, OffsetDateTime lastTime) throws SQLException {
        String sql = r.idColumn() != null && lastId != null
                ? "SELECT DISTINCT (" + r.timeColumn() + " AT TIME ZONE 'UTC')::date FROM " + r.source() + " WHERE " + r.idColumn() + " > ?"
                : "SELECT DISTINCT (" + r.timeColumn() + " AT TIME ZONE 'UTC')::date FROM " + r.source() + " WHERE " + r.timeColumn() + " >= ?";
        TreeSet<LocalDate> days = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, r.idColumn() != null && lastId != null ? lastId : lastTime);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getObject(1) != null) days.add(rs.getObject(1, LocalDate.class));
                }
            }
        }
        return days;
    }

    /**
     * The new watermark only covers rows older than the oldest open transaction: rows such a
     * transaction writes (with lower ids, or times from its start) are seen next time.
     */
    private static void saveWatermark(Connection c, Rollup r, OffsetDateTime bound) throws SQLException {
        String id = r.idColumn() == null ? "NULL::bigint"
                : "(SELECT max(" + r.idColumn() + ") FROM " + r.source() + " WHERE " + r.timeColumn() + " < ?)";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stat_watermarks (statistic, last_id, last_time, refreshed_at) "
                + "VALUES (?, " + id + ", ?, now()) ON CONFLICT (statistic) DO UPDATE SET last_id = EXCLUDED.last_id, "
                + "last_time = EXCLUDED.last_time, refreshed_at = now()")) {
            int i = 1;
            ps.setString(i++, r.statistic());
            if (r.idColumn() != null) ps.setObject(i++, bound);
            ps.setObject(i, bound);
            ps.executeUpdate();
        }
    }

    private static long insert(Connection c, Rollup r, OffsetDateTime from, OffsetDateTime to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + r.target() + " (" + r.columns() + ") " + r.select())) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            return ps.executeUpdate();
        }
    }

    private static long count(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
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

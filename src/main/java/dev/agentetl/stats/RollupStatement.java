package dev.agentetl.stats;

/**
 * The SQL of one rollup's refresh, one transaction on the refresh-stats route's jdbc endpoint (camel-jdbc turns
 * autocommit off around it and commits once both statements ran, or rolls back). Its parameters are {@code :?name}
 * headers: statistic, workMem, bound, started, and lastId or lastTime for an incremental refresh.
 * <ol>
 * <li>The statistic's advisory lock (refreshes of one statistic take turns: each sees what the one before wrote)
 * and the sort memory of this transaction (PostgreSQL's work_mem: the percentiles sort a day's rows per group).</li>
 * <li>One statement: the days to recompute (those with rows past the watermark; all for a rebuild), their old rows
 * deleted and their new rows inserted (the insert waits for the delete: it reads the delete's count), the watermark
 * moved to the bound, and the refresh recorded in stat_refreshes with its figures (read from what it wrote, so its
 * finishing time is taken after the insert).</li>
 * </ol>
 */
final class RollupStatement {

    private RollupStatement() {
    }

    /**
     * @param rebuild  every day (a full refresh, or the first one), else the days with rows past the watermark
     * @param byId     new rows are recognised by the identity column (lastId), else by time (lastTime)
     */
    static String sql(Rollup r, boolean rebuild, boolean byId) {
        String days;
        if (rebuild) {
            days = "";
        } else {
            String newRows = byId ? r.idColumn() + " > :?lastId" : r.timeColumn() + " >= :?lastTime";
            days = """
                    days AS (
                        SELECT day, day::timestamp AT TIME ZONE 'UTC' AS lo, (day + 1)::timestamp AT TIME ZONE 'UTC' AS hi
                        FROM (SELECT DISTINCT (%s AT TIME ZONE 'UTC')::date AS day FROM %s WHERE %s) d WHERE day IS NOT NULL
                    ),
                    """.formatted(r.timeColumn(), r.source(), newRows);
        }
        String select = r.select()
                .replace("{from}", rebuild ? "" : "days r,")
                .replace("{range}", (rebuild ? r.time() + " IS NOT NULL" : r.time() + " >= r.lo AND " + r.time() + " < r.hi")
                        + " AND (SELECT count(*) FROM deleted) >= 0");
        String lastId = r.idColumn() == null ? "NULL::bigint"
                : "(SELECT max(" + r.idColumn() + ") FROM " + r.source() + " WHERE " + r.timeColumn() + " < :?bound)";
        return """
                SELECT pg_advisory_xact_lock(hashtext('refresh:' || :?statistic)), set_config('work_mem', :?workMem, true);
                WITH %sdeleted AS (
                    DELETE FROM %s%s RETURNING 1
                ), written AS (
                    INSERT INTO %s (%s)
                    %s
                    RETURNING day, %s
                ), watermark AS (
                    INSERT INTO stat_watermarks (statistic, last_id, last_time, refreshed_at)
                    VALUES (:?statistic, %s, :?bound, now())
                    ON CONFLICT (statistic) DO UPDATE SET last_id = EXCLUDED.last_id, last_time = EXCLUDED.last_time, refreshed_at = now()
                    RETURNING statistic, last_id, last_time, refreshed_at
                ), figures AS (
                    SELECT %s AS days, coalesce(sum(%s), 0) AS scanned, count(*) AS written FROM written
                )
                INSERT INTO stat_refreshes (statistic, full_rebuild, started_at, finished_at, days, rows_scanned, rows_written, watermark)
                SELECT :?statistic, %s, :?started, clock_timestamp(), f.days, f.scanned, f.written, to_jsonb(w)
                FROM figures f, watermark w""".formatted(
                days, r.target(), rebuild ? "" : " t USING days d WHERE t.day = d.day",
                r.target(), r.columns(), select.indent(4).stripTrailing(), r.rowsColumn(),
                lastId,
                rebuild ? "count(DISTINCT day)" : "(SELECT count(*) FROM days)", r.rowsColumn(),
                rebuild);
    }
}

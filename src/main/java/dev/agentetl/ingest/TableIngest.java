package dev.agentetl.ingest;

import dev.agentetl.db.CopyBuffer;
import org.apache.commons.codec.digest.MurmurHash3;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One table of a store, in the run's transaction: its rows streamed from SQLite into a temporary staging
 * table as text (with a hash of each source row), then, by SQL in PostgreSQL, checked (first failing column
 * names the reject), matched with the store's key map (new, changed or unchanged since the last run), and
 * inserted or updated in the interaction table with every reference mapped to its target id.
 */
final class TableIngest {

    /** What happened to one table, reconciled: read = inserted + updated + unchanged + rejected. */
    record Result(String table, long read, long inserted, long updated, long unchanged, long rejected,
                  Map<String, Long> rejectedBy, long goneAtSource, long deleted, long stageMillis, long applyMillis) {
    }

    private static final String STORE = "current_setting('agent_etl.ingest_store')::integer";
    private static final String RUN = "current_setting('agent_etl.ingest_run')::bigint";

    private final StoreTable table;
    private final List<String> columns;          // source columns that the target has, id first
    private final Map<String, TargetColumn> target;
    private final String stage;

    TableIngest(StoreTable table, List<String> sourceColumns, Map<String, TargetColumn> target) {
        this.table = table;
        this.target = target;
        this.columns = new ArrayList<>();
        for (String c : sourceColumns) if (target.containsKey(c) && !c.equals("id")) columns.add(c);
        this.stage = Sql.quote("_ingest_" + table.name());
    }

    String name() {
        return table.name();
    }

    private long read;
    private long unchanged;
    private long staged;
    private final List<long[]> gone = new ArrayList<>();

    /**
     * Streams the store's rows, in key order, against the store's key map, in key order too (read on
     * {@code keys}, another connection, as committed: the advisory lock keeps other ingests of this store out).
     * Only new rows and rows whose hash changed are staged, with their target id (a mapped one, or a new one
     * from the target's sequence, drawn on {@code ids}); unchanged rows are counted and left alone, and mapped
     * keys the store no longer has are kept for {@link #gone}. So a re-run ships nothing but hashes' worth of work.
     */
    void stage(Connection src, Connection pg, Connection keys, Connection ids, boolean full,
               dev.agentetl.progress.Progress progress) throws SQLException {
        String sequence = sequence(pg);
        long after = full || !table.appendOnly() ? -1 : unchangedPrefix(src, keys);
        try (Statement st = pg.createStatement()) {
            StringBuilder ddl = new StringBuilder("CREATE TEMP TABLE " + stage
                    + " (_id bigint PRIMARY KEY, _hash uuid NOT NULL, _state text NOT NULL, _target bigint NOT NULL, _checked boolean NOT NULL,"
                    + " _reject text, _detail text");
            for (String c : columns) ddl.append(", ").append(Sql.quote(c)).append(" text");
            st.execute(ddl.append(") ON COMMIT DROP").toString());
        }
        StringBuilder names = new StringBuilder("_id, _hash, _state, _target, _checked");
        StringBuilder select = new StringBuilder("SELECT id");
        for (String c : columns) {
            names.append(", ").append(Sql.quote(c));
            select.append(", ").append(Sql.quote(c));
        }
        select.append(" FROM ").append(Sql.quote(table.name())).append(after >= 0 ? " WHERE id > " + after : "").append(" ORDER BY id");
        CopyBuffer buffer = new CopyBuffer(stage, names.toString());
        CopyIn in = buffer.open(pg.unwrap(PGConnection.class).getCopyAPI());
        IdBlock block = new IdBlock(ids, sequence);
        try (Statement st = src.createStatement(); ResultSet rs = st.executeQuery(select.toString());
             PreparedStatement kp = keys.prepareStatement("SELECT source_id, target_id, row_hash FROM ingest_keys "
                     + "WHERE store_id = current_setting('agent_etl.ingest_store')::integer AND source_table = ? ORDER BY source_id")) {
            kp.setString(1, table.name());
            kp.setFetchSize(10_000);
            if (after >= 0) kp.setMaxRows(1); // nothing mapped lies after the prefix: no map to walk
            try (ResultSet mapped = kp.executeQuery()) {
                boolean more = after < 0 && mapped.next();
                Object[] row = new Object[columns.size() + 5];
                TargetColumn[] types = columns.stream().map(target::get).toArray(TargetColumn[]::new);
                StringBuilder hashed = new StringBuilder(512);
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if ((++read & 1023) == 0) progress.step(1024);
                    while (more && mapped.getLong(1) < id) {
                        gone.add(new long[]{mapped.getLong(1), mapped.getLong(2)});
                        more = mapped.next();
                    }
                    hashed.setLength(0);
                    boolean checked = true;
                    for (int i = 0; i < columns.size(); i++) {
                        Object raw = rs.getObject(i + 2);
                        String v = text(raw);
                        checked = checked && types[i].vouchesFor(raw);
                        row[i + 5] = v;
                        // a NULL and an empty text hash differently; the separators cannot occur in SQLite text here
                        hashed.append(v == null ? "\u0000N" : v).append('\u0001');
                    }
                    long[] h = MurmurHash3.hash128x64(hashed.toString().getBytes(StandardCharsets.UTF_8));
                    String hash = new java.util.UUID(h[0], h[1]).toString();
                    if (more && mapped.getLong(1) == id) {
                        boolean same = hash.equals(mapped.getString(3));
                        long target = mapped.getLong(2);
                        more = mapped.next();
                        if (same) {
                            unchanged++;
                            continue;
                        }
                        row[2] = "changed";
                        row[3] = target;
                    } else {
                        row[2] = "new";
                        row[3] = block.next();
                    }
                    row[0] = id;
                    row[1] = hash;
                    row[4] = checked;
                    buffer.row(row);
                    staged++;
                    if (buffer.pendingChars() > (64 << 10)) buffer.drainTo(in);
                }
                while (more) {
                    gone.add(new long[]{mapped.getLong(1), mapped.getLong(2)});
                    more = mapped.next();
                }
            }
            buffer.drainTo(in);
            in.endCopy();
        } catch (SQLException | RuntimeException e) {
            if (in.isActive()) in.cancelCopy();
            throw e;
        }
    }

    /**
     * For a table the app only appends to: when the store still has exactly the rows mapped so far (as many
     * rows up to the highest mapped key as the map holds), those are taken as unchanged and only the rows
     * after it are read; returns that key, or -1 (a row went missing or was rejected before: every row is
     * compared). {@code --full} compares every row of every table.
     */
    private long unchangedPrefix(Connection src, Connection keys) throws SQLException {
        long mapped, max;
        try (PreparedStatement ps = keys.prepareStatement("SELECT count(*), coalesce(max(source_id), 0) FROM ingest_keys "
                + "WHERE store_id = current_setting('agent_etl.ingest_store')::integer AND source_table = ?")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                mapped = rs.getLong(1);
                max = rs.getLong(2);
            }
        }
        if (mapped == 0) return -1;
        try (Statement st = src.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Sql.quote(table.name()) + " WHERE id <= " + max)) {
            rs.next();
            if (rs.getLong(1) != mapped) return -1;
        }
        read += mapped;
        unchanged += mapped;
        return max;
    }

    /** Target ids drawn from the target's own sequence in blocks, on a connection of their own (not in COPY). */
    private static final class IdBlock {
        private final Connection c;
        private final String sequence;
        private final long[] ids = new long[10_000];
        private int next = ids.length;

        IdBlock(Connection c, String sequence) {
            this.c = c;
            this.sequence = sequence;
        }

        long next() throws SQLException {
            if (next == ids.length) {
                try (PreparedStatement ps = c.prepareStatement("SELECT nextval(?::regclass) FROM generate_series(1, ?)")) {
                    ps.setString(1, sequence);
                    ps.setInt(2, ids.length);
                    try (ResultSet rs = ps.executeQuery()) {
                        for (int i = 0; rs.next(); i++) ids[i] = rs.getLong(1);
                    }
                }
                next = 0;
            }
            return ids[next++];
        }
    }

    private String sequence(Connection pg) throws SQLException {
        try (PreparedStatement ps = pg.prepareStatement("SELECT pg_get_serial_sequence(to_regclass(quote_ident(?))::text, 'id')")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String seq = rs.getString(1);
                if (seq == null) throw new SQLException(table.name() + ".id has no sequence or identity to take new ids from");
                return seq;
            }
        }
    }

    /** SQLite's value as the text PostgreSQL parses back to the same value (REAL in its shortest exact form). */
    private static String text(Object v) {
        if (v == null) return null;
        if (v instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
        return v.toString();
    }

    /** Checks, matches and writes the staged rows; returns the counts (deletions are counted by {@link #gone}). */
    Result apply(Connection pg) throws SQLException {
        if (staged == 0) {
            return new Result(table.name(), read, 0, 0, unchanged, 0, Map.of(), 0, 0, 0, 0);
        }
        // the staging table is new and the key map grew in this transaction: without statistics the planner
        // takes both for nearly empty and joins them row by row (a 100,000-row store took minutes)
        if (staged >= 1000) exec(pg, "ANALYZE " + stage); // a small sample will do (default_statistics_target set by the run)
        reject(pg);
        if (table.naturalKey() != null && target.containsKey(table.naturalKey()) && columns.contains(table.naturalKey())) {
            // a new row whose unique key another source already wrote would fail the insert: named, not written
            String key = Sql.quote(table.naturalKey());
            exec(pg, "UPDATE " + stage + " s SET _reject = 'duplicate:" + table.naturalKey() + "', _detail = s." + key
                    + " WHERE s._reject IS NULL AND s._state = 'new' AND EXISTS (SELECT 1 FROM " + Sql.quote(table.name())
                    + " t WHERE t." + key + " = s." + key + ")");
        }
        exec(pg, "INSERT INTO ingest_keys (store_id, source_table, source_id, target_id, row_hash, first_run, last_run) SELECT "
                + STORE + ", " + Sql.literal(table.name()) + ", _id, _target, _hash, " + RUN + ", " + RUN + " FROM " + stage
                + " WHERE _state = 'new' AND _reject IS NULL");
        if (staged >= 1000) exec(pg, "ANALYZE ingest_keys");
        exec(pg, "UPDATE ingest_keys k SET row_hash = s._hash, last_run = " + RUN + " FROM " + stage + " s WHERE s._state = 'changed'"
                + " AND s._reject IS NULL AND k.store_id = " + STORE + " AND k.source_table = " + Sql.literal(table.name()) + " AND k.source_id = s._id");
        long inserted = exec(pg, insert());
        long updated = exec(pg, update());
        exec(pg, "INSERT INTO ingest_rejects (run_id, source_table, source_id, reason, detail) SELECT " + RUN + ", "
                + Sql.literal(table.name()) + ", _id, _reject, left(_detail, 500) FROM " + stage + " WHERE _reject IS NOT NULL");
        Map<String, Long> byReason = new LinkedHashMap<>();
        long counted = 0, rejected = 0;
        try (Statement st = pg.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(_reject, '~'), count(*) FROM "
                + stage + " GROUP BY 1 ORDER BY 1")) {
            while (rs.next()) {
                String k = rs.getString(1);
                long n = rs.getLong(2);
                counted += n;
                if (!k.equals("~")) {
                    rejected += n;
                    byReason.put(k, n);
                }
            }
        }
        if (counted != staged || staged + unchanged != read || inserted + updated + unchanged + rejected != read) {
            throw new SQLException(table.name() + " does not reconcile: read " + read + ", inserted " + inserted + ", updated "
                    + updated + ", unchanged " + unchanged + ", rejected " + rejected);
        }
        return new Result(table.name(), read, inserted, updated, unchanged, rejected, byReason, 0, 0, 0, 0);
    }

    /** The first reason each row cannot be taken: a value that does not fit its column, or a reference to a row not there. */
    private void reject(Connection pg) throws SQLException {
        StringBuilder reason = new StringBuilder("CASE");
        StringBuilder detail = new StringBuilder("CASE");
        for (String c : columns) {
            String invalid = target.get(c).invalid();
            if (invalid == null || table.references().containsKey(c)) continue;
            String when = " WHEN NOT s._checked AND s." + Sql.quote(c) + " IS NOT NULL AND " + invalid;
            reason.append(when).append(" THEN ").append(Sql.literal(kind(target.get(c)) + ":" + c));
            detail.append(when).append(" THEN s.").append(Sql.quote(c));
        }
        for (Map.Entry<String, String> ref : table.references().entrySet()) {
            String c = ref.getKey();
            if (!columns.contains(c) || table.isSelfReference(c)) continue;
            String v = "s." + Sql.quote(c);
            String when = " WHEN " + v + " IS NOT NULL AND (" + v + " !~ '^-?[0-9]{1,18}$' OR NOT EXISTS (SELECT 1 FROM ingest_keys k"
                    + " WHERE k.store_id = " + STORE + " AND k.source_table = " + parentOf(ref.getValue()) + " AND k.source_id = "
                    + v + "::bigint))";
            reason.append(when).append(" THEN ").append(Sql.literal("orphan:" + c));
            detail.append(when).append(" THEN ").append(v);
        }
        if (reason.length() == "CASE".length()) return;
        // one scan; only the rows with a reason are written
        exec(pg, "UPDATE " + stage + " s SET _reject = " + reason + " END, _detail = " + detail + " END WHERE (" + reason + " END) IS NOT NULL");
    }

    private static String kind(TargetColumn c) {
        return switch (c.type()) {
            case "json", "jsonb" -> "invalid_json";
            case "timestamptz", "timestamp", "date" -> "invalid_time";
            default -> "wrong_type";
        };
    }

    /** The table a reference points at: fixed, or by entity_type for entity_tags.entity_id. */
    private String parentOf(String parent) {
        if (!parent.equals(StoreTable.BY_ENTITY_TYPE)) return Sql.literal(parent);
        return "CASE s.entity_type WHEN 'session' THEN 'sessions' WHEN 'test_case' THEN 'test_cases' WHEN 'tool_call' THEN 'tool_calls' END";
    }

    private String valueList(StringBuilder joins) {
        StringBuilder values = new StringBuilder();
        for (String c : columns) {
            values.append(", ");
            String parent = table.references().get(c);
            if (parent != null) {
                String k = Sql.quote("k_" + c);
                joins.append(" LEFT JOIN ingest_keys ").append(k).append(" ON ").append(k).append(".store_id = ").append(STORE)
                        .append(" AND ").append(k).append(".source_table = ").append(parentOf(parent)).append(" AND ")
                        .append(k).append(".source_id = CASE WHEN s.").append(Sql.quote(c)).append(" ~ '^-?[0-9]{1,18}$' THEN s.")
                        .append(Sql.quote(c)).append("::bigint END");
                values.append(k).append(".target_id");
            } else {
                values.append(target.get(c).converted(table.localTimes().contains(c)));
            }
        }
        return values.toString();
    }

    private String insert() {
        StringBuilder names = new StringBuilder("id");
        for (String c : columns) names.append(", ").append(Sql.quote(c));
        StringBuilder joins = new StringBuilder();
        String values = valueList(joins);
        return "INSERT INTO " + Sql.quote(table.name()) + " (" + names + ") SELECT s._target" + values + " FROM " + stage + " s"
                + joins + " WHERE s._state = 'new' AND s._reject IS NULL ORDER BY s._id";
    }

    private String update() {
        if (columns.isEmpty()) return "SELECT 0 WHERE false";
        StringBuilder joins = new StringBuilder();
        String values = valueList(joins).substring(2);
        StringBuilder names = new StringBuilder();
        for (String c : columns) names.append(names.length() == 0 ? "" : ", ").append(Sql.quote(c));
        return "UPDATE " + Sql.quote(table.name()) + " t SET (" + names + ") = ROW(" + values + ") FROM " + stage + " s" + joins
                + " WHERE s._state = 'changed' AND s._reject IS NULL AND t.id = s._target";
    }

    /** Rows of earlier runs of this store that the store no longer has; deleted here with {@code sync}. */
    long[] gone(Connection pg, boolean sync) throws SQLException {
        if (!sync || gone.isEmpty()) return new long[]{gone.size(), 0};
        String list = Sql.quote("_gone_" + table.name());
        exec(pg, "CREATE TEMP TABLE " + list + " (source_id bigint PRIMARY KEY, target_id bigint) ON COMMIT DROP");
        CopyBuffer buffer = new CopyBuffer(list, "source_id, target_id");
        for (long[] g : gone) buffer.row(g[0], g[1]);
        try {
            buffer.flush(pg.unwrap(PGConnection.class).getCopyAPI());
        } catch (java.io.IOException e) {
            throw new SQLException(e);
        }
        long deleted = exec(pg, "DELETE FROM " + Sql.quote(table.name()) + " t USING " + list + " g WHERE t.id = g.target_id");
        exec(pg, "DELETE FROM ingest_keys k USING " + list + " g WHERE k.store_id = " + STORE + " AND k.source_table = "
                + Sql.literal(table.name()) + " AND k.source_id = g.source_id");
        return new long[]{gone.size(), deleted};
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TableIngest.class);

    private static long exec(Connection pg, String sql) throws SQLException {
        long t0 = System.nanoTime();
        try (Statement st = pg.createStatement()) {
            st.execute(sql);
            return Math.max(0, st.getUpdateCount());
        } finally {
            if (LOG.isDebugEnabled()) LOG.debug("{} ms: {}", (System.nanoTime() - t0) / 1_000_000, sql.length() > 120 ? sql.substring(0, 120) : sql);
        }
    }

}

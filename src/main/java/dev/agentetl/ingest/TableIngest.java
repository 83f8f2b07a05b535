package dev.agentetl.ingest;

import dev.agentetl.consolidate.BulkLoad;
import dev.agentetl.db.CopyBuffer;
import org.apache.commons.codec.digest.MurmurHash3;
import org.postgresql.PGConnection;

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

    /** Characters of COPY text a batch collects before it is handed to the writing thread. */
    static final int BATCH_CHARS = 1 << 20;

    /** What the run shares with each table: its store and run ids, the key maps in memory, how bulk loads are allowed. */
    record Context(long storeId, long runId, Map<String, KeyRuns> keyMaps, java.time.ZoneId zone, long bulkMinRows) {
    }

    private final StoreTable table;
    private final List<String> columns;          // source columns that the target has, id first
    private final Map<String, TargetColumn> target;
    private final String stage;
    private final Context context;

    TableIngest(StoreTable table, List<String> sourceColumns, Map<String, TargetColumn> target, Context context) {
        this.table = table;
        this.target = target;
        this.context = context;
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
    private long direct;
    private long wholeHits;
    private long looped;         // rows read one by one (for the progress bar: steps of 1024, the rest at the end)
    private long mappedBefore;   // keys of this table the map held before the run (ingest_tables)
    private long lastBefore;     // and the highest of them
    private long keysAdded;
    private long keysRemoved;
    private long lastAdded;
    private final java.util.concurrent.atomic.AtomicLong stored = new java.util.concurrent.atomic.AtomicLong();
    private boolean stageCreated;
    private BulkLoad bulk;
    private final List<long[]> gone = new ArrayList<>();

    /**
     * Streams the store's rows, in key order, against the store's key map, in key order too (read on
     * {@code keys}, another connection, as committed: the advisory lock keeps other ingests of this store out).
     * Unchanged rows are counted and left alone; mapped keys the store no longer has are kept for {@link #gone}.
     * A new row whose every value the client is sure of ({@link DirectValue}), references mapped in memory
     * ({@link KeyRuns}) included, is written straight into the target by COPY with its key-map row; every other
     * new or changed row is staged, with its target id, for the checked path ({@link #apply}). Target ids come
     * from the target's own sequence, drawn on {@code ids}. Writing runs on the run's pipe, on its own thread, while
     * this one reads: the rows of a table written only straight may still be stored while the next table is read
     * (the pipe keeps their order, so parents come before their children; {@link #checkStored} counts them once
     * it is drained). The catalog is read on {@code ids}, since the run's connection may be in a COPY.
     */
    void stage(Connection src, Connection pg, Connection keys, Connection ids, CopyPipe pipe, boolean full, boolean ownsTarget,
               dev.agentetl.progress.Progress progress) throws SQLException {
        KeyRuns keyMap = new KeyRuns();
        context.keyMaps().put(table.name(), keyMap);
        readCounts(keys);
        long storeMax;
        try (Statement st = src.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM " + Sql.quote(table.name()))) {
            rs.next();
            storeMax = rs.getLong(1);
        }
        if (storeMax <= 0 && mappedBefore == 0) return; // an empty table never ingested: nothing to read, nothing gone
        String sequence = sequence(ids);
        long after = full || !table.appendOnly() ? -1 : unchangedPrefix(src);
        if (after >= 0) progress.step(mappedBefore); // taken as unchanged without reading them
        // the rows after the last one mapped (the new rows of an app that appends): sizes the id blocks and bulk loads
        long incoming = Math.max(0, storeMax - Math.max(lastBefore, after));
        // this table is written by this run only from here on: another connection sees whether it is empty
        boolean directTable = incoming > 0 && directTable(ids);
        // (fewer rows than a bulk load takes: no plan to make, and the pipe may go on storing the tables before)
        if (directTable && ownsTarget && context.bulkMinRows() > 0 && incoming >= context.bulkMinRows()) {
            pipe.drain(); // the statements below use the run's connection itself
            // a big load into a group agent-etl created: its indexes and foreign keys are set aside and rebuilt once
            BulkLoad.Plan plan = BulkLoad.plan(pg, Sql.quote(table.target()), incoming, context.bulkMinRows());
            if (plan != BulkLoad.Plan.NONE) bulk = BulkLoad.setAside(pg, Sql.quote(table.target()), plan, true);
        }
        StringBuilder names = new StringBuilder("_id, _hash, _state, _target, _checked");
        StringBuilder targetNames = new StringBuilder("id");
        StringBuilder select = new StringBuilder("SELECT id");
        for (String c : columns) {
            names.append(", ").append(Sql.quote(c));
            targetNames.append(", ").append(Sql.quote(c));
            select.append(", ").append(Sql.quote(c));
        }
        // every row compared with the map by its hash input built by SQLite: one value handed over instead of one per column
        boolean compare = after < 0 && mappedBefore > 0 && !columns.isEmpty();
        if (compare) {
            // per row, the very bytes the per-column path hashes: each value's text followed by \u0001, NULL as \u0000N.
            // Where SQLite's text of a value is not the one the per-column path takes (a REAL: SQLite writes 1.0e+20,
            // Java 1.0E20; a BLOB or a text that is not valid UTF-8), the hashes differ and the row takes the
            // per-column path, which compares it again: equal texts are equal values, since SQLite's text of a REAL
            // reads back to the same double (IngestTest). Telling such rows apart in SQL first (typeof per column)
            // cost more than all the rest of the comparison.
            StringBuilder whole = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                String q = Sql.quote(columns.get(i));
                whole.append(i == 0 ? "" : ", ").append("coalesce(CAST(").append(q).append(" AS TEXT), char(0) || 'N')");
            }
            select.append(", concat_ws(char(1), ").append(whole).append(") || char(1)");
        }
        select.append(" FROM ").append(Sql.quote(table.name())).append(after >= 0 ? " WHERE id > " + after : "").append(" ORDER BY id");
        CopyBuffer stageRows = new CopyBuffer(stage, names.toString());
        CopyBuffer targetRows = new CopyBuffer(Sql.quote(table.target()), targetNames.toString());
        CopyBuffer keyRows = new CopyBuffer("ingest_keys", "store_id, source_table, source_id, target_id, row_hash, first_run, last_run");
        IdBlock block = new IdBlock(ids, sequence, incoming);
        int n = columns.size();
        TargetColumn[] types = columns.stream().map(target::get).toArray(TargetColumn[]::new);
        boolean[] local = new boolean[n];
        KeyRuns[] parents = new KeyRuns[n];       // a reference's parent map (null: not a reference, or by entity_type)
        boolean[] byEntityType = new boolean[n];
        int entityType = columns.indexOf("entity_type");
        for (int i = 0; i < n; i++) {
            String c = columns.get(i);
            local[i] = table.localTimes().contains(c);
            String parent = table.references().get(c);
            if (parent == null) continue;
            if (parent.equals(StoreTable.BY_ENTITY_TYPE)) {
                byEntityType[i] = true;
            } else {
                parents[i] = parent.equals(table.name()) ? keyMap : context.keyMaps().getOrDefault(parent, new KeyRuns());
            }
        }
        long t0 = System.nanoTime();
        // nothing mapped lies after the prefix, and nothing is mapped before a first run: no map to walk
        boolean walk = after < 0 && mappedBefore > 0;
        try (MappedKeys mapped = walk ? new MappedKeys(keys, table.name()) : null;
             Statement st = src.createStatement(); ResultSet rs = st.executeQuery(select.toString())) {
            {
                boolean more = walk && mapped.more();
                Object[] row = new Object[n + 5];
                Object[] raws = new Object[n];
                Object[] out = new Object[n + 1];
                Object[] key = {context.storeId(), table.name(), null, null, null, context.runId(), context.runId()};
                StringBuilder hashed = new StringBuilder(512);
                while (rs.next()) {
                    long id = rs.getLong(1);
                    read++;
                    if ((++looped & 1023) == 0) progress.step(1024);
                    while (more && mapped.source() < id) {
                        gone.add(new long[]{mapped.source(), mapped.target()});
                        more = mapped.next();
                    }
                    // a row whose text here is not the per-column text takes the per-column path below, compared again
                    if (compare && more && mapped.source() == id && mapped.sameHash(MurmurHash3.hash128x64(rs.getBytes(n + 2)))) {
                        keyMap.add(id, mapped.target());
                        more = mapped.next();
                        unchanged++;
                        wholeHits++;
                        continue;
                    }
                    hashed.setLength(0);
                    boolean sure = directTable;
                    for (int i = 0; i < n; i++) {
                        Object raw = rs.getObject(i + 2);
                        raws[i] = raw;
                        String v = text(raw);
                        row[i + 5] = v;
                        // a NULL and an empty text hash differently; the separators cannot occur in SQLite text here
                        hashed.append(v == null ? "\u0000N" : v).append('\u0001');
                        if (sure) {
                            Object d = directValue(i, raw, raws, types, local, parents, byEntityType, entityType);
                            if (d == DirectValue.UNSURE) {
                                sure = false;
                            } else {
                                out[i + 1] = d;
                            }
                        }
                    }
                    long[] hash128 = hash128(hashed.toString());
                    String hash = hashText(hash128);
                    if (more && mapped.source() == id) {
                        boolean same = mapped.sameHash(hash128);
                        long target = mapped.target();
                        more = mapped.next();
                        keyMap.add(id, target); // mapped in an earlier run: its target row is there
                        if (same) {
                            unchanged++;
                            continue;
                        }
                        row[2] = "changed";
                        row[3] = target;
                    } else {
                        long target = block.next();
                        if (sure) {
                            out[0] = target;
                            targetRows.row(out);
                            key[2] = id;
                            key[3] = target;
                            key[4] = hash;
                            keyRows.row(key);
                            keyMap.add(id, target);
                            direct++;
                            lastAdded = id;
                            if (targetRows.pendingChars() + keyRows.pendingChars() > BATCH_CHARS) {
                                pipe.send(targetRows.take(), stored);
                                pipe.send(keyRows.take(), null);
                            }
                            continue;
                        }
                        row[2] = "new";
                        row[3] = target;
                    }
                    boolean checked = true;
                    for (int i = 0; i < n && checked; i++) checked = types[i].vouchesFor(raws[i]);
                    row[0] = id;
                    row[1] = hash;
                    row[4] = checked;
                    if (!stageCreated) {
                        pipe.run(this::createStage);
                        stageCreated = true;
                    }
                    stageRows.row(row);
                    staged++;
                    if (stageRows.pendingChars() > BATCH_CHARS) pipe.send(stageRows.take(), null);
                }
                while (more) {
                    gone.add(new long[]{mapped.source(), mapped.target()});
                    more = mapped.next();
                }
            }
        }
        // parents' rows before their children's; the staged rows last (apply reads them)
        pipe.send(targetRows.take(), stored);
        pipe.send(keyRows.take(), null);
        pipe.send(stageRows.take(), null);
        // apply reads the staged rows, and the indexes set aside are put back, on the run's connection; rows
        // written straight only may be stored while the next table is read
        if (staged > 0 || bulk != null) pipe.drain();
        progress.step(looped & 1023);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: read {}, unchanged {} ({} by their whole text), written straight {}, staged {}; "
                    + "{} ms in all", table.name(), read,
                    unchanged, wholeHits, direct, staged, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /**
     * A row's hash, kept in the key map: 128 bits of MurmurHash3 over its values' text, each followed by \u0001,
     * NULL as \u0000N (the same for every version of ingest: a different one would take every row for changed).
     */
    static long[] hash128(String values) {
        return MurmurHash3.hash128x64(values.getBytes(StandardCharsets.UTF_8));
    }

    /** The hash as it is stored (a uuid's text). */
    static String hashText(long[] h) {
        return new java.util.UUID(h[0], h[1]).toString();
    }

    /** The value written straight into the target for column {@code i}, or UNSURE. */
    private Object directValue(int i, Object raw, Object[] raws, TargetColumn[] types, boolean[] local, KeyRuns[] parents,
                               boolean[] byEntityType, int entityType) {
        if (raw == null) return null;
        KeyRuns parent = parents[i];
        if (byEntityType[i] && entityType >= 0 && entityType < i) {
            String parentTable = switch (String.valueOf(raws[entityType])) {
                case "session" -> "sessions";
                case "test_case" -> "test_cases";
                case "tool_call" -> "tool_calls";
                default -> null;
            };
            parent = parentTable == null ? null : context.keyMaps().get(parentTable);
            if (parent == null) return DirectValue.UNSURE;
        } else if (byEntityType[i]) {
            return DirectValue.UNSURE;
        }
        if (parent != null) {
            if (!(raw instanceof Long || raw instanceof Integer)) return DirectValue.UNSURE;
            long t = parent.target(((Number) raw).longValue());
            return t < 0 ? DirectValue.UNSURE : t;
        }
        return DirectValue.of(types[i].type(), raw, context.zone(), local[i]);
    }

    /**
     * Whether the table's new rows may be written straight into the target: every column of a type the client
     * converts, and no natural key another source may already hold (unless the target is empty: nothing to collide with).
     */
    private boolean directTable(Connection pg) throws SQLException {
        for (String c : columns) {
            if (!table.references().containsKey(c) && !DirectValue.TYPES.contains(target.get(c).type())) return false;
        }
        if (table.naturalKey().isEmpty() || !columns.containsAll(table.naturalKey())) return true;
        try (Statement st = pg.createStatement();
             ResultSet rs = st.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + Sql.quote(table.target()) + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** The key map's count and highest key for this table of the store, as the last run left them (ingest_tables). */
    private void readCounts(Connection keys) throws SQLException {
        try (PreparedStatement ps = keys.prepareStatement("SELECT mapped_rows, last_source_id FROM ingest_tables "
                + "WHERE store_id = current_setting('agent_etl.ingest_store')::integer AND source_table = ?")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    mappedBefore = rs.getLong(1);
                    lastBefore = rs.getLong(2);
                }
            }
        }
    }

    /**
     * Keeps ingest_tables in step with the key map, in the run's transaction: the keys added and removed are
     * counted; a --full run, and one that removed keys, count the map itself.
     */
    void recordCounts(Connection pg, boolean full) throws SQLException {
        if (!full && keysRemoved == 0 && keysAdded == 0) return;
        String counts = full || keysRemoved > 0
                ? "SELECT count(*), coalesce(max(source_id), 0) FROM ingest_keys WHERE store_id = " + STORE + " AND source_table = "
                        + Sql.literal(table.name())
                : "SELECT " + (mappedBefore + keysAdded) + "::bigint, " + Math.max(lastBefore, lastAdded) + "::bigint";
        exec(pg, "INSERT INTO ingest_tables (store_id, source_table, mapped_rows, last_source_id) SELECT " + STORE + ", "
                + Sql.literal(table.name()) + ", c.* FROM (" + counts + ") c ON CONFLICT (store_id, source_table) DO UPDATE"
                + " SET mapped_rows = EXCLUDED.mapped_rows, last_source_id = EXCLUDED.last_source_id");
    }

    private void createStage(Connection pg) throws SQLException {
        try (Statement st = pg.createStatement()) {
            StringBuilder ddl = new StringBuilder("CREATE TEMP TABLE " + stage
                    + " (_id bigint NOT NULL, _hash uuid NOT NULL, _state text NOT NULL, _target bigint NOT NULL, _checked boolean NOT NULL,"
                    + " _reject text, _detail text");
            for (String c : columns) ddl.append(", ").append(Sql.quote(c)).append(" text");
            st.execute(ddl.append(") ON COMMIT DROP").toString());
        }
    }

    /** After the table is written: indexes and foreign keys set aside are put back (each key checked over the whole table). */
    void finish(Connection pg) throws SQLException {
        if (bulk != null) {
            bulk.putBack(pg);
            bulk = null;
        }
    }

    /**
     * For a table the app only appends to: when the store still has exactly the rows mapped so far (as many
     * rows up to the highest mapped key as the map holds), those are taken as unchanged and only the rows
     * after it are read; returns that key, or -1 (a row went missing or was rejected before: every row is
     * compared). {@code --full} compares every row of every table. Rows up to the key are counted as all rows
     * less those after it: counting all rows reads SQLite's smallest index, a range of keys reads the table.
     */
    private long unchangedPrefix(Connection src) throws SQLException {
        if (mappedBefore == 0) return -1;
        long upTo;
        try (Statement st = src.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM " + Sql.quote(table.name()) + ") - (SELECT count(*) FROM "
                     + Sql.quote(table.name()) + " WHERE id > " + lastBefore + ")")) {
            rs.next();
            upTo = rs.getLong(1);
        }
        if (upTo != mappedBefore) return -1;
        read += mappedBefore;
        unchanged += mappedBefore;
        return lastBefore;
    }

    /**
     * Target ids drawn from the target's own sequence in blocks, on a connection of their own (not in COPY);
     * the first block sized by the rows expected, so a small increment does not use up ten thousand ids.
     */
    private static final class IdBlock {
        private static final int MAX = 10_000;
        private final Connection c;
        private final String sequence;
        private final long[] ids = new long[MAX];
        private int want;
        private int filled;
        private int next;

        IdBlock(Connection c, String sequence, long expected) {
            this.c = c;
            this.sequence = sequence;
            this.want = (int) Math.max(16, Math.min(MAX, expected));
        }

        long next() throws SQLException {
            if (next == filled) {
                try (PreparedStatement ps = c.prepareStatement("SELECT nextval(?::regclass) FROM generate_series(1, ?)")) {
                    ps.setString(1, sequence);
                    ps.setInt(2, want);
                    try (ResultSet rs = ps.executeQuery()) {
                        for (filled = 0; rs.next(); filled++) ids[filled] = rs.getLong(1);
                    }
                }
                next = 0;
                want = MAX; // more rows than expected (changed rows, a guess too low): full blocks from now on
            }
            return ids[next++];
        }
    }

    private String sequence(Connection pg) throws SQLException {
        try (PreparedStatement ps = pg.prepareStatement("SELECT pg_get_serial_sequence(to_regclass(quote_ident(?))::text, 'id')")) {
            ps.setString(1, table.target());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String seq = rs.getString(1);
                if (seq == null) throw new SQLException(table.target() + ".id has no sequence or identity to take new ids from");
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

    /** Keys this run added to the map, and those the map held before it (for the planner's statistics). */
    long keysAdded() {
        return keysAdded;
    }

    long mappedBefore() {
        return mappedBefore;
    }

    /** Whether PostgreSQL stored every row sent straight to the target: called once the run's pipe is drained. */
    void checkStored() throws SQLException {
        if (stored.get() != direct) {
            throw new SQLException(table.name() + " does not reconcile: " + direct + " rows sent straight to the target, "
                    + stored.get() + " stored");
        }
    }

    /**
     * Checks, matches and writes the staged rows; returns the counts (deletions are counted by {@link #gone}). A table
     * with no staged row is not drained here: its rows sent straight are counted by {@link #checkStored} later.
     */
    Result apply(Connection pg) throws SQLException {
        if (staged > 0) checkStored();
        keysAdded += direct;
        if (staged == 0) {
            if (direct + unchanged != read) {
                throw new SQLException(table.name() + " does not reconcile: read " + read + ", inserted " + direct + ", unchanged " + unchanged);
            }
            return new Result(table.name(), read, direct, 0, unchanged, 0, Map.of(), 0, 0, 0, 0);
        }
        // the staging table is new and the key map grew in this transaction: without statistics the planner
        // takes both for nearly empty and joins them row by row (a 100,000-row store took minutes)
        if (staged >= 1000) exec(pg, "ANALYZE " + stage); // a small sample will do (default_statistics_target set by the run)
        reject(pg);
        if (!table.naturalKey().isEmpty() && target.keySet().containsAll(table.naturalKey()) && columns.containsAll(table.naturalKey())) {
            // a new row whose unique key another source already wrote would fail the insert: named, not written
            StringBuilder same = new StringBuilder(), shown = new StringBuilder();
            for (String k : table.naturalKey()) {
                String key = Sql.quote(k);
                same.append(same.length() == 0 ? "" : " AND ").append("t.").append(key).append("::text = s.").append(key);
                shown.append(shown.length() == 0 ? "s." : " || ', ' || s.").append(key);
            }
            exec(pg, "UPDATE " + stage + " s SET _reject = 'duplicate:" + String.join(",", table.naturalKey()) + "', _detail = " + shown
                    + " WHERE s._reject IS NULL AND s._state = 'new' AND EXISTS (SELECT 1 FROM " + Sql.quote(table.target())
                    + " t WHERE " + same + ")");
        }
        keysAdded += exec(pg, "INSERT INTO ingest_keys (store_id, source_table, source_id, target_id, row_hash, first_run, last_run) SELECT "
                + STORE + ", " + Sql.literal(table.name()) + ", _id, _target, _hash, " + RUN + ", " + RUN + " FROM " + stage
                + " WHERE _state = 'new' AND _reject IS NULL");
        try (Statement st = pg.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(max(_id), 0) FROM " + stage
                + " WHERE _state = 'new' AND _reject IS NULL")) {
            rs.next();
            lastAdded = Math.max(lastAdded, rs.getLong(1));
        }
        // only when the rows added are a fair share of this table's map: a small increment leaves the planner's
        // counts of a large map about right, and sampling a map of a million keys takes longer than the increment's writes
        if (staged >= 1000 && staged * 10 >= mappedBefore) exec(pg, "ANALYZE ingest_keys");
        exec(pg, "UPDATE ingest_keys k SET row_hash = s._hash, last_run = " + RUN + " FROM " + stage + " s WHERE s._state = 'changed'"
                + " AND s._reject IS NULL AND k.store_id = " + STORE + " AND k.source_table = " + Sql.literal(table.name()) + " AND k.source_id = s._id");
        long inserted = exec(pg, insert());
        long updated = exec(pg, update());
        // the rows just written are there now: the tables after this one reference them straight from memory
        // (e.g. an increment's new sessions, checked here because others may hold their session_id, and their messages)
        KeyRuns keyMap = context.keyMaps().get(table.name());
        if (keyMap != null && inserted > 0) {
            try (Statement st = pg.createStatement(); ResultSet rs = st.executeQuery("SELECT _id, _target FROM " + stage
                    + " WHERE _state = 'new' AND _reject IS NULL ORDER BY _id")) {
                while (rs.next()) keyMap.add(rs.getLong(1), rs.getLong(2));
            }
        }
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
        inserted += direct;
        if (counted != staged || staged + direct + unchanged != read || inserted + updated + unchanged + rejected != read) {
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
        return "INSERT INTO " + Sql.quote(table.target()) + " (" + names + ") SELECT s._target" + values + " FROM " + stage + " s"
                + joins + " WHERE s._state = 'new' AND s._reject IS NULL ORDER BY s._id";
    }

    private String update() {
        if (columns.isEmpty()) return "SELECT 0 WHERE false";
        StringBuilder joins = new StringBuilder();
        String values = valueList(joins).substring(2);
        StringBuilder names = new StringBuilder();
        for (String c : columns) names.append(names.length() == 0 ? "" : ", ").append(Sql.quote(c));
        return "UPDATE " + Sql.quote(table.target()) + " t SET (" + names + ") = ROW(" + values + ") FROM " + stage + " s" + joins
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
        long deleted = exec(pg, "DELETE FROM " + Sql.quote(table.target()) + " t USING " + list + " g WHERE t.id = g.target_id");
        keysRemoved += exec(pg, "DELETE FROM ingest_keys k USING " + list + " g WHERE k.store_id = " + STORE + " AND k.source_table = "
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

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
                  Map<String, Long> rejectedBy, long goneAtSource, long deleted) {
    }

    private static final String STORE = "current_setting('agent_etl.ingest_store')";
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

    /** Streams the store's rows into the staging table; returns the rows read. */
    long stage(Connection src, Connection pg) throws SQLException {
        try (Statement st = pg.createStatement()) {
            StringBuilder ddl = new StringBuilder("CREATE TEMP TABLE " + stage
                    + " (_id bigint PRIMARY KEY, _hash text NOT NULL, _reject text, _detail text, _state text, _target bigint");
            for (String c : columns) ddl.append(", ").append(Sql.quote(c)).append(" text");
            st.execute(ddl.append(") ON COMMIT DROP").toString());
        }
        StringBuilder names = new StringBuilder("_id, _hash");
        StringBuilder select = new StringBuilder("SELECT id");
        for (String c : columns) {
            names.append(", ").append(Sql.quote(c));
            select.append(", ").append(Sql.quote(c));
        }
        select.append(" FROM ").append(Sql.quote(table.name())).append(" ORDER BY id");
        CopyBuffer buffer = new CopyBuffer(stage, names.toString());
        CopyIn in = buffer.open(pg.unwrap(PGConnection.class).getCopyAPI());
        long read = 0;
        try (Statement st = src.createStatement(); ResultSet rs = st.executeQuery(select.toString())) {
            Object[] row = new Object[columns.size() + 2];
            StringBuilder hashed = new StringBuilder(512);
            while (rs.next()) {
                hashed.setLength(0);
                for (int i = 0; i < columns.size(); i++) {
                    String v = text(rs.getObject(i + 2));
                    row[i + 2] = v;
                    // a NULL and an empty text hash differently; the separator cannot occur in SQLite text here
                    hashed.append(v == null ? "\u0000N" : v).append('\u0001');
                }
                row[0] = rs.getLong(1);
                long[] h = MurmurHash3.hash128x64(hashed.toString().getBytes(StandardCharsets.UTF_8));
                row[1] = Long.toHexString(h[0]) + Long.toHexString(h[1]);
                buffer.row(row);
                read++;
                if (buffer.pendingChars() > (64 << 10)) buffer.drainTo(in);
            }
            buffer.drainTo(in);
            in.endCopy();
        } catch (SQLException | RuntimeException e) {
            if (in.isActive()) in.cancelCopy();
            throw e;
        }
        return read;
    }

    /** SQLite's value as the text PostgreSQL parses back to the same value (REAL in its shortest exact form). */
    private static String text(Object v) {
        if (v == null) return null;
        if (v instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
        return v.toString();
    }

    /** Checks, matches and writes the staged rows; returns the counts (deletions are counted by {@link #gone}). */
    Result apply(Connection pg) throws SQLException {
        reject(pg);
        exec(pg, "UPDATE " + stage + " s SET _target = k.target_id, _state = CASE WHEN k.row_hash = s._hash THEN 'same' ELSE 'changed' END"
                + " FROM ingest_keys k WHERE k.store = " + STORE + " AND k.source_table = " + Sql.literal(table.name())
                + " AND k.source_id = s._id AND s._reject IS NULL");
        if (table.naturalKey() != null && target.containsKey(table.naturalKey()) && columns.contains(table.naturalKey())) {
            // a new row whose unique key another source already wrote would fail the insert: named, not written
            String key = Sql.quote(table.naturalKey());
            exec(pg, "UPDATE " + stage + " s SET _reject = 'duplicate:" + table.naturalKey() + "', _detail = s." + key
                    + " WHERE s._reject IS NULL AND s._target IS NULL AND EXISTS (SELECT 1 FROM " + Sql.quote(table.name())
                    + " t WHERE t." + key + " = s." + key + ")");
        }
        exec(pg, "UPDATE " + stage + " SET _target = nextval(pg_get_serial_sequence(" + Sql.literal(qualifiedTarget(pg))
                + ", 'id')), _state = 'new' WHERE _reject IS NULL AND _target IS NULL");
        exec(pg, "INSERT INTO ingest_keys (store, source_table, source_id, target_id, row_hash, first_run, last_run) SELECT "
                + STORE + ", " + Sql.literal(table.name()) + ", _id, _target, _hash, " + RUN + ", " + RUN + " FROM " + stage
                + " WHERE _state = 'new'");
        exec(pg, "UPDATE ingest_keys k SET row_hash = s._hash, last_run = " + RUN + " FROM " + stage + " s WHERE s._state = 'changed'"
                + " AND k.store = " + STORE + " AND k.source_table = " + Sql.literal(table.name()) + " AND k.source_id = s._id");
        long inserted = exec(pg, insert());
        long updated = exec(pg, update());
        exec(pg, "INSERT INTO ingest_rejects (run_id, source_table, source_id, reason, detail) SELECT " + RUN + ", "
                + Sql.literal(table.name()) + ", _id, _reject, left(_detail, 500) FROM " + stage + " WHERE _reject IS NOT NULL");
        Map<String, Long> byReason = new LinkedHashMap<>();
        long read = 0, unchanged = 0, rejected = 0;
        try (Statement st = pg.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(_reject, '~' || _state), count(*) FROM "
                + stage + " GROUP BY 1 ORDER BY 1")) {
            while (rs.next()) {
                String k = rs.getString(1);
                long n = rs.getLong(2);
                read += n;
                if (k.equals("~same")) unchanged = n;
                else if (!k.startsWith("~")) {
                    rejected += n;
                    byReason.put(k, n);
                }
            }
        }
        long present = count(pg, "SELECT count(*) FROM " + stage + " s JOIN " + Sql.quote(table.name())
                + " t ON t.id = s._target WHERE s._reject IS NULL");
        if (present != read - rejected || inserted + updated + unchanged + rejected != read) {
            throw new SQLException(table.name() + " does not reconcile: read " + read + ", inserted " + inserted + ", updated "
                    + updated + ", unchanged " + unchanged + ", rejected " + rejected + ", present " + present);
        }
        return new Result(table.name(), read, inserted, updated, unchanged, rejected, byReason, 0, 0);
    }

    /** The first reason each row cannot be taken: a value that does not fit its column, or a reference to a row not there. */
    private void reject(Connection pg) throws SQLException {
        StringBuilder reason = new StringBuilder("CASE");
        StringBuilder detail = new StringBuilder("CASE");
        for (String c : columns) {
            String invalid = target.get(c).invalid();
            if (invalid == null || table.references().containsKey(c)) continue;
            String when = " WHEN s." + Sql.quote(c) + " IS NOT NULL AND " + invalid;
            reason.append(when).append(" THEN ").append(Sql.literal(kind(target.get(c)) + ":" + c));
            detail.append(when).append(" THEN s.").append(Sql.quote(c));
        }
        for (Map.Entry<String, String> ref : table.references().entrySet()) {
            String c = ref.getKey();
            if (!columns.contains(c) || table.isSelfReference(c)) continue;
            String v = "s." + Sql.quote(c);
            String when = " WHEN " + v + " IS NOT NULL AND (" + v + " !~ '^-?[0-9]{1,18}$' OR NOT EXISTS (SELECT 1 FROM ingest_keys k"
                    + " WHERE k.store = " + STORE + " AND k.source_table = " + parentOf(ref.getValue()) + " AND k.source_id = "
                    + v + "::bigint))";
            reason.append(when).append(" THEN ").append(Sql.literal("orphan:" + c));
            detail.append(when).append(" THEN ").append(v);
        }
        if (reason.length() == "CASE".length()) return;
        exec(pg, "UPDATE " + stage + " s SET _reject = r.reason, _detail = r.detail FROM (SELECT s._id, " + reason + " END AS reason, "
                + detail + " END AS detail FROM " + stage + " s) r WHERE r._id = s._id AND r.reason IS NOT NULL");
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
                joins.append(" LEFT JOIN ingest_keys ").append(k).append(" ON ").append(k).append(".store = ").append(STORE)
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
                + joins + " WHERE s._state = 'new' ORDER BY s._id";
    }

    private String update() {
        if (columns.isEmpty()) return "SELECT 0 WHERE false";
        StringBuilder joins = new StringBuilder();
        String values = valueList(joins).substring(2);
        StringBuilder names = new StringBuilder();
        for (String c : columns) names.append(names.length() == 0 ? "" : ", ").append(Sql.quote(c));
        return "UPDATE " + Sql.quote(table.name()) + " t SET (" + names + ") = ROW(" + values + ") FROM " + stage + " s" + joins
                + " WHERE s._state = 'changed' AND t.id = s._target";
    }

    /** Rows of earlier runs of this store that the store no longer has; deleted here with {@code sync}. */
    long[] gone(Connection pg, boolean sync) throws SQLException {
        String missing = " FROM ingest_keys k WHERE k.store = " + STORE + " AND k.source_table = " + Sql.literal(table.name())
                + " AND NOT EXISTS (SELECT 1 FROM " + stage + " s WHERE s._id = k.source_id)";
        long gone = count(pg, "SELECT count(*)" + missing);
        if (!sync || gone == 0) return new long[]{gone, 0};
        long deleted = exec(pg, "DELETE FROM " + Sql.quote(table.name()) + " t USING ingest_keys k WHERE t.id = k.target_id AND k.store = "
                + STORE + " AND k.source_table = " + Sql.literal(table.name())
                + " AND NOT EXISTS (SELECT 1 FROM " + stage + " s WHERE s._id = k.source_id)");
        exec(pg, "DELETE" + missing);
        return new long[]{gone, deleted};
    }

    private String qualifiedTarget(Connection pg) throws SQLException {
        try (PreparedStatement ps = pg.prepareStatement("SELECT to_regclass(quote_ident(?))::text")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static long exec(Connection pg, String sql) throws SQLException {
        try (Statement st = pg.createStatement()) {
            st.execute(sql);
            return Math.max(0, st.getUpdateCount());
        }
    }

    private static long count(Connection pg, String sql) throws SQLException {
        try (Statement st = pg.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

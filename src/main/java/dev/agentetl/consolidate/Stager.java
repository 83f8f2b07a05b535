package dev.agentetl.consolidate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.db.CopyBuffer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
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
 * Load: one legacy table copied unchanged into {@code legacy_<table>} (agent-etl's schema) with lossless types (SQLite INTEGER
 * as bigint, REAL as double precision, text as text), plus its source key, streamed through one COPY so
 * memory stays bounded and the server stores rows while the next ones are read. A value whose storage
 * class does not fit its column (text in a REAL column, a blob) makes its row a reject with the reason;
 * the row is not staged. Each staged row also says whether {@link ValueCheck} vouched for all its values
 * ({@code _checked}); the validation query only looks at the rows it did not.
 */
final class Stager {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rows are handed to the COPY in pieces of about this many characters. */
    private static final int CHUNK_CHARS = 64 << 10;

    record Staged(long read, long staged, List<Reject> rejects) {
    }

    record Reject(String sourceKey, String reason, String detail) {
    }

    /** Creates (or empties) legacy_<table> and fills it; runs inside the caller's transaction on {@code pg}. */
    Staged stage(Connection pg, LegacySource source, LegacySource.Found found) throws SQLException, IOException {
        LegacyTable t = found.layout();
        List<LegacyTable.Column> columns = t.columns();
        String staged = LegacySource.staged(found.table());
        try (Statement st = pg.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + staged);
            StringBuilder ddl = new StringBuilder("CREATE UNLOGGED TABLE " + staged
                    + " (_source_key text NOT NULL, _rowid bigint, _checked boolean NOT NULL");
            for (LegacyTable.Column c : columns) {
                ddl.append(", ").append(LegacySource.quote(c.name())).append(' ').append(c.stagedType());
            }
            st.execute(ddl.append(")").toString());
        }
        StringBuilder names = new StringBuilder("_source_key, _rowid, _checked");
        List<String> columnNames = new ArrayList<>();
        for (LegacyTable.Column c : columns) {
            names.append(", ").append(LegacySource.quote(c.name()));
            columnNames.add(c.name());
        }
        CopyManager copy = pg.unwrap(PGConnection.class).getCopyAPI();
        CopyBuffer buffer = new CopyBuffer(staged, names.toString());
        List<Reject> rejects = new ArrayList<>();
        long read = 0;
        int[] keyIndex = t.keyColumns().stream().mapToInt(columnNames::indexOf).toArray();
        Check[] checks = columns.stream().map(c -> Check.of(t, c.name())).toArray(Check[]::new);
        // looked up once: per row and column it showed in a profile of staging (the type is derived from text)
        String[] stagedTypes = columns.stream().map(LegacyTable.Column::stagedType).toArray(String[]::new);
        CopyIn in = buffer.open(copy);
        try (Connection src = source.open(found);
             PreparedStatement ps = src.prepareStatement(source.selectAll(found, columnNames))) {
            ps.setFetchSize(5000);
            try (ResultSet rs = ps.executeQuery()) {
                Object[] row = new Object[columns.size() + 3];
                while (rs.next()) {
                    read++;
                    Object rowid = rs.getObject(1);
                    String problem = null;
                    boolean checked = true;
                    for (int i = 0; i < columns.size(); i++) {
                        Object v = rs.getObject(i + 2);
                        Object converted = convert(v, stagedTypes[i]);
                        if (converted == INVALID && problem == null) {
                            problem = "wrong_type:" + columns.get(i).name();
                        }
                        checked = checked && checks[i].vouchesFor(converted);
                        row[i + 3] = converted;
                    }
                    String key = sourceKey(row, keyIndex, rowid);
                    if (problem != null) {
                        rejects.add(new Reject(key, problem, rowText(columnNames, rs)));
                        continue;
                    }
                    row[0] = key;
                    row[1] = rowid instanceof Number n ? n.longValue() : null;
                    row[2] = checked;
                    buffer.row(row);
                    if (buffer.pendingChars() > CHUNK_CHARS) {
                        buffer.drainTo(in);
                    }
                }
            }
            buffer.drainTo(in);
            in.endCopy();
        } catch (SQLException e) {
            cancel(in);
            throw new SQLException(found.label() + ": " + LegacySource.sqliteReason(e), e);
        } catch (RuntimeException e) {
            cancel(in);
            throw e;
        }
        try (Statement st = pg.createStatement()) {
            // the unique index proves the source keys unique (lineage relies on it) and, being built, records the
            // table's row count for the planner; no ANALYZE (2.5 s per million rows): validation, transform and
            // reconciliation read the staged table whole, so column statistics would not change their plans
            st.execute("CREATE UNIQUE INDEX ON " + staged + " (_source_key)");
        }
        return new Staged(read, buffer.total(), rejects);
    }

    private static final Object INVALID = new Object();

    private static void cancel(CopyIn in) {
        try {
            if (in.isActive()) in.cancelCopy();
        } catch (SQLException ignored) {
            // the transaction is rolled back by the caller either way
        }
    }

    /** What the validation query checks of one column (its key NULL test, its value format), done on the client first. */
    private record Check(boolean key, Format format) {
        enum Format { NONE, JSON, TIME, JULIAN_DAY, EPOCH }

        static Check of(LegacyTable t, String column) {
            Format f = t.jsonColumns().contains(column) ? Format.JSON
                    : t.localTimeColumns().contains(column) ? Format.TIME
                    : t.julianDayColumns().contains(column) ? Format.JULIAN_DAY
                    : t.epochColumns().contains(column) ? Format.EPOCH : Format.NONE;
            return new Check(t.keyColumns().contains(column), f);
        }

        /** Whether the validation query surely passes this value (false: let it look). */
        boolean vouchesFor(Object v) {
            if (v == null) return !key;
            return switch (format) {
                case NONE -> true;
                case JSON -> v instanceof String s && ValueCheck.certainJson(s);
                case TIME -> v instanceof String s && ValueCheck.certainTime(s);
                case JULIAN_DAY -> v instanceof Number n && ValueCheck.certainJulianDay(n.doubleValue());
                case EPOCH -> v instanceof Number n && ValueCheck.certainEpoch(n.doubleValue());
            };
        }
    }

    /** A value as its staged column takes it, or INVALID when its storage class does not fit. */
    static Object convert(Object v, String stagedType) {
        if (v == null) return null;
        if (v instanceof byte[]) return INVALID;
        switch (stagedType) {
            case "bigint" -> {
                if (v instanceof Integer || v instanceof Long) return ((Number) v).longValue();
                if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 9.0e15) {
                    return n.longValue();
                }
                return INVALID;
            }
            case "double precision" -> {
                if (v instanceof Number n) return n.doubleValue();
                return INVALID;
            }
            default -> {
                return v.toString();
            }
        }
    }

    /**
     * The row's key in lineage: the integer id, the single key column, or a JSON array of the key
     * columns; a row whose key is NULL (legacy TEXT PRIMARY KEY allows it) is keyed by its row number.
     */
    static String sourceKey(Object[] row, int[] keyIndex, Object rowid) {
        List<Object> parts = new ArrayList<>();
        for (int i : keyIndex) {
            Object v = row[i + 3];
            if (v == null || v == INVALID) {
                return "rowid:" + rowid;
            }
            parts.add(v);
        }
        if (parts.size() == 1) {
            return parts.get(0).toString();
        }
        try {
            return JSON.writeValueAsString(parts.stream().map(Object::toString).toList());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rowText(List<String> names, ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Object v = rs.getObject(i + 2);
            m.put(names.get(i), v instanceof byte[] b ? "<blob of " + b.length + " bytes>" : v);
        }
        try {
            String s = JSON.writeValueAsString(m);
            return s.length() > 1000 ? s.substring(0, 1000) + "…" : s;
        } catch (Exception e) {
            return m.toString();
        }
    }
}

package dev.agentetl.export;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Takes the values of the current row out of the result set as plain Java values (String, Long,
 * Double, Boolean, BigDecimal, OffsetDateTime, LocalDateTime, Object[] for arrays, byte[] for text when asked, null), so the
 * writers can format them on another thread while the cursor fetches the next rows.
 */
final class RowExtractor {

    /** The text types whose values the server sends as UTF-8 text (never in binary), to be taken as bytes. */
    private static final java.util.Set<String> TEXT = java.util.Set.of("text", "varchar", "bpchar", "name", "json", "jsonb");

    private final List<Column> columns;
    /** Per column: take the value as the server's UTF-8 bytes (byte[]) rather than a String. */
    private final boolean[] rawText;

    RowExtractor(List<Column> columns) {
        this(columns, false);
    }

    /**
     * @param rawText text columns as byte[], the UTF-8 the server sent: for a writer that wants UTF-8 (Parquet),
     *                this saves decoding each value to a String and encoding it back, most of the per-row cost
     *                of JSON-heavy rows
     */
    RowExtractor(List<Column> columns, boolean rawText) {
        this.columns = columns;
        this.rawText = new boolean[columns.size()];
        for (int i = 0; i < columns.size(); i++) this.rawText[i] = rawText && TEXT.contains(columns.get(i).type());
    }

    Object[] extract(ResultSet rs) throws SQLException {
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
            int j = i + 1;
            Column c = columns.get(i);
            row[i] = switch (c.type()) {
                case "int2", "int4", "int8", "oid" -> { long v = rs.getLong(j); yield rs.wasNull() ? null : v; }
                case "float4", "float8" -> { double v = rs.getDouble(j); yield rs.wasNull() ? null : v; }
                case "bool" -> { boolean v = rs.getBoolean(j); yield rs.wasNull() ? null : v; }
                case "numeric" -> rs.getBigDecimal(j);
                case "timestamptz" -> rs.getObject(j, OffsetDateTime.class);
                case "timestamp" -> rs.getObject(j, LocalDateTime.class);
                case "date" -> rs.getObject(j, java.time.LocalDate.class);
                default -> {
                    if (rawText[i]) yield rs.getBytes(j); // the driver's copy of the text, as sent (UTF-8)
                    if (c.isArray()) {
                        Array a = rs.getArray(j);
                        yield a == null ? null : (Object[]) a.getArray();
                    }
                    yield rs.getString(j);
                }
            };
        }
        return row;
    }
}

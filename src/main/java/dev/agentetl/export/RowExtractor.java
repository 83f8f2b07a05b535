package dev.agentetl.export;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Takes the values of the current row out of the result set as plain Java values (String, Long,
 * Double, Boolean, BigDecimal, OffsetDateTime, LocalDateTime, Object[] for arrays, null), so the
 * writers can format them on another thread while the cursor fetches the next rows.
 */
final class RowExtractor {

    private final List<Column> columns;

    RowExtractor(List<Column> columns) {
        this.columns = columns;
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

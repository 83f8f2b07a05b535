package dev.agentetl.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** RFC 4180 CSV with a header, UTF-8; jsonb as JSON text, arrays as JSON arrays, timestamps ISO-8601. */
final class CsvRowWriter implements RowWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Column> columns;
    private final CSVPrinter printer;
    private final String[] row;

    CsvRowWriter(List<Column> columns, OutputStream out) throws IOException {
        this.columns = columns;
        this.row = new String[columns.size()];
        this.printer = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16),
                CSVFormat.RFC4180.builder().setHeader(columns.stream().map(Column::name).toArray(String[]::new)).get());
    }

    @Override
    public void write(ResultSet rs) throws SQLException, IOException {
        for (int i = 0; i < row.length; i++) {
            Column c = columns.get(i);
            if (c.isTimestampTz()) {
                row[i] = Values.timestampTz(rs, i + 1);
            } else if (c.isTimestamp()) {
                row[i] = Values.timestamp(rs, i + 1);
            } else if (c.type().equals("bool")) {
                boolean b = rs.getBoolean(i + 1);
                row[i] = rs.wasNull() ? null : Boolean.toString(b);
            } else if (c.isArray()) {
                Array a = rs.getArray(i + 1);
                row[i] = a == null ? null : JSON.writeValueAsString(Arrays.asList((Object[]) a.getArray()));
            } else {
                row[i] = rs.getString(i + 1);
            }
        }
        printer.printRecord((Object[]) row);
    }

    @Override
    public void close() throws IOException {
        printer.close(true);
    }
}

package dev.agentetl.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
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
    public void write(Object[] values) throws IOException {
        for (int i = 0; i < row.length; i++) {
            Column c = columns.get(i);
            Object v = values[i];
            if (v == null) {
                row[i] = null;
            } else if (c.isTimestampTz()) {
                row[i] = v instanceof String s ? Values.isoFromText(s, true) : Values.timestampTz(v);
            } else if (c.isTimestamp()) {
                row[i] = v instanceof String s ? Values.isoFromText(s, false) : Values.timestamp(v);
            } else if (c.type().equals("bool") && v instanceof String s) {
                row[i] = s.equals("t") ? "true" : s.equals("f") ? "false" : s;
            } else if (v instanceof Object[] array) {
                row[i] = JSON.writeValueAsString(Arrays.asList(array));
            } else if (v instanceof java.math.BigDecimal d) {
                row[i] = d.toPlainString();
            } else {
                row[i] = v.toString();
            }
        }
        printer.printRecord((Object[]) row);
    }

    @Override
    public void close() throws IOException {
        printer.close(true);
    }
}

package dev.agentetl.export;

import org.postgresql.PGConnection;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * CSV through PostgreSQL's own COPY: the server formats the rows (its fastest path), a SELECT around
 * the export's query puts the values into the forms our CSV promises, and {@link CsvPartSink} lays the
 * stream out as part files. Quoting, NULL (empty) versus empty text ("") and UTF-8 are COPY's.
 */
final class CsvCopy {

    private CsvCopy() {
    }

    /** Streams one query's rows into part files; the rows written. */
    static long export(Connection c, ExportQuery query, List<Column> columns, PartFiles parts, long rowsPerFile,
                       boolean fileWhenEmpty, String label) throws SQLException, IOException {
        query.bindSettings(c);
        CsvPartSink sink = new CsvPartSink(parts, rowsPerFile, label, columns);
        c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql(query.copySql(), columns), sink);
        return sink.finish(fileWhenEmpty);
    }

    static String sql(String select, List<Column> columns) {
        String values = columns.stream().map(c -> value(c) + " AS " + Dataset.quote(c.name())).collect(Collectors.joining(", "));
        return "COPY (SELECT " + values + " FROM (" + select + ") q) TO STDOUT (FORMAT csv, HEADER)";
    }

    /**
     * One column as the server should write it: arrays as JSON arrays; everything else in PostgreSQL's own
     * text (jsonb as JSON text, numeric in full, uuid), timestamps and booleans reshaped by {@link CsvPartSink}.
     */
    private static String value(Column c) {
        String x = "q." + Dataset.quote(c.name());
        return c.isArray() ? "to_json(" + x + ")" : x;
    }
}

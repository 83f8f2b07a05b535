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
        CsvPartSink sink = new CsvPartSink(parts, rowsPerFile, label);
        c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql(query.copySql(), columns), sink);
        return sink.finish(fileWhenEmpty);
    }

    static String sql(String select, List<Column> columns) {
        String values = columns.stream().map(c -> value(c) + " AS " + Dataset.quote(c.name())).collect(Collectors.joining(", "));
        return "COPY (SELECT " + values + " FROM (" + select + ") q) TO STDOUT (FORMAT csv, HEADER)";
    }

    /**
     * One column in the CSV's form: timestamps ISO-8601 with microseconds and the offset (Z: the session
     * is in UTC), booleans true/false, arrays as JSON arrays; everything else in PostgreSQL's own text
     * (jsonb as JSON text, numeric in full, uuid).
     */
    private static String value(Column c) {
        String x = "q." + Dataset.quote(c.name());
        // to_char has no era in YYYY: years BC (and infinity) keep PostgreSQL's text rather than a wrong year
        if (c.isTimestampTz()) {
            return "CASE WHEN " + x + " >= '0001-01-01 00:00:00+00' AND " + x + " < 'infinity' THEN to_char(" + x
                    + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') ELSE " + x + "::text END";
        }
        if (c.isTimestamp()) {
            return "CASE WHEN " + x + " >= '0001-01-01 00:00:00' AND " + x + " < 'infinity' THEN to_char(" + x
                    + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US') ELSE " + x + "::text END";
        }
        if (c.type().equals("bool")) return "CASE WHEN " + x + " THEN 'true' WHEN NOT " + x + " THEN 'false' END";
        if (c.isArray()) return "to_json(" + x + ")";
        return x;
    }
}

package dev.agentetl.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table exported over several connections at once (block ranges of one snapshot): every row exactly once,
 * in every format, with the values intact, read back by DuckDB; part files per slice, the manifest lists them all.
 */
class SlicedExportTest {

    private static final int ROWS = 5000;

    @TempDir
    Path out;
    TestRuntime rt;

    @BeforeEach
    void start() throws Exception {
        // three connections, tables of any size split, and small part files so slices rotate files too
        rt = TestRuntime.start(Map.of("agent-etl.export.connections", "3", "agent-etl.export.split-min-mb", "0",
                "agent-etl.export.rows-per-file", "700"));
        Sql.exec(rt.db, """
                CREATE TABLE wide_events (id int PRIMARY KEY, label text, amount numeric(30, 6), ok boolean, doc jsonb, tags text[],
                                          created_at timestamptz NOT NULL, padding text);
                INSERT INTO wide_events
                SELECT g, CASE mod(g, 5) WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN E'line\\nbreak, "quoted" \u00e9' ELSE 'row ' || g END,
                       g * 1000000.000001, mod(g, 2) = 0, jsonb_build_object('n', g, 's', 'x"y'), ARRAY['a,' || g, 'b'],
                       timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute 0.000123 second', repeat('p', 200)
                FROM generate_series(1, %d) g""".formatted(ROWS));
        Sql.exec(rt.db, "VACUUM ANALYZE wide_events");
        assertTrue(Sql.count(rt.db, "SELECT pg_relation_size('wide_events') / current_setting('block_size')::int") >= 3,
                "the table spans enough blocks for three slices");
    }

    @AfterEach
    void stop() throws Exception {
        rt.close();
    }

    private ExportReport export(ExportFormat format, Map<String, String> where) {
        return (ExportReport) rt.runtime.run("export", new ExportRequest("wide_events", null, format, null, null, where, false,
                out, "snappy", "test"));
    }

    private List<Path> files(String suffix) throws Exception {
        try (Stream<Path> walk = Files.walk(out)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void should_export_every_row_once_over_three_connections_in_every_format() throws Exception {
        String expected = (String) Sql.value(rt.db, "SELECT count(*) || '/' || sum(id) || '/' || sum(amount) || '/' || "
                + "count(label) || '/' || count(*) FILTER (WHERE label = '') FROM wide_events");
        for (ExportFormat format : ExportFormat.values()) {
            ExportReport report = export(format, Map.of());
            assertEquals(ROWS, report.rows(), format.extension());
            List<Path> parts = files("." + format.extension());
            assertTrue(parts.stream().anyMatch(p -> p.getFileName().toString().matches("part-\\d{6}-02-\\d{5}\\." + format.extension())),
                    "the third slice wrote its own files: " + parts);
            JsonNode manifest = new ObjectMapper().readTree(Path.of(report.manifest()).toFile());
            assertEquals(parts.size(), manifest.get("files").size(), "the manifest lists every slice's files");
            assertEquals(ROWS, manifest.get("rows").asLong());
            String read = switch (format) {
                // COPY writes NULL as nothing and empty text as "": DuckDB keeps them apart when told to
                case CSV -> "read_csv('" + out + "/wide_events/csv/*/*.csv', header = true, allow_quoted_nulls = false, columns = {'id': 'INTEGER', 'label': 'VARCHAR', "
                        + "'amount': 'DECIMAL(30,6)', 'ok': 'BOOLEAN', 'doc': 'VARCHAR', 'tags': 'VARCHAR', 'created_at': 'VARCHAR', 'padding': 'VARCHAR'})";
                case JSONL -> "read_json('" + out + "/wide_events/jsonl/*/*.jsonl', format = 'newline_delimited', "
                        + "columns = {id: 'INTEGER', label: 'VARCHAR', amount: 'VARCHAR', ok: 'BOOLEAN', doc: 'JSON', tags: 'VARCHAR[]', "
                        + "created_at: 'VARCHAR', padding: 'VARCHAR'})";
                case PARQUET -> "read_parquet('" + out + "/wide_events/parquet/*/*.parquet')";
            };
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
                // amounts summed from their text: DuckDB's JSON reader would go through a double on the way to DECIMAL
                ResultSet rs = st.executeQuery("SELECT count(*) || '/' || sum(id) || '/' || sum(amount::VARCHAR::DECIMAL(30, 6)) || '/' || count(label) || '/' "
                        + "|| count(*) FILTER (WHERE label = ''), count(DISTINCT id) FROM " + read);
                rs.next();
                assertEquals(expected, rs.getString(1), format.extension() + ": rows, ids, amounts, NULL and empty labels");
                assertEquals(ROWS, rs.getInt(2), format.extension() + ": no row twice");
                rs = st.executeQuery("SELECT label, doc::VARCHAR FROM " + read + " WHERE id = 4997");
                assertTrue(rs.next());
                assertEquals("line\nbreak, \"quoted\" \u00e9", rs.getString(1), format.extension());
                assertEquals(new ObjectMapper().readTree("{\"n\": 4997, \"s\": \"x\\\"y\"}"), new ObjectMapper().readTree(rs.getString(2)));
            }
        }
        for (Path csv : files(".csv")) {
            String text = Files.readString(csv, StandardCharsets.UTF_8);
            assertTrue(text.startsWith("id,label,amount,ok,doc,tags,created_at,padding\r\n"), "every part starts with the header: " + csv);
            assertTrue(text.endsWith("\r\n") && !text.replace("\r\n", "").contains("\r"), "records end with CRLF");
        }
    }

    @Test
    void should_filter_a_sliced_csv_by_time_and_column_as_the_database_does() throws Exception {
        java.time.OffsetDateTime since = java.time.OffsetDateTime.parse("2026-01-01T10:00:00.5Z");
        java.time.OffsetDateTime until = java.time.OffsetDateTime.parse("2026-01-03T00:00Z");
        ExportReport report = (ExportReport) rt.runtime.run("export", new ExportRequest("wide_events", null, ExportFormat.CSV,
                since, until, Map.of("ok", "true"), false, out, "snappy", "test"));
        long expected = Sql.count(rt.db, "SELECT count(*) FROM wide_events WHERE created_at >= '2026-01-01T10:00:00.5Z' "
                + "AND created_at < '2026-01-03T00:00Z' AND ok");
        assertTrue(expected > 500 && expected < ROWS / 2, "the filters select part of the table: " + expected);
        assertEquals(expected, report.rows());
        assertEquals(expected, rows(files(".csv")).size());
    }

    @Test
    void should_write_one_header_only_file_when_no_slice_has_rows() throws Exception {
        ExportReport report = export(ExportFormat.CSV, Map.of("label", "no such label"));
        assertEquals(0, report.rows());
        List<Path> parts = files(".csv");
        assertEquals(1, parts.size(), "one file, from the first slice: " + parts);
        assertEquals("id,label,amount,ok,doc,tags,created_at,padding\r\n", Files.readString(parts.get(0)));
    }

    @Test
    void should_give_the_same_csv_rows_over_one_connection_and_over_three() throws Exception {
        export(ExportFormat.CSV, Map.of("ok", "true"));
        List<String> sliced = rows(files(".csv"));
        Path again = out.resolve("single");
        // the export route's steps, on an exporter of one connection
        Exporter one = new Exporter(rt.runtime.dataSource(), ExportSettings.single(again, 1_000_000));
        ExportRun run = one.begin(one.validate(new ExportRequest("wide_events", null, ExportFormat.CSV, null, null, Map.of("ok", "true"),
                false, again, "snappy", "test")));
        try {
            one.lockDataset(run);
            one.openSnapshot(run);
            one.writeParts(run);
            one.writeManifest(run);
            one.record(run);
        } finally {
            one.release(run);
        }
        List<String> whole;
        try (Stream<Path> walk = Files.walk(again)) {
            whole = rows(walk.filter(p -> p.toString().endsWith(".csv")).toList());
        }
        assertEquals(ROWS / 2, whole.size());
        assertEquals(whole, sliced, "the same records, byte for byte, once sorted");
    }

    @Test
    void should_remove_the_completed_parts_of_a_failed_export_and_those_a_killed_one_left() throws Exception {
        // the query fails at row 1500, after two files of 700 rows were complete
        Path bad = out.resolve("bad.sql");
        Files.writeString(bad, "SELECT id, 10 / (id - 1500) AS boom FROM wide_events ORDER BY id");
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> rt.runtime.run("export",
                new ExportRequest(null, bad, ExportFormat.CSV, null, null, Map.of(), false, out, "snappy", "test")));
        assertEquals(List.of(), files(".csv"), "no part of the failed export is left");

        // a killed export: complete-looking parts whose manifest was never written; a finished export's stay
        // (an extract, which the snapshot after it does not replace)
        ExportReport first = export(ExportFormat.CSV, Map.of("ok", "true"));
        Path folder = Path.of(first.folder());
        Files.writeString(folder.resolve("part-000777-00-00000.csv"), "id\r\n1\r\n");
        Files.writeString(folder.resolve("part-000777-01-00003.csv"), "id\r\n2\r\n");
        ExportReport second = export(ExportFormat.CSV, Map.of());
        assertTrue(files(".csv").stream().noneMatch(p -> p.getFileName().toString().startsWith("part-000777")), "debris removed");
        assertEquals(first.files().size() + second.files().size(), files(".csv").size(), "both finished exports kept");
    }

    /** The records of CSV files without their headers, sorted (a record may span lines inside quotes). */
    private static List<String> rows(List<Path> files) throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Path f : files) {
            String[] records = Files.readString(f).split("\r\n");
            out.addAll(List.of(records).subList(1, records.length));
        }
        out.sort(null);
        return out;
    }
}

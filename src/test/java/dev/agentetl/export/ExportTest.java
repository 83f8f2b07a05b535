package dev.agentetl.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import dev.agentetl.support.TestRuntime;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exports read back value by value, filters that cannot inject, incremental watermarks, atomic files, manifests. */
class ExportTest {

    @TempDir
    Path out;
    TestRuntime rt;
    AppConfig config;
    AgentEtlRuntime runtime;
    Connection db;

    @BeforeEach
    void start() throws Exception {
        rt = TestRuntime.start();
        config = rt.config;
        runtime = rt.runtime;
        db = rt.db;
        Sql.exec(db, """
                CREATE TABLE quirks (id int PRIMARY KEY, label text, amount numeric(38, 10), ratio double precision, ok boolean,
                                     doc jsonb, tags text[], uid uuid, created_at timestamptz DEFAULT now());
                INSERT INTO quirks VALUES
                 (1, 'plain', 1.5, 0.25, true, '{"a": 1}', '{x,y}', '00000000-0000-0000-0000-000000000001', '2026-01-02 03:04:05.123456+00'),
                 (2, E'comma, "quote"\\nnewline \u2013 \u00e9\u00e8 \uD83D\uDE00', 1234567890123456789012345678.0123456789, -1e300, false,
                  '{"nested": {"list": [1, "two", null]}, "s": "x\\"y"}', '{"a,b","c\\"d"}', '00000000-0000-0000-0000-0000000000ff',
                  '2026-06-30 23:59:59.999999-07'),
                 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2026-03-01 00:00:00+05:30')""");
    }

    @AfterEach
    void stop() throws Exception {
        rt.close();
    }

    private ExportReport export(String dataset, ExportFormat format, Map<String, String> where, boolean incremental) {
        return (ExportReport) runtime.run("export", new ExportRequest(dataset, null, format, null, null, where, incremental,
                out, "snappy", "test"));
    }

    private static List<Path> files(Path folder, String suffix) throws Exception {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void should_round_trip_every_value_through_csv() throws Exception {
        ExportReport report = export("quirks", ExportFormat.CSV, Map.of(), false);
        assertEquals(3, report.rows());
        List<CSVRecord> records;
        try (Reader r = Files.newBufferedReader(files(out, ".csv").get(0), StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            records = p.getRecords();
        }
        records = new ArrayList<>(records);
        records.sort((a, b) -> a.get("id").compareTo(b.get("id")));
        CSVRecord two = records.get(1);
        assertEquals(Sql.value(db, "SELECT label FROM quirks WHERE id = 2"), two.get("label"));
        assertEquals("1234567890123456789012345678.0123456789", two.get("amount"), "numeric keeps every digit");
        assertEquals(-1e300, Double.parseDouble(two.get("ratio")));
        assertEquals("false", two.get("ok"));
        assertEquals(new ObjectMapper().readTree((String) Sql.value(db, "SELECT doc::text FROM quirks WHERE id = 2")),
                new ObjectMapper().readTree(two.get("doc")));
        assertEquals("[\"a,b\",\"c\\\"d\"]", two.get("tags"));
        assertEquals("00000000-0000-0000-0000-0000000000ff", two.get("uid"));
        assertEquals("2026-07-01T06:59:59.999999Z", two.get("created_at"), "timestamps in UTC with microseconds");
        assertEquals("2026-02-28T18:30:00.000000Z", records.get(2).get("created_at"));
        assertEquals("", records.get(2).get("label"), "NULL is an empty field");
    }

    @Test
    void should_round_trip_every_value_through_json_lines() throws Exception {
        export("quirks", ExportFormat.JSONL, Map.of(), false);
        List<String> lines = Files.readAllLines(files(out, ".jsonl").get(0), StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), "one object per line");
        // read numbers as exact decimals, as pandas / DuckDB can; the file holds every digit
        ObjectMapper json = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        JsonNode two = lines.stream().map(l -> { try { return json.readTree(l); } catch (Exception e) { throw new RuntimeException(e); } })
                .filter(n -> n.get("id").asInt() == 2).findFirst().orElseThrow();
        assertEquals(Sql.value(db, "SELECT label FROM quirks WHERE id = 2"), two.get("label").asText());
        assertEquals(new java.math.BigDecimal("1234567890123456789012345678.0123456789"), two.get("amount").decimalValue());
        assertTrue(two.get("doc").isObject(), "jsonb is nested JSON, not a string");
        assertEquals("two", two.get("doc").get("nested").get("list").get(1).asText());
        assertEquals("c\"d", two.get("tags").get(1).asText());
        assertTrue(two.get("ok").isBoolean());
        assertEquals("2026-07-01T06:59:59.999999Z", two.get("created_at").asText());
        JsonNode three = json.readTree(lines.stream().filter(l -> l.contains("\"id\":3")).findFirst().orElseThrow());
        assertTrue(three.get("label").isNull() && three.get("doc").isNull() && three.get("tags").isNull());
    }

    @Test
    void should_bind_filters_so_injection_attempts_are_inert_or_refused() throws Exception {
        assertEquals(1, export("quirks", ExportFormat.CSV, Map.of("label", "plain"), false).rows());
        assertEquals(0, export("quirks", ExportFormat.CSV, Map.of("label", "plain' OR '1'='1"), false).rows(), "a value is only a value");
        assertThrows(RuntimeException.class, () -> export("quirks", ExportFormat.CSV, Map.of("label = label OR 1=1 --", "x"), false));
        assertThrows(RuntimeException.class, () -> export("quirks; DROP TABLE quirks", ExportFormat.CSV, Map.of(), false));
        CliRun run = CliRun.of(config, "export", "quirks", "--format", "csv", "--out", out.toString(),
                "--since", "2026-01-01'); DROP TABLE quirks; --");
        assertEquals(2, run.exit(), "a usage error");
        assertTrue(run.err().contains("--since takes an ISO date or timestamp"), run.err());
        assertEquals(3, Sql.count(db, "SELECT count(*) FROM quirks"), "the table is still there");
    }

    @Test
    void should_neither_lose_nor_repeat_rows_across_incremental_runs() throws Exception {
        Sql.exec(db, "CREATE TABLE events (id serial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())");
        Sql.exec(db, "INSERT INTO events SELECT FROM generate_series(1, 100)");
        long total = 0;
        for (int round = 0; round < 3; round++) {
            total += export("events", ExportFormat.JSONL, Map.of(), true).rows();
            Sql.exec(db, "INSERT INTO events SELECT FROM generate_series(1, 50)");
        }
        total += export("events", ExportFormat.JSONL, Map.of(), true).rows();
        List<Integer> ids = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (Path f : files(out.resolve("events"), ".jsonl")) {
            for (String line : Files.readAllLines(f)) ids.add(json.readTree(line).get("id").asInt());
        }
        assertEquals(250, total);
        assertEquals(250, ids.size());
        assertEquals(250, ids.stream().distinct().count(), "no row exported twice");
        assertEquals(4, Sql.count(db, "SELECT count(*) FROM exports WHERE dataset = 'events' AND status = 'succeeded'"));
    }

    @Test
    void should_leave_no_complete_looking_file_when_an_export_fails_and_succeed_later() throws Exception {
        Path folder = out.resolve("quirks/csv").resolve("dt=" + java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(".part-000099-00000.csv.inprogress"), "debris of a killed export");
        Path bad = out.resolve("bad.sql");
        Files.writeString(bad, "SELECT id, 10 / (id - 2) AS boom FROM quirks ORDER BY id");

        assertThrows(RuntimeException.class, () -> runtime.run("export",
                new ExportRequest(null, bad, ExportFormat.CSV, null, null, Map.of(), false, out, "snappy", "test")));
        assertTrue(files(out.resolve("bad"), ".csv").isEmpty(), "no part file was completed");
        assertTrue(files(out.resolve("bad"), ".json").isEmpty(), "no manifest");
        assertEquals("failed", Sql.value(db, "SELECT status FROM exports WHERE dataset = 'bad'"));

        export("quirks", ExportFormat.CSV, Map.of(), false);
        assertTrue(files(out.resolve("quirks"), ".inprogress").isEmpty(), "debris cleaned");
        assertEquals(1, files(out.resolve("quirks"), ".csv").size());
    }

    @Test
    void should_export_a_query_whose_columns_share_a_name_as_csv() throws Exception {
        Path query = out.resolve("pairs.sql");
        Files.writeString(query, "SELECT a.id, b.id, a.ok FROM quirks a JOIN quirks b ON b.id = a.id + 1 ORDER BY a.id");
        ExportReport report = (ExportReport) runtime.run("export", new ExportRequest(null, query, ExportFormat.CSV, null, null,
                Map.of(), false, out, "snappy", "test"));
        assertEquals(2, report.rows());
        assertEquals("id,id,ok\r\n1,2,true\r\n2,3,false\r\n", Files.readString(files(out.resolve("pairs"), ".csv").get(0)));
    }

    @Test
    void should_refuse_to_overwrite_an_export_of_another_database_with_the_same_id() throws Exception {
        ExportReport first = export("quirks", ExportFormat.CSV, Map.of(), false);
        byte[] before = Files.readAllBytes(files(out, ".csv").get(0));
        // another database (or this one, rebuilt) counts export ids from the same start
        Sql.exec(db, "ALTER SEQUENCE " + Sql.value(db, "SELECT pg_get_serial_sequence('exports', 'id')") + " RESTART WITH " + first.exportId());
        Sql.exec(db, "DELETE FROM exports");
        RuntimeException e = assertThrows(RuntimeException.class, () -> export("quirks", ExportFormat.CSV, Map.of("label", "plain"), false));
        assertTrue(String.valueOf(e.getMessage()).contains("already exists") || String.valueOf(e.getCause()).contains("already exists"), e.toString());
        assertEquals(1, files(out, ".csv").size());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(files(out, ".csv").get(0))), "the earlier export is untouched");
    }

    @Test
    void should_write_a_manifest_whose_checksums_match_the_files() throws Exception {
        ExportReport report = export("quirks", ExportFormat.JSONL, Map.of(), false);
        JsonNode manifest = new ObjectMapper().readTree(Path.of(report.manifest()).toFile());
        assertEquals("quirks", manifest.get("dataset").asText());
        assertEquals(3, manifest.get("rows").asInt());
        assertEquals(9, manifest.get("columns").size());
        for (JsonNode f : manifest.get("files")) {
            Path file = Path.of(report.folder()).resolveSibling(f.get("file").asText());
            byte[] bytes = Files.readAllBytes(file);
            assertEquals(f.get("bytes").asLong(), bytes.length);
            assertEquals(f.get("sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
        assertEquals(3, Sql.count(db, "SELECT record_count FROM exports WHERE id = " + report.exportId()));
        assertEquals(manifest.get("files").get(0).get("sha256").asText(),
                Sql.value(db, "SELECT manifest->'files'->0->>'sha256' FROM exports WHERE id = " + report.exportId()));
        assertNull(Sql.value(db, "SELECT watermark->>'from' FROM exports WHERE id = " + report.exportId()));
    }

    @Test
    void should_round_trip_every_value_through_parquet_read_by_duckdb() throws Exception {
        ExportReport report = (ExportReport) runtime.run("export", new ExportRequest("quirks", null, ExportFormat.PARQUET, null,
                null, Map.of(), false, out, "zstd", "test"));
        Path file = files(out, ".parquet").get(0);
        try (Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.Statement st = duck.createStatement()) {
            java.sql.ResultSet rs = st.executeQuery("SELECT label, amount::VARCHAR, ratio, ok, doc, tags, uid::VARCHAR, "
                    + "strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%f'), typeof(amount), typeof(created_at), typeof(tags) "
                    + "FROM read_parquet('" + file + "') WHERE id = 2");
            assertTrue(rs.next());
            assertEquals(Sql.value(db, "SELECT label FROM quirks WHERE id = 2"), rs.getString(1));
            assertEquals("1234567890123456789012345678.0123456789", rs.getString(2));
            assertEquals(-1e300, rs.getDouble(3));
            assertEquals(false, rs.getBoolean(4));
            assertEquals(new ObjectMapper().readTree((String) Sql.value(db, "SELECT doc::text FROM quirks WHERE id = 2")),
                    new ObjectMapper().readTree(rs.getString(5)));
            assertEquals("['a,b', 'c\"d']", rs.getString(6));
            assertEquals("00000000-0000-0000-0000-0000000000ff", rs.getString(7));
            assertEquals("2026-07-01T06:59:59.999999", rs.getString(8));
            assertEquals("DECIMAL(38,10)", rs.getString(9));
            assertEquals("TIMESTAMP WITH TIME ZONE", rs.getString(10));
            assertEquals("VARCHAR[]", rs.getString(11));
            java.sql.ResultSet nulls = st.executeQuery("SELECT count(*) FROM read_parquet('" + file + "') WHERE id = 3 "
                    + "AND label IS NULL AND amount IS NULL AND doc IS NULL AND tags IS NULL");
            nulls.next();
            assertEquals(1, nulls.getInt(1));
        }
        assertEquals(3, report.rows());
    }

    /**
     * The Parquet file is parquet-avro's: its footer holds the Avro schema and the "avro" writer model, its
     * layout is parquet-avro's conversion of that schema, and parquet-avro's reader gets every value back.
     */
    @Test
    void should_write_parquet_that_parquet_avro_reads_with_its_schema() throws Exception {
        runtime.run("export", new ExportRequest("quirks", null, ExportFormat.PARQUET, null, null, Map.of(), false, out, "snappy", "test"));
        org.apache.parquet.io.InputFile file = new org.apache.parquet.io.LocalInputFile(files(out, ".parquet").get(0));
        org.apache.avro.Schema avro;
        try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(file)) {
            org.apache.parquet.hadoop.metadata.FileMetaData meta = reader.getFooter().getFileMetaData();
            assertEquals("avro", meta.getKeyValueMetaData().get("writer.model.name"));
            avro = new org.apache.avro.Schema.Parser().parse(meta.getKeyValueMetaData().get("parquet.avro.schema"));
            assertEquals(new org.apache.parquet.avro.AvroSchemaConverter().convert(avro), meta.getSchema(),
                    "the columns are laid out as parquet-avro lays out the Avro schema");
        }
        assertEquals(List.of("id", "label", "amount", "ratio", "ok", "doc", "tags", "uid", "created_at"),
                avro.getFields().stream().map(org.apache.avro.Schema.Field::name).toList());
        Map<Integer, org.apache.avro.generic.GenericRecord> byId = new java.util.HashMap<>();
        try (org.apache.parquet.hadoop.ParquetReader<org.apache.avro.generic.GenericRecord> reader =
                     org.apache.parquet.avro.AvroParquetReader.<org.apache.avro.generic.GenericRecord>builder(file)
                             .withConf(new org.apache.parquet.conf.PlainParquetConfiguration()).build()) {
            for (org.apache.avro.generic.GenericRecord r; (r = reader.read()) != null; ) byId.put((Integer) r.get("id"), r);
        }
        assertEquals(3, byId.size());
        org.apache.avro.generic.GenericRecord two = byId.get(2);
        assertEquals(Sql.value(db, "SELECT label FROM quirks WHERE id = 2"), two.get("label").toString());
        assertEquals(new ObjectMapper().readTree((String) Sql.value(db, "SELECT doc::text FROM quirks WHERE id = 2")),
                new ObjectMapper().readTree(two.get("doc").toString()));
        assertEquals(List.of("a,b", "c\"d"), ((List<?>) two.get("tags")).stream().map(Object::toString).toList());
        assertEquals("00000000-0000-0000-0000-0000000000ff", two.get("uid").toString());
        assertEquals(false, two.get("ok"));
        assertEquals(-1e300, two.get("ratio"));
        assertEquals(new java.math.BigDecimal("1234567890123456789012345678.0123456789"),
                new java.math.BigDecimal(new java.math.BigInteger(((java.nio.ByteBuffer) two.get("amount")).array()), 10));
        assertEquals(java.time.OffsetDateTime.parse("2026-07-01T06:59:59.999999Z").toInstant(),
                java.time.Instant.EPOCH.plus((Long) two.get("created_at"), java.time.temporal.ChronoUnit.MICROS));
        org.apache.avro.generic.GenericRecord three = byId.get(3);
        assertNull(three.get("label"));
        assertNull(three.get("tags"));
    }
}

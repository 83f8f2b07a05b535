package dev.agentetl.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dataset's folder as its readers see it: exports of one dataset at once lose no file, and after any sequence of
 * full and incremental exports a folder-level read (DuckDB) returns each row once.
 */
class ExportFolderTest {

    @TempDir
    Path out;
    TestRuntime rt;
    Connection db;

    @BeforeEach
    void start() throws Exception {
        rt = TestRuntime.start(Map.of("agent-etl.export.rows-per-file", "1000"));
        db = rt.db;
        // created_at may be NULL, and some rows are stamped in the future (clock skew, generated data)
        Sql.exec(db, """
                CREATE TABLE events (id int PRIMARY KEY, kind text NOT NULL, created_at timestamptz DEFAULT now());
                INSERT INTO events SELECT g, CASE WHEN g % 3 = 0 THEN 'a' ELSE 'b' END,
                                          CASE WHEN g % 500 = 0 THEN NULL WHEN g % 700 = 0 THEN now() + interval '2 days'
                                               ELSE now() - interval '1 hour' END
                FROM generate_series(1, 20000) g""");
    }

    @AfterEach
    void stop() throws Exception {
        rt.close();
    }

    private ExportReport export(ExportFormat format, Map<String, String> where, boolean incremental) {
        return (ExportReport) rt.runtime.run("export", new ExportRequest("events", null, format, null, null, where, incremental,
                out, "snappy", "test"));
    }

    private List<Path> manifests() throws Exception {
        try (Stream<Path> walk = Files.walk(out)) {
            return walk.filter(p -> p.getFileName().toString().matches("_manifest-\\d+\\.json")).sorted().toList();
        }
    }

    /** Every file a manifest lists (its tail included) is there with its size and SHA-256; DuckDB counts its rows. */
    private void assertManifestsHold(Statement duck) throws Exception {
        for (Path m : manifests()) {
            JsonNode manifest = new ObjectMapper().readTree(m.toFile());
            List<String> files = new ArrayList<>();
            List<JsonNode> entries = new ArrayList<>();
            manifest.get("files").forEach(entries::add);
            manifest.path("tail").path("files").forEach(entries::add);
            for (JsonNode f : entries) {
                Path file = m.getParent().resolveSibling(f.get("file").asText());
                assertTrue(Files.exists(file), m + " lists " + file + ", which is gone");
                byte[] bytes = Files.readAllBytes(file);
                assertEquals(f.get("bytes").asLong(), bytes.length, file.toString());
                assertEquals(f.get("sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
                files.add("'" + file + "'");
            }
            long listed = entries.stream().mapToLong(f -> f.get("rows").asLong()).sum();
            assertEquals(manifest.get("rows").asLong(), listed + (manifest.path("tail").has("replaced_by")
                    ? manifest.get("tail").get("rows").asLong() : 0), m + ": rows");
            if (duck == null || !m.toString().endsWith(".json") || !entries.stream().allMatch(f -> f.get("file").asText().endsWith(".parquet"))) {
                continue;
            }
            long rows = 0;
            if (!files.isEmpty()) {
                ResultSet rs = duck.executeQuery("SELECT count(*) FROM read_parquet([" + String.join(", ", files) + "])");
                rs.next();
                rows = rs.getLong(1);
            }
            assertEquals(listed, rows, "DuckDB counts the rows " + m + " lists");
        }
    }

    private static long[] folderCount(Statement duck, String read) throws Exception {
        ResultSet rs = duck.executeQuery("SELECT count(*), count(DISTINCT id) FROM " + read);
        rs.next();
        return new long[]{rs.getLong(1), rs.getLong(2)};
    }

    @Test
    void should_lose_no_file_when_exports_of_one_dataset_run_at_once() throws Exception {
        // two snapshots and two extracts of one dataset into one folder, all at once, twice
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            for (int round = 0; round < 2; round++) {
                List<Future<ExportReport>> runs = new ArrayList<>();
                runs.add(pool.submit(() -> export(ExportFormat.PARQUET, Map.of(), false)));
                runs.add(pool.submit(() -> export(ExportFormat.PARQUET, Map.of("kind", "a"), false)));
                runs.add(pool.submit(() -> export(ExportFormat.PARQUET, Map.of(), false)));
                runs.add(pool.submit(() -> export(ExportFormat.PARQUET, Map.of("kind", "b"), false)));
                List<ExportReport> reports = new ArrayList<>();
                for (Future<ExportReport> f : runs) reports.add(f.get(120, TimeUnit.SECONDS));

                assertManifestsHold(st);
                for (ExportReport r : reports) {
                    long expected = Sql.count(db, "SELECT count(*) FROM events" + (r.manifestData().get("kind").equals("extract")
                            ? " WHERE kind = '" + ((Map<?, ?>) r.manifestData().get("filters")).get("kind") + "'" : ""));
                    assertEquals(expected, r.rows(), "export " + r.exportId());
                    if (Files.exists(Path.of(r.manifest()))) {
                        long[] read = folderCount(st, "read_parquet([" + String.join(", ", r.files().stream()
                                .map(p -> "'" + Path.of(r.folder()).resolveSibling(p.file()) + "'").toList()) + "])");
                        assertEquals(expected, read[0], "DuckDB reads export " + r.exportId() + "'s rows");
                    }
                }
                assertEquals(4L * (round + 1), Sql.count(db, "SELECT count(*) FROM exports WHERE status = 'succeeded'"));
                // the extracts stay; of the snapshots, the one published last holds the dataset
                assertEquals(2L * (round + 1) + 1, manifests().size(), manifests().toString());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_read_each_row_once_over_the_folder_after_any_sequence_of_full_and_incremental_exports() throws Exception {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            for (ExportFormat format : ExportFormat.values()) {
                Path folder = out.resolve("events").resolve(format.extension());
                String read = read(format, folder);
                int next = 100_000 * (format.ordinal() + 1);
                // rows with no time come with snapshots (incremental exports follow the time column): those written since
                // the last snapshot are not in the folder yet
                long nullsSinceSnapshot = 0;
                String[] steps = {"full", "full", "more", "incremental", "more-ahead", "incremental", "full", "more", "incremental",
                        "incremental"};
                for (String step : steps) {
                    switch (step) {
                        case "full" -> {
                            export(format, Map.of(), false);
                            nullsSinceSnapshot = 0;
                        }
                        case "incremental" -> export(format, Map.of(), true);
                        case "more" -> Sql.exec(db, "INSERT INTO events SELECT g, 'c', now() FROM generate_series(" + next + ", "
                                + (next + 2499) + ") g");
                        case "more-ahead" -> {
                            // stamped a day ahead, or not at all
                            Sql.exec(db, "INSERT INTO events SELECT g, 'c', CASE WHEN g % 2 = 0 THEN now() + interval '1 day' END "
                                    + "FROM generate_series(" + next + ", " + (next + 2499) + ") g");
                            nullsSinceSnapshot += 1250;
                        }
                        default -> throw new IllegalStateException(step);
                    }
                    if (step.startsWith("more")) {
                        next += 2500;
                        continue;
                    }
                    long[] counted = folderCount(st, read);
                    assertEquals(counted[0], counted[1], format + " after " + step + ": no row twice");
                    assertEquals(Sql.count(db, "SELECT count(*) FROM events") - nullsSinceSnapshot, counted[0],
                            format + " after " + step + ": every row once");
                    assertManifestsHold(format == ExportFormat.PARQUET ? st : null);
                }
                assertEquals(3, manifests().stream().filter(m -> m.startsWith(folder)).count(),
                        "the last snapshot and the two incremental exports after it");
            }
        }
    }

    private static String read(ExportFormat format, Path folder) {
        return switch (format) {
            case CSV -> "read_csv('" + folder + "/*/*.csv', header = true, columns = {'id': 'INTEGER', 'kind': 'VARCHAR', "
                    + "'created_at': 'VARCHAR'})";
            case JSONL -> "read_json('" + folder + "/*/*.jsonl', format = 'newline_delimited', "
                    + "columns = {id: 'INTEGER', kind: 'VARCHAR', created_at: 'VARCHAR'})";
            case PARQUET -> "read_parquet('" + folder + "/*/*.parquet')";
        };
    }

    /** What a process killed around its commit leaves: a copy of {@code like}'s files and manifest as export {@code id}. */
    private void leftBehind(long id, ExportReport like, String status) throws Exception {
        String from = String.format("part-%06d-", like.exportId());
        String to = String.format("part-%06d-", id);
        Path dir = Path.of(like.folder());
        for (PartFiles.Part p : like.files()) {
            Path file = dir.resolveSibling(p.file());
            Files.copy(file, file.resolveSibling(file.getFileName().toString().replace(from, to)));
        }
        String manifest = Files.readString(Path.of(like.manifest())).replace(from, to)
                .replace("\"export_id\" : " + like.exportId(), "\"export_id\" : " + id);
        Files.writeString(dir.resolve(ExportFolder.manifestName(id)), manifest);
        Sql.exec(db, "INSERT INTO exports (id, export_type, dataset, status, started_at) VALUES (" + id + ", 'parquet', 'events', '"
                + status + "', now())");
    }

    @Test
    void should_replace_a_snapshot_of_an_earlier_day_and_finish_or_undo_what_a_killed_export_left() throws Exception {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            String read = read(ExportFormat.PARQUET, out.resolve("events/parquet"));
            long all = Sql.count(db, "SELECT count(*) FROM events");
            ExportReport first = export(ExportFormat.PARQUET, Map.of(), false);
            Path yesterday = Path.of(first.folder()).resolveSibling("dt=2026-01-01");
            Files.move(Path.of(first.folder()), yesterday); // as if it ran yesterday
            Sql.exec(db, "INSERT INTO events SELECT g, 'c', now() FROM generate_series(200000, 200999) g");
            export(ExportFormat.PARQUET, Map.of(), true);
            long[] counted = folderCount(st, read);
            assertEquals(all + 1000, counted[0], "yesterday's snapshot and today's incremental export");
            assertEquals(counted[0], counted[1]);

            ExportReport full = export(ExportFormat.PARQUET, Map.of(), false);
            assertFalse(Files.exists(yesterday), "yesterday's snapshot is replaced by today's");
            assertEquals(all + 1000, folderCount(st, read)[0]);

            // killed after publishing its files, before its row was recorded: the next export removes them
            leftBehind(999_998, full, "running");
            assertEquals(2 * (all + 1000), folderCount(st, read)[0]);
            export(ExportFormat.PARQUET, Map.of(), true);
            assertFalse(Files.exists(Path.of(full.folder()).resolve(ExportFolder.manifestName(999_998))));
            assertEquals(all + 1000, folderCount(st, read)[0], "undone");

            // killed after its row was recorded, before the files it replaces were removed: the next export removes them
            ExportReport again = export(ExportFormat.PARQUET, Map.of(), false);
            leftBehind(999_999, again, "succeeded");
            assertEquals(2 * (all + 1000), folderCount(st, read)[0]);
            export(ExportFormat.PARQUET, Map.of(), true);
            counted = folderCount(st, read);
            assertEquals(all + 1000, counted[0], "finished");
            assertEquals(counted[0], counted[1]);
            assertFalse(Files.exists(Path.of(again.manifest())), "the older snapshot's manifest went with its files");
            assertManifestsHold(st);
        }
    }
}

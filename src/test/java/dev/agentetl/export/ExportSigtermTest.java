package dev.agentetl.export;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.Cancellation;
import dev.agentetl.support.CliProcess;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM while {@code agent-etl export} streams rows: the export stops, its part files are removed, its exports
 * row and its job run are recorded as cancelled, and the process exits 143. Records and exit status agree.
 */
class ExportSigtermTest {

    @TempDir
    Path dir;

    @Test
    void should_stop_an_export_on_sigterm_remove_its_files_and_record_it_cancelled() throws Exception {
        AppConfig config = TestDatabases.migratedConfig();
        try (Connection c = TestDatabases.connect(config)) {
            // a view whose first 20,000 rows come at once and the rest a millisecond each: the export has begun
            // writing its part file, and is still streaming (or waiting for the server) when the signal comes
            Sql.exec(c, "CREATE FUNCTION slow(i int) RETURNS int LANGUAGE sql AS 'SELECT $1 FROM pg_sleep(0.001)'");
            Sql.exec(c, "CREATE VIEW slow_rows AS SELECT CASE WHEN g > 20000 THEN slow(g) ELSE g END AS id, 'row ' || g AS label "
                    + "FROM generate_series(1, 1000000) g");
        }
        for (String format : List.of("jsonl", "csv")) {
            Path out = dir.resolve("out-" + format);
            try (CliProcess export = CliProcess.start(config, dir.resolve("logs-" + format),
                    "export", "slow_rows", "--format", format, "--out", out.toString())) {
                long exportId = awaitRunning(config, format, export);
                awaitPartFile(out, export);

                int exit = export.terminate(60);

                assertEquals(143, exit, format + ": 128 + SIGTERM; stderr:\n" + export.err());
                String[] lines = export.err().strip().split("\n");
                assertEquals("agent-etl: export cancelled by SIGTERM: stopped part-way, what it had begun is undone, and its run is "
                        + "recorded as cancelled", lines[lines.length - 1]);
                assertEquals("", export.out(), "no report: the export did not happen");
                try (Connection c = TestDatabases.connect(config)) {
                    assertEquals("cancelled", Sql.value(c, "SELECT status FROM exports WHERE id = " + exportId), format);
                    assertEquals("cancelled", Sql.value(c, "SELECT status FROM job_runs WHERE job = 'export' ORDER BY id DESC LIMIT 1"));
                    assertTrue(String.valueOf(Sql.value(c, "SELECT error FROM job_runs WHERE job = 'export' ORDER BY id DESC LIMIT 1"))
                            .startsWith("cancelled by SIGTERM"));
                    assertEquals(0, Sql.count(c, "SELECT count(*) FROM job_runs WHERE status = 'running' OR finished_at IS NULL"));
                    assertEquals(1, Sql.count(c, "SELECT count(*) FROM system_events WHERE event_type = 'shutdown' "
                            + "AND details->>'command' = 'export' AND id > (SELECT max(id) FROM system_events WHERE event_type = 'startup')"),
                            "the process stopped cleanly and said so");
                    assertEquals(0, Sql.count(c, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%slow_rows%' "
                            + "AND pid <> pg_backend_pid()"), "the server is not left running the query");
                }
                try (Stream<Path> files = Files.walk(out)) {
                    assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "no part, manifest or temporary file is left");
                }
            }
        }
    }

    @Test
    void should_record_a_stop_as_what_happened_to_each_job() throws Exception {
        try (TestRuntime rt = TestRuntime.start()) {
            Cancellation.request("SIGTERM");
            try {
                // a job that cannot stop part-way runs to its end, and succeeded
                rt.runtime.run("status", null);
                assertEquals("succeeded", Sql.value(rt.db, "SELECT status FROM job_runs WHERE job = 'status'"));
                // an export asked to stop before it began does not begin
                RuntimeException e = assertThrows(RuntimeException.class, () -> rt.runtime.run("export", new ExportRequest("job_runs", null,
                        ExportFormat.CSV, null, null, Map.of(), false, dir, "snappy", "test")));
                assertTrue(Cancellation.isCancellation(e), e.toString());
                assertEquals("cancelled", Sql.value(rt.db, "SELECT status FROM job_runs WHERE job = 'export'"));
                assertEquals(0, Sql.count(rt.db, "SELECT count(*) FROM exports"));
            } finally {
                Cancellation.reset();
            }
        }
    }

    /** Waits until the export is writing its first part file. */
    private static void awaitPartFile(Path out, CliProcess export) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(out)) {
                try (Stream<Path> files = Files.walk(out)) {
                    if (files.anyMatch(p -> p.getFileName().toString().startsWith(".part-"))) return;
                }
            }
            if (!export.isAlive()) throw new AssertionError("export ended early: " + export.err());
            Thread.sleep(50);
        }
        throw new AssertionError("no part file was begun: " + export.err());
    }

    /** The id of the export's running row, once the process has started it. */
    private static long awaitRunning(AppConfig config, String format, CliProcess export) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        try (Connection c = TestDatabases.connect(config)) {
            while (System.nanoTime() < deadline) {
                Object id = Sql.value(c, "SELECT id FROM exports WHERE dataset = 'slow_rows' AND export_type = '" + format
                        + "' AND status = 'running'");
                if (id != null) return ((Number) id).longValue();
                if (!export.isAlive()) throw new AssertionError("export ended early: " + export.err());
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the export did not start: " + export.err());
    }
}

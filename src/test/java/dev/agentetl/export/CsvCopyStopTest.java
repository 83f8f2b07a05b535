package dev.agentetl.export;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.Cancellation;
import dev.agentetl.runtime.JobCancelledException;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
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
 * A CSV export stopped part-way inside its COPY (the job asked to stop, seen at a row) ends the COPY on the
 * server and reads it to its end: the connection's next statement gets its own answer, not the COPY's rest.
 */
class CsvCopyStopTest {

    @TempDir
    Path dir;

    @Test
    void should_leave_the_connection_in_step_when_a_copy_is_stopped_part_way() throws Exception {
        AppConfig config = TestDatabases.migratedConfig();
        String select = "SELECT g AS id, repeat('x', 40) AS label FROM generate_series(1, 5000000) g";
        ExportQuery query = new ExportQuery(select, select, List.of(), Map.of(), false);
        List<Column> columns = List.of(new Column("id", "int4", null, null), new Column("label", "text", null, null));
        try (Connection c = TestDatabases.connect(config)) {
            for (int run = 0; run < 3; run++) {
                PartFiles parts = new PartFiles(dir.resolve("run" + run), "part", "csv");
                Cancellation.request("SIGTERM");
                try {
                    assertThrows(JobCancelledException.class,
                            () -> CsvCopy.export(c, query, columns, parts, 1_000_000, true, new RowProgress(dev.agentetl.progress.Progress.NONE)));
                } finally {
                    Cancellation.reset();
                }
                parts.abandon();
                assertEquals(42L, Sql.number(c, "SELECT 42").longValue(), "run " + run + ": the next statement's own answer");
                try (Stream<Path> files = Files.list(dir.resolve("run" + run))) {
                    assertTrue(files.findAny().isEmpty(), "what the stopped COPY had begun is removed");
                }
            }
        }
    }
}

package dev.agentetl.export;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** COPY's CSV bytes laid out as part files: records counted across quoted line breaks, values reshaped, any chunking. */
class CsvPartSinkTest {

    @TempDir
    Path dir;

    private static final List<Column> COLUMNS = List.of(new Column("ok", "bool", null, null), new Column("note", "text", null, null),
            new Column("at", "timestamptz", null, null), new Column("local", "timestamp", null, null));

    // what COPY (FORMAT csv, HEADER) writes with TimeZone UTC and DateStyle ISO
    private static final String COPY = "ok,note,at,local\n"
            + "t,\"two\nlines, \"\"quoted\"\"\",2026-11-08 15:35:06.5+00,2026-11-08 15:35:06\n"
            + "f,,2026-11-08 15:35:06+00,2026-11-08 15:35:06.123456\n"
            + ",\"\",infinity,0044-03-15 12:00:00 BC\n"
            + "t,plain,0044-03-15 12:00:00+00 BC,-infinity\n";

    private static final String EXPECTED_FIRST = "ok,note,at,local\r\n"
            + "true,\"two\nlines, \"\"quoted\"\"\",2026-11-08T15:35:06.500000Z,2026-11-08T15:35:06.000000\r\n"
            + "false,,2026-11-08T15:35:06.000000Z,2026-11-08T15:35:06.123456\r\n"
            + ",\"\",infinity,0044-03-15 12:00:00 BC\r\n";
    private static final String EXPECTED_SECOND = "ok,note,at,local\r\n"
            + "true,plain,0044-03-15 12:00:00+00 BC,-infinity\r\n";

    @Test
    void should_give_the_same_files_whatever_the_chunks_the_copy_arrives_in() throws Exception {
        byte[] bytes = COPY.getBytes(StandardCharsets.UTF_8);
        Random random = new Random(7);
        for (int run = 0; run < 40; run++) {
            Path folder = dir.resolve("run" + run);
            PartFiles parts = new PartFiles(folder, "part", "csv");
            CsvPartSink sink = new CsvPartSink(parts, 3, new RowProgress(dev.agentetl.progress.Progress.NONE), COLUMNS);
            int i = 0;
            while (i < bytes.length) { // run 0 byte by byte, then random chunk sizes
                int n = run == 0 ? 1 : Math.min(bytes.length - i, 1 + random.nextInt(20));
                sink.write(bytes, i, n);
                i += n;
            }
            assertEquals(4, sink.finish(true));
            assertEquals(List.of(3L, 1L), parts.parts().stream().map(PartFiles.Part::rows).toList(), "a new file every 3 records");
            assertTrue(Files.notExists(folder.resolve("part-00000.csv")), "hidden until the export is complete");
            parts.publish();
            assertEquals(EXPECTED_FIRST, Files.readString(folder.resolve("part-00000.csv")), "run " + run);
            assertEquals(EXPECTED_SECOND, Files.readString(folder.resolve("part-00001.csv")), "run " + run);
        }
    }

    @Test
    void should_refuse_a_copy_that_stops_inside_a_record() throws IOException {
        CsvPartSink sink = new CsvPartSink(new PartFiles(dir, "part", "csv"), 10, new RowProgress(dev.agentetl.progress.Progress.NONE), COLUMNS);
        byte[] cut = "ok,note,at,local\nt,\"open quote\n".getBytes(StandardCharsets.UTF_8);
        sink.write(cut, 0, cut.length);
        assertThrows(IOException.class, () -> sink.finish(true));
    }
}

package dev.agentetl.prompts;

import dev.agentetl.importing.FileResult;
import dev.agentetl.importing.ImportReport;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prompt files that cannot be imported as they are: each rejected with file (and line), the others imported. */
class PromptFileFaultsTest {

    @TempDir
    Path dir;
    TestRuntime rt;

    @BeforeEach
    void start() throws Exception {
        rt = TestRuntime.start(Map.of("agent-etl.import.max-prompt-bytes", "4096"));
    }

    @AfterEach
    void stop() throws Exception {
        rt.close();
    }

    private static byte[] prompt(String name, String template) {
        return ("---\nname: " + name + "\ntype: system\nmodel: gpt-4o\nlabels: [production]\n---\n" + template + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private Path write(String relative, byte[]... parts) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] p : parts) bytes.write(p);
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private ImportReport importPrompts(Path... paths) {
        return (ImportReport) rt.runtime.run("import-prompts", new ImportPromptsRequest(List.of(paths), false, "alice"));
    }

    private FileResult result(ImportReport report, Path file) {
        return report.files().stream().filter(f -> f.file().equals(file.toString())).findFirst().orElseThrow();
    }

    private long prompts(String name) throws Exception {
        return Sql.count(rt.db, "SELECT count(*) FROM prompts WHERE name = '" + name + "'");
    }

    @Test
    void should_name_the_line_of_invalid_utf8_and_of_a_nul_byte() throws Exception {
        Path latin1 = write("latin1.prompt", prompt("latin1", "First line\nsecond line\ncaf"), new byte[]{(byte) 0xE9}, "\n".getBytes());
        Path nul = write("nul.prompt", prompt("nul", "one\ntwo\nthree"), new byte[]{0}, "\n".getBytes());
        Path good = write("good.prompt", prompt("good", "Fine."));

        ImportReport report = importPrompts(latin1, nul, good);

        assertEquals(List.of(latin1 + ":10: not valid UTF-8 (byte 0xe9)"), result(report, latin1).problems());
        assertEquals(List.of(nul + ":10: the file contains a NUL byte (0x00), which PostgreSQL text cannot hold"),
                result(report, nul).problems());
        assertEquals(0, prompts("latin1") + prompts("nul"));
        assertEquals(1, prompts("good"));
    }

    @Test
    void should_reject_every_file_of_a_prompt_defined_twice_in_one_import() throws Exception {
        Path a = write("team-a/greeting.prompt", prompt("greeting", "Hello from team A."));
        Path b = write("team-b/greeting.prompt", prompt("greeting", "Hello from team B."));
        Path other = write("team-b/farewell.prompt", prompt("farewell", "Goodbye."));

        ImportReport report = importPrompts(dir);

        assertEquals(List.of(a + ": prompt 'greeting' is also defined in " + b + "; an import takes one file per prompt"),
                result(report, a).problems());
        assertEquals(List.of(b + ": prompt 'greeting' is also defined in " + a + "; an import takes one file per prompt"),
                result(report, b).problems());
        assertEquals(0, prompts("greeting"), "no version depends on the order the files were read in");
        assertEquals(1, prompts("farewell"));
        assertTrue(result(report, other).problems().isEmpty());
    }

    @Test
    void should_refuse_a_file_over_the_size_limit_with_its_name_and_size() throws Exception {
        Path big = write("big.prompt", prompt("big", "x".repeat(10_000)));
        Path good = write("good.prompt", prompt("good", "Fine."));
        long size = Files.size(big);

        ImportReport report = importPrompts(big, good);

        assertEquals(List.of(big + ": " + size + " bytes, more than agent-etl.import.max-prompt-bytes (4096)"),
                result(report, big).problems());
        assertEquals(0, prompts("big"));
        assertEquals(1, prompts("good"));
    }
}

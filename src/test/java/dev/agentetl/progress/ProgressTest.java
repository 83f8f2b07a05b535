package dev.agentetl.progress;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.CliProcess;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Progress as a person sees it: a bar with percent, rows, rows/s and ETA when stderr is a terminal (a pseudo-terminal
 * made by script(1)), and plain log lines, no bar, when stderr is a pipe or a file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProgressTest {

    private AppConfig config;

    @BeforeAll
    void data() {
        config = TestDatabases.migratedConfig();
        CliRun generate = CliRun.of(config, "generate", "--rows", "30000", "--seed", "5");
        assertEquals(0, generate.exit(), generate.err());
    }

    @Test
    void a_terminal_gets_a_bar_with_percent_rows_rate_and_eta(@TempDir Path dir) throws Exception {
        Path script = Path.of("/usr/bin/script");
        Assumptions.assumeTrue(Files.isExecutable(script), "script(1) is needed to give the command a pseudo-terminal");
        List<String> cmd = CliProcess.commandLine(settings(), "export", "tool_calls", "--format", "jsonl", "--json");
        String line = cmd.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        Path out = dir.resolve("typescript.txt");
        // script runs the command on a new pseudo-terminal and copies what it shows to stdout
        // a terminal as wide as a usual window (script's own has no size when the test runs without one)
        Process p = new ProcessBuilder(script.toString(), "-qec", "stty cols 140 rows 40; " + line, "/dev/null").redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        String shown = Files.readString(out, StandardCharsets.UTF_8).replaceAll("\u001b\\[[0-9;]*m", "");
        assertEquals(0, p.exitValue(), shown);
        // e.g. "export tool_calls jsonl 100% │████│ 30215/30215 rows (0:00:03 / 0:00:00) 9012.3 rows/s"
        assertTrue(shown.matches("(?s).*export tool_calls jsonl\\s+\\d{1,3}% .*\\d+/\\d+ rows \\(\\d+:\\d\\d:\\d\\d / (\\d+:\\d\\d:\\d\\d|\\?)\\).*rows/s.*"),
                "a bar with percent, done/total rows, elapsed / ETA and rows/s: " + shown);
        assertTrue(shown.contains("\r"), "the bar is redrawn in place");
        assertTrue(shown.contains("100%"), "the finished bar shows 100 %: " + shown);
    }

    @Test
    void a_pipe_gets_log_lines_and_no_bar(@TempDir Path dir) throws Exception {
        Map<String, String> settings = settings();
        settings.put("agent-etl.progress.log-seconds", "1");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(CliProcess.commandLine(settings, "generate", "--rows", "80000", "--seed", "9"))
                .redirectError(err.toFile()).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        String log = Files.readString(err);
        assertEquals(0, p.exitValue(), log);
        assertFalse(log.contains("\r"), "nothing is redrawn: " + log);
        assertFalse(log.contains("│") || log.contains("█"), "no bar: " + log);
        assertFalse(log.contains("\u001b["), "no terminal colours: " + log);
        // generating 80,000 rows takes some seconds; each line says done, of total, percent, rate and ETA
        assertTrue(log.matches("(?s).*INFO .*generate: [\\d,]+ of 80,000 rows \\(\\d+%\\), [\\d,]+ rows/s.*"), log);
    }

    private Map<String, String> settings() {
        return new LinkedHashMap<>(CliProcess.settingsOf(config));
    }
}

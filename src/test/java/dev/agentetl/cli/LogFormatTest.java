package dev.agentetl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.CliProcess;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log lines a command writes on stderr, as an operator's log collector reads them: a dated line with level, job
 * and run id (the job_runs row), or one JSON object per line; levels set by configuration.
 */
class LogFormatTest {

    /** 2026-12-01T05:34:28.977Z INFO  job=status run=1 runs - status started (cli) */
    private static final Pattern TEXT = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(?:Z|[+-]\\d{2}:\\d{2})) (TRACE|DEBUG|INFO|WARN|ERROR) +job=(\\S+) run=(\\S+) (\\S+) - (.*)");

    private static AppConfig config;

    @BeforeAll
    static void database() {
        config = TestDatabases.migratedConfig();
    }

    private static long lastRunOf(String job) throws Exception {
        try (Connection c = TestDatabases.connect(config); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT max(id) FROM job_runs WHERE job = '" + job + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void text_lines_carry_an_iso_date_time_the_level_the_job_and_its_run_id(@TempDir Path tmp) throws Exception {
        // levels are settings: Camel's info lines, under the default warn, are asked for
        try (CliProcess p = CliProcess.start(config, Map.of("agent-etl.log.level.org.apache.camel", "info"), tmp, "status")) {
            assertEquals(0, p.waitFor(120), p.output());
            List<String> lines = p.err().lines().toList();
            assertFalse(lines.isEmpty(), "a job run logs its start and end");
            for (String line : lines) {
                Matcher m = TEXT.matcher(line);
                assertTrue(m.matches(), "not a dated log line: " + line);
                OffsetDateTime.parse(m.group(1)); // a real ISO-8601 date-time with its offset
            }
            String run = Long.toString(lastRunOf("status"));
            String started = lines.stream().filter(l -> l.endsWith("status started (cli)")).findFirst().orElseThrow();
            Matcher m = TEXT.matcher(started);
            assertTrue(m.matches());
            assertEquals("INFO", m.group(2));
            assertEquals("status", m.group(3));
            assertEquals(run, m.group(4), "the run id is the job_runs row of this run");
            assertTrue(lines.stream().anyMatch(l -> l.contains("job=status run=" + run + " ") && l.contains("status succeeded in ")),
                    String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.contains(" job=- run=- ") && l.contains("Apache Camel")),
                    "Camel's start, outside any job, at the level configured: " + String.join("\n", lines));
        }
    }

    @Test
    void json_format_is_one_object_per_line_with_the_job_and_run_id(@TempDir Path tmp) throws Exception {
        try (CliProcess p = CliProcess.start(config, Map.of("agent-etl.log.format", "json"), tmp, "status")) {
            assertEquals(0, p.waitFor(120), p.output());
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> events = p.err().lines().map(l -> {
                try {
                    return json.readTree(l);
                } catch (Exception e) {
                    throw new AssertionError("not a JSON line: " + l, e);
                }
            }).toList();
            assertFalse(events.isEmpty());
            for (JsonNode e : events) {
                assertTrue(e.isObject(), e.toString());
                OffsetDateTime.parse(e.path("@timestamp").asText());
                assertTrue(List.of("INFO", "WARN", "ERROR", "DEBUG", "TRACE").contains(e.path("level").asText()), e.toString());
                assertFalse(e.path("message").asText().isEmpty(), e.toString());
            }
            String err = p.err();
            JsonNode started = events.stream().filter(e -> e.path("message").asText().equals("status started (cli)"))
                    .findFirst().orElseThrow(() -> new AssertionError(err));
            assertEquals("status", started.path("job").asText());
            assertEquals(Long.toString(lastRunOf("status")), started.path("run").asText());
            assertEquals("dev.agentetl.runs", started.path("logger_name").asText());
        }
    }

    @Test
    void an_unknown_format_or_level_stops_the_command_with_the_key(@TempDir Path tmp) throws Exception {
        try (CliProcess p = CliProcess.start(config, Map.of("agent-etl.log.level.dev.agentetl", "loud"), tmp.resolve("level"), "status")) {
            assertEquals(1, p.waitFor(120), p.output());
            assertTrue(p.err().strip().endsWith("agent-etl.log.level.dev.agentetl must be one of trace, debug, info, warn, "
                    + "error, off; got 'loud'"), p.err());
        }
        try (CliProcess p = CliProcess.start(config, Map.of("agent-etl.log.format", "xml"), tmp.resolve("bad"), "status")) {
            assertEquals(1, p.waitFor(120), p.output());
            assertTrue(p.err().strip().endsWith("agent-etl.log.format must be text or json, got 'xml'"), p.err());
        }
    }
}

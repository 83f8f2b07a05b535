package dev.agentetl.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.generate.GenerateOptions;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every named report runs on real data in every format, and the figures match the tables. */
class ReportsTest {

    private static final OffsetDateTime SINCE = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void should_run_every_report_in_every_format() throws Exception {
        try (TestRuntime t = TestRuntime.start()) {
            t.runtime.run("generate", new GenerateOptions(5_000, 5, LocalDate.of(2026, 3, 31), 30, true));
            String thread = (String) Sql.value(t.db, "SELECT session_id FROM agent_telemetry LIMIT 1");
            for (String name : ReportRunner.names()) {
                for (String format : new String[]{"table", "csv", "json"}) {
                    String out = t.runtime.run("report", new ReportRunner.Request(name, SINCE, thread, format)).render();
                    assertTrue(!out.isBlank(), name + " " + format);
                }
            }
            for (String name : new String[]{"test_performance_trends", "judge_quality", "top_tools", "success_by_intent",
                    "recent_executions", "ab_comparison"}) {
                long rows = t.runtime.run("report", new ReportRunner.Request(name, SINCE, null, "json")).rowsRead();
                assertTrue(rows > 0, name + " has rows on generated data");
            }
            assertTrue(Sql.count(t.db, "SELECT count(DISTINCT judge_model) FROM judge_evaluations") >= 3, "several judges");
            assertTrue(Sql.count(t.db, "SELECT count(*) FROM (SELECT test_run_id FROM judge_evaluations GROUP BY 1 "
                    + "HAVING bool_or(passed) AND NOT bool_and(passed)) s") > 0, "judges sometimes disagree");
            assertTrue(Sql.count(t.db, "SELECT count(*) FROM entity_tags") > 0, "tags are used");
            String json = t.runtime.run("report", new ReportRunner.Request("how_turns_end", SINCE, null, "json")).render();
            long turns = 0;
            for (JsonNode row : new ObjectMapper().readTree(json)) turns += row.get("turns").asLong();
            assertEquals(Sql.count(t.db, "SELECT count(*) FROM agent_telemetry WHERE record_type = 'turn_summary'"), turns);
            String replay = t.runtime.run("report", new ReportRunner.Request("session_replay", SINCE, thread, "table")).render();
            assertTrue(replay.endsWith("(" + Sql.count(t.db, "SELECT count(*) FROM agent_telemetry WHERE session_id = '" + thread + "'")
                    + " rows)\n"), replay);
            assertThrows(RuntimeException.class, () -> t.runtime.run("report", new ReportRunner.Request("session_replay", SINCE, null, "table")));
            assertThrows(RuntimeException.class, () -> t.runtime.run("report", new ReportRunner.Request("no_such_report", SINCE, null, "table")));
        }
    }
}

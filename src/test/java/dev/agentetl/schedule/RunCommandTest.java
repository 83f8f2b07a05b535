package dev.agentetl.schedule;

import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import dev.agentetl.runtime.AppConfig;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mistakes in the schedule are refused at start with the key and the reason, before anything runs. */
class RunCommandTest {

    @Test
    void aCronExpressionThatIsNotQuartzIsRefusedWithItsKey() throws Exception {
        AppConfig config = TestDatabases.migratedConfig().with(Map.of("agent-etl.schedule.insights.cron", "*/5 * * * *"));
        CliRun run = CliRun.of(config, "run");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("agent-etl.schedule.insights.cron: not a Quartz cron expression: '*/5 * * * *'"), run.err());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM qrtz_triggers"), "nothing was scheduled");
        }
    }

    @Test
    void aMalformedExportListIsRefusedWithTheEntry() {
        AppConfig config = TestDatabases.migratedConfig().with(Map.of(
                "agent-etl.schedule.export-snapshots.enabled", "true",
                "agent-etl.schedule.export-snapshots.datasets", "tool_calls:parquet sessions"));
        CliRun run = CliRun.of(config, "run");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("'sessions' is not dataset:format or dataset:format:full"), run.err());
    }

    @Test
    void runWithEveryJobDisabledSaysSo() {
        AppConfig config = TestDatabases.migratedConfig().with(Map.of(
                "agent-etl.schedule.refresh-stats.enabled", "false", "agent-etl.schedule.insights.enabled", "false"));
        CliRun run = CliRun.of(config, "run");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("no job is scheduled"), run.err());
    }
}

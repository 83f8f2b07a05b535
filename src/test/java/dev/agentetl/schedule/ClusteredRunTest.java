package dev.agentetl.schedule;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two {@code run} processes on one database, a schedule every two seconds: each firing runs exactly
 * once in the cluster, and when one process is stopped the other keeps firing.
 */
class ClusteredRunTest {

    record Firing(OffsetDateTime scheduledFor, String node, String status) {
    }

    @Test
    void twoRunProcessesRunEachFiringOnceAndTheSurvivorCarriesOn() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        // the schema first, so the two processes do not both start on an empty database
        try (var rt = dev.agentetl.app.AgentEtlRuntime.startMigrated(config, "test")) {
            // migrated
        }
        Map<String, String> settings = new HashMap<>();
        for (String key : List.of("agent-etl.db.url", "agent-etl.db.user", "agent-etl.db.password", "agent-etl.home")) {
            settings.put(key, config.get(key));
        }
        settings.put("agent-etl.schedule.refresh-stats.cron", "*/2 * * * * ?");
        settings.put("agent-etl.schedule.insights.enabled", "false");
        settings.put("agent-etl.schedule.checkin-ms", "2000");
        Path logs = Path.of("target", "run-logs");
        try (RunProcess a = RunProcess.start(settings, logs.resolve("node-a.log"));
             RunProcess b = RunProcess.start(settings, logs.resolve("node-b.log"))) {
            Thread.sleep(Duration.ofSeconds(18).toMillis());
            assertEquals(143, a.terminate(), "SIGTERM stops run with the signal's status; log:\n" + a.output());
            OffsetDateTime aStopped = OffsetDateTime.now();
            Thread.sleep(Duration.ofSeconds(12).toMillis());
            assertTrue(b.process.isAlive(), "the other process is still running; log:\n" + b.output());
            b.terminate();

            List<Firing> firings = firings(config);
            Map<OffsetDateTime, Integer> perFiring = new HashMap<>();
            firings.forEach(f -> perFiring.merge(f.scheduledFor(), 1, Integer::sum));
            perFiring.forEach((at, n) -> assertEquals(1, n, "firing " + at + " ran " + n + " times"));
            assertTrue(firings.size() >= 10, "about 15 firings in 30 s, got " + firings.size());
            for (int i = 1; i < firings.size(); i++) {
                long gap = Duration.between(firings.get(i - 1).scheduledFor(), firings.get(i).scheduledFor()).toSeconds();
                assertTrue(gap <= 4, "no firing is lost, also not at the takeover: gap of " + gap + " s before "
                        + firings.get(i).scheduledFor());
            }
            List<Firing> afterStop = firings.stream().filter(f -> f.scheduledFor().isAfter(aStopped.plusSeconds(1))).toList();
            assertTrue(afterStop.size() >= 4, "the survivor kept firing after the other stopped: " + afterStop);
            String survivor = b.node();
            assertTrue(afterStop.stream().allMatch(f -> f.node().equals(survivor)), "only the survivor fired: " + afterStop);
            assertTrue(firings.stream().allMatch(f -> f.status().equals("succeeded")), "every run finished: " + firings);
            assertTrue(a.output().contains("refresh-stats: '*/2 * * * * ?'"), a.output());
        }
    }

    private static List<Firing> firings(AppConfig config) throws Exception {
        List<Firing> out = new ArrayList<>();
        try (Connection c = TestDatabases.connect(config);
             PreparedStatement ps = c.prepareStatement("""
                     SELECT scheduled_for, node, status FROM job_runs
                     WHERE job = 'refresh-stats' AND trigger = 'schedule' ORDER BY scheduled_for, id""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Firing(rs.getObject(1, OffsetDateTime.class), rs.getString(2), rs.getString(3)));
            }
        }
        return out;
    }
}

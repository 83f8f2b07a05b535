package dev.agentetl.consolidate;

import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static dev.agentetl.consolidate.ConsolidateTest.sqlite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's checks made while staging never vouch for a value PostgreSQL's own validation refuses (that
 * would let a bad row reach the transform), vouch for the values legacy files are full of (else they would
 * save nothing), and leave every doubtful value to PostgreSQL, which alone decides.
 */
class ValueCheckTest {

    private static final List<String> JSON = List.of(
            "{\"a\": 1}", "[1, 2.5, -3e10, true, false, null]", "\"text\"", "1", "true", "null", " {\"a\": [{}]}\n",
            "{\"relevance\": 1.498142297104256, \"n\": 3}", "{\"path\": \"/nope/0\", \"tab\": \"a\\tb\", \"q\": \"\\\"\"}",
            "{\"emoji\": \"\\ud83d\\ude00\"}", "{\"lone\": \"\\ud83d\"}", "{\"nul\": \"\\u0000\"}", "{\"u\": \"\\u00e9\"}", "{\"cut\": \"\\u00\"}",
            "{\"big\": 1e400}", "{\"huge\": 1e999999}", "{\"long\": 123456789012345678901234567890123456789012345678901234567890}",
            "NaN", "{'a': 1}", "{\"a\": 01}", "[1,]", "{} {}", "{}x", "", " ", "{\"a\": \"raw\ttab\"}", "{\"a\": \"\\x\"}",
            "[".repeat(300) + "]".repeat(300), "[", "{\"a\": 1", "{a: 1}", "// c\n{}", "{\"a\": Infinity}", "-", "1.", ".5", "+1");

    private static final List<String> TIMES = List.of(
            "2026-11-22T10:29:11.790854", "2026-11-22", "2026-11-22 10:29", "2026-11-22 10:29:11", "2026-11-22T10:29:11Z",
            "2026-11-22T10:29:11+05:30", "2026-11-22T10:29:11-0300", "2026-11-22T10:29:11-03", "2024-02-29T00:00:00",
            "2026-02-29T00:00:00", "0000-01-01", "0001-01-01", "9999-12-31T23:59:59.999999", "2026-13-01", "2026-11-31",
            "2026-11-22T24:00:00", "2026-11-22T23:59:60", "2026-11-22T23:60:00", "2026-11-22T10:29:11+15:00", "2026-11-22T10:29:11+14:59",
            "2026-11-22Z", "2026-11-22+05", "now", "epoch", "2026-11-22T10:29:11.1234567", " 2026-11-22", "2026-1-2",
            "२०२६-११-२२", "2026-11-22T10", "2026-11-22T10:29:", "2026-11-22T10:29:11.", "2026-11-22T10:29:11+5",
            "2026-11-22X10:29:11", "2026/11/22", "2026-11-22T10:29:11 +05:00");

    @Test
    void theClientNeverVouchesForAValuePostgresqlRefuses() throws Exception {
        try (TestRuntime t = TestRuntime.start()) {
            List<String> vouchedJson = vouched(t, JSON, ValueCheck::certainJson, "legacy_is_json");
            List<String> vouchedTimes = vouched(t, TIMES, ValueCheck::certainTime, "legacy_is_time");
            // the shapes legacy files hold are vouched for, so the server need not parse them twice
            assertTrue(vouchedJson.containsAll(JSON.subList(0, 9)), vouchedJson.toString());
            assertTrue(vouchedTimes.containsAll(TIMES.subList(0, 9)), vouchedTimes.toString());
            // doubtful ones are left to the server
            assertTrue(!ValueCheck.certainJson("{\"emoji\": \"\\ud83d\\ude00\"}") && !ValueCheck.certainTime("2026-11-22T23:59:60"));
            assertTrue(ValueCheck.certainJulianDay(2461055.875) && !ValueCheck.certainJulianDay(1e12));
            assertTrue(ValueCheck.certainEpoch(1795343366.04014) && !ValueCheck.certainEpoch(-1e15));
        }
    }

    @Test
    void aValueTheClientDoubtsIsKeptWhenPostgresqlTakesItAndRejectedWhenNot(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("graph"));
        String ddl = LegacyCatalog.ddl().stream().filter(d -> d.startsWith("CREATE TABLE rl_outcomes (")).findFirst().orElseThrow();
        sqlite(dir.resolve("graph/graph.db"), ddl,
                "INSERT INTO rl_outcomes VALUES (1, 'tool_selector', 'openai', 'gpt-4o', 'edit', 'coding', 1, 0.5, '{\"n\": 1}', '2026-01-15T10:00:00', NULL)",
                // a surrogate pair escape and a leap second: the client is not sure, PostgreSQL takes both
                "INSERT INTO rl_outcomes VALUES (2, 'tool_selector', 'openai', 'gpt-4o', 'edit', 'coding', 1, 0.5, '{\"e\": \"\\ud83d\\ude00\"}', '2026-01-15T10:00:00', NULL)",
                "INSERT INTO rl_outcomes VALUES (3, 'tool_selector', 'openai', 'gpt-4o', 'edit', 'coding', 1, 0.5, NULL, '2016-12-31T23:59:60', NULL)",
                // NUL in jsonb and a day that does not exist: PostgreSQL refuses them, so they are rejected
                "INSERT INTO rl_outcomes VALUES (4, 'tool_selector', 'openai', 'gpt-4o', 'edit', 'coding', 1, 0.5, '{\"e\": \"\\u0000\"}', '2026-01-15T10:00:00', NULL)",
                "INSERT INTO rl_outcomes VALUES (5, 'tool_selector', 'openai', 'gpt-4o', 'edit', 'coding', 1, 0.5, NULL, '2026-02-30T10:00:00', NULL)");
        try (TestRuntime t = TestRuntime.start()) {
            ConsolidationReport r = (ConsolidationReport) ConsolidateTest.run(t, dir, "UTC");
            assertTrue(r.tables().stream().allMatch(Reconciliation.Result::reconciled), r.render());
            assertEquals(List.of("1", "2", "3"), keys(t, "SELECT source_key FROM rl_outcome ORDER BY source_key"));
            assertEquals("\uD83D\uDE00", Sql.value(t.db, "SELECT metadata->>'e' FROM rl_outcome WHERE source_key = '2'"));
            assertEquals(List.of("4 invalid_json:metadata", "5 invalid_time:timestamp"),
                    keys(t, "SELECT source_key || ' ' || reason FROM consolidation_rejects ORDER BY source_key"));
        }
    }

    /** The values the client vouches for, each checked to be accepted by the server's own check too. */
    private static List<String> vouched(TestRuntime t, List<String> values, java.util.function.Predicate<String> client,
                                        String serverCheck) throws Exception {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (client.test(v)) {
                assertTrue(serverAccepts(t, serverCheck, v), "vouched for a value PostgreSQL's " + serverCheck + " refuses: " + v);
                out.add(v);
            }
        }
        return out;
    }

    private static boolean serverAccepts(TestRuntime t, String function, String value) throws Exception {
        try (PreparedStatement ps = t.db.prepareStatement("SELECT " + function + "(?)")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static List<String> keys(TestRuntime t, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = t.db.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}

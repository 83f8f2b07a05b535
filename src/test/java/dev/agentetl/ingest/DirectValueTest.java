package dev.agentetl.ingest;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the client writes straight into a target is what PostgreSQL's checked path (ingest_time() and the casts of
 * TargetColumn.converted) stores for the same SQLite value, compared in PostgreSQL itself; what the client is not
 * sure of (daylight-saving gaps and overlaps, doubtful JSON, text in an integer column) it leaves to PostgreSQL.
 */
class DirectValueTest {

    static AppConfig config;

    @BeforeAll
    static void database() {
        config = TestDatabases.migratedConfig();
    }

    static final String[] TIMES = {
            "2026-11-03 09:14:02", "2026-11-03 10:14:02.118000", "2026-11-03T10:14:02", "2026-11-03 10:14",
            "2026-11-03", "2026-11-03 10:14:02.5", "2026-11-03 10:14:02+02:00", "2026-11-03 10:14:02.25-0530",
            "2026-11-03 10:14:02Z", "2026-11-03T23:59:59.999999+14", "2026-01-01 00:30:00.000001", "0001-01-01 00:30:00",
            "2024-02-29 12:00:00", "1999-12-31 23:59:59.999999",
            // daylight saving in Europe/Berlin and America/New_York: a gap and an overlap
            "2026-03-29 02:30:00.000000", "2026-10-25 02:30:00.000000", "2026-03-08 02:30:00", "2026-11-01 01:30:00.1"};
    static final String[] ZONES = {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Etc/GMT+5"};

    @Test
    void should_write_every_time_as_ingest_time_would_store_it() throws Exception {
        int compared = 0, unsure = 0;
        try (Connection c = TestDatabases.connect(config)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL TIME ZONE 'UTC'"); // as the run does
            }
            for (String zone : ZONES) {
                assertTrue(DirectValue.sameAsPostgres(c, ZoneId.of(zone)), zone);
                for (String type : List.of("timestamptz", "timestamp", "date")) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT ingest_time(?, ?, ?)::" + type + " = ?::" + type
                            + ", ingest_time(?, ?, ?)::" + type + "::text")) {
                        for (String t : TIMES) {
                            for (boolean local : new boolean[]{false, true}) {
                                Object direct = DirectValue.time(t, type, ZoneId.of(zone), local);
                                if (direct == DirectValue.UNSURE) {
                                    unsure++;
                                    continue;
                                }
                                ps.setString(1, t);
                                ps.setString(2, zone);
                                ps.setBoolean(3, local);
                                ps.setString(4, (String) direct);
                                ps.setString(5, t);
                                ps.setString(6, zone);
                                ps.setBoolean(7, local);
                                try (ResultSet rs = ps.executeQuery()) {
                                    rs.next();
                                    assertTrue(rs.getBoolean(1), t + " in " + zone + " (local " + local + ") as " + type + ": client wrote "
                                            + direct + ", ingest_time() gives " + rs.getString(2));
                                }
                                compared++;
                            }
                        }
                    }
                }
            }
            c.rollback();
        }
        assertTrue(compared > 500, "compared " + compared);
        // the gap and the overlap of a zone with daylight saving are left to PostgreSQL, the rest is converted here
        assertSame(DirectValue.UNSURE, DirectValue.time("2026-03-29 02:30:00.000000", "timestamptz", ZoneId.of("Europe/Berlin"), false));
        assertSame(DirectValue.UNSURE, DirectValue.time("2026-10-25 02:30:00", "timestamptz", ZoneId.of("Europe/Berlin"), true));
        assertNotSame(DirectValue.UNSURE, DirectValue.time("2026-10-25 02:30:00", "timestamptz", ZoneId.of("Europe/Berlin"), false));
        assertTrue(unsure > 0 && unsure < compared / 10, unsure + " unsure of " + compared);
    }

    @Test
    void should_write_numbers_booleans_json_and_text_as_the_checked_path_does() throws Exception {
        Object[][] cases = {
                {"bool", 1L}, {"bool", 0L}, {"bool", 7L}, {"int4", 42L}, {"int8", -9_007_199_254_740_993L}, {"int2", 300},
                {"float8", 0.1}, {"float8", 1e-7}, {"float8", 123456789.125}, {"float8", 5L}, {"float4", 0.92},
                {"numeric", 2.5e10}, {"jsonb", "{\"a\": \"caf\\u00e9\", \"n\": [1, 2.5, null, true]}"}, {"json", "[1,  2]"},
                {"text", "tab\tand \"quotes\" é 🚀"}, {"text", 12L}, {"text", "x".getBytes()}};
        List<String> wrong = new ArrayList<>();
        try (Connection c = TestDatabases.connect(config)) {
            for (Object[] k : cases) {
                String type = (String) k[0];
                Object direct = DirectValue.of(type, k[1], ZoneId.of("UTC"), false);
                assertNotSame(DirectValue.UNSURE, direct, type + " " + k[1]);
                String staged = k[1] instanceof byte[] b ? new String(b) : k[1].toString();
                TargetColumn col = new TargetColumn("v", type);
                String converted = col.converted(false).replace("s.\"v\"", "?");
                String as = type.equals("json") ? "json::text" : type; // json has no equality: its text is kept as it is
                try (PreparedStatement ps = c.prepareStatement("SELECT (" + converted.replace("?", "?::text") + ")::" + as
                        + " IS NOT DISTINCT FROM ?::" + as)) {
                    int n = (int) converted.chars().filter(ch -> ch == '?').count();
                    for (int i = 1; i <= n; i++) ps.setString(i, staged);
                    ps.setString(n + 1, (String) direct);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) wrong.add(type + " " + staged + " -> " + direct);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertSame(DirectValue.UNSURE, DirectValue.of("int4", "12", null, false));
        assertSame(DirectValue.UNSURE, DirectValue.of("int4", 3_000_000_000L, null, false));
        assertSame(DirectValue.UNSURE, DirectValue.of("jsonb", "{\"x\": \"\\ud83d\\ude80\"}", null, false));
        assertSame(DirectValue.UNSURE, DirectValue.of("jsonb", "{oops}", null, false));
        assertSame(DirectValue.UNSURE, DirectValue.of("bool", 0.5, null, false));
        assertSame(DirectValue.UNSURE, DirectValue.of("uuid", "x", null, false));
        assertSame(DirectValue.UNSURE, DirectValue.time("2026-11-03 10:14:02.1", "timestamptz", null, false));
    }

    @Test
    void should_refuse_a_zone_this_jvm_reads_otherwise() throws Exception {
        try (Connection c = TestDatabases.connect(config)) {
            // POSIX 'GMT+1' is an hour west of Greenwich for PostgreSQL, an hour east for Java
            assertFalse(DirectValue.sameAsPostgres(c, ZoneId.of("GMT+1")));
            assertTrue(DirectValue.sameAsPostgres(c, ZoneId.of("Europe/Berlin")));
        }
    }

    @Test
    void should_map_keys_in_runs_and_say_when_it_does_not_know() {
        KeyRuns k = new KeyRuns();
        for (long s = 1; s <= 100_000; s++) k.add(s, 5000 + s + (s > 60_000 ? 7 : 0)); // a second block of ids
        k.add(100_005, 1); // a gap at the source
        assertEquals(3, k.runs());
        assertEquals(5001, k.target(1));
        assertEquals(65_000, k.target(60_000)); // the last of the first run
        assertEquals(65_008, k.target(60_001));
        assertEquals(1, k.target(100_005));
        assertEquals(-1, k.target(100_001));
        assertEquals(-1, k.target(0));
    }
}

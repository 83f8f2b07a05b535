package dev.agentetl.export;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The exports' timestamp text is ISO-8601 with six fractional digits, whichever way it is written. */
class ValuesTest {

    @Test
    void timestamps_are_written_as_the_iso_formatter_writes_them() {
        List<LocalDateTime> times = new ArrayList<>(List.of(
                LocalDateTime.of(2026, 11, 3, 9, 14, 2, 118_000_000),
                LocalDateTime.of(2026, 1, 1, 0, 0, 0, 0),
                LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000),
                LocalDateTime.of(2024, 2, 29, 12, 0, 0, 1_000),
                LocalDateTime.of(0, 1, 1, 0, 0),
                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999), // nanoseconds beyond micros are cut, as the formatter does
                LocalDateTime.of(10000, 1, 1, 0, 0),                     // years the ISO form writes with a sign
                LocalDateTime.of(-44, 3, 15, 12, 0)));
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            times.add(LocalDateTime.of(1 + r.nextInt(9999), 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24), r.nextInt(60),
                    r.nextInt(60), r.nextInt(1_000_000) * 1000));
        }
        for (LocalDateTime t : times) {
            assertEquals(Values.LOCAL_MICROS.format(t), Values.timestamp(t), t.toString());
            for (ZoneOffset offset : List.of(ZoneOffset.UTC, ZoneOffset.ofHours(2), ZoneOffset.ofHoursMinutes(-9, -30))) {
                OffsetDateTime o = OffsetDateTime.of(t, offset);
                assertEquals(Values.MICROS.format(o.withOffsetSameInstant(ZoneOffset.UTC)), Values.timestampTz(o), o.toString());
            }
        }
        assertEquals("2026-11-03T07:14:02.118000Z", Values.timestampTz(OffsetDateTime.of(times.get(0), ZoneOffset.ofHours(2))));
        assertNull(Values.timestampTz(null));
        assertNull(Values.timestamp(null));
    }
}

package dev.agentetl.export;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** PostgreSQL's timestamp text becomes ISO-8601 with microseconds; anything unexpected is left as it is. */
class ValuesTest {

    @Test
    void should_reshape_postgres_timestamp_text_into_iso_with_microseconds() {
        assertEquals("2026-11-08T15:35:06.516000Z", Values.isoFromText("2026-11-08 15:35:06.516+00", true));
        assertEquals("2026-11-08T15:35:06.000000Z", Values.isoFromText("2026-11-08 15:35:06+00", true));
        assertEquals("2026-11-08T15:35:06.123456+05:30", Values.isoFromText("2026-11-08 15:35:06.123456+05:30", true));
        assertEquals("2026-11-08T15:35:06.100000-07:00", Values.isoFromText("2026-11-08 15:35:06.1-07", true));
        assertEquals("2026-11-08T15:35:06.000001", Values.isoFromText("2026-11-08 15:35:06.000001", false));
        assertEquals("infinity", Values.isoFromText("infinity", true));
        assertEquals("0044-03-15 12:00:00+00 BC", Values.isoFromText("0044-03-15 12:00:00+00 BC", true));
    }
}

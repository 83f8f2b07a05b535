package dev.agentetl.export;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Column values in the text forms the exports promise (ISO-8601 with microseconds). Timestamps of years 0-9999 are
 * written digit by digit: through {@link DateTimeFormatter} they were 40 % of the JSON Lines writer's time on a table
 * of narrow rows with one timestamp each (the writer is the export's one formatting thread); other years, which
 * ISO-8601 writes with a sign, go through the formatter.
 */
final class Values {

    /** ISO-8601 with exactly six fractional digits, and the offset (Z for UTC). */
    static final DateTimeFormatter MICROS = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T')
            .appendPattern("HH:mm:ss").appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
            .appendOffsetId().toFormatter();
    static final DateTimeFormatter LOCAL_MICROS = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T')
            .appendPattern("HH:mm:ss").appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true).toFormatter();

    private Values() {
    }

    /** The instant in UTC, as {@link #MICROS} writes it: {@code 2026-11-03T09:14:02.118000Z}. */
    static String timestampTz(Object value) {
        if (value == null) return null;
        OffsetDateTime utc = ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC);
        String fast = digits(utc.toLocalDateTime(), true);
        return fast != null ? fast : MICROS.format(utc);
    }

    /** As {@link #LOCAL_MICROS} writes it: {@code 2026-11-03T09:14:02.118000}. */
    static String timestamp(Object value) {
        if (value == null) return null;
        String fast = digits((LocalDateTime) value, false);
        return fast != null ? fast : LOCAL_MICROS.format((LocalDateTime) value);
    }

    /** The date-time with six fractional digits (and Z), or null for a year outside 0-9999. */
    private static String digits(LocalDateTime t, boolean utc) {
        int year = t.getYear();
        if (year < 0 || year > 9999) return null;
        byte[] b = new byte[utc ? 27 : 26];
        put(b, 0, year, 4);
        b[4] = '-';
        put(b, 5, t.getMonthValue(), 2);
        b[7] = '-';
        put(b, 8, t.getDayOfMonth(), 2);
        b[10] = 'T';
        put(b, 11, t.getHour(), 2);
        b[13] = ':';
        put(b, 14, t.getMinute(), 2);
        b[16] = ':';
        put(b, 17, t.getSecond(), 2);
        b[19] = '.';
        put(b, 20, t.getNano() / 1000, 6);
        if (utc) b[26] = 'Z';
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static void put(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}

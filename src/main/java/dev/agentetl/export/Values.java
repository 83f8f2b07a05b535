package dev.agentetl.export;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/** Reads column values in the text forms the exports promise (ISO-8601 with microseconds). */
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

    /**
     * ISO-8601 with microseconds from PostgreSQL's text output of a timestamp in ISO DateStyle
     * ("2026-11-08 15:35:06.516+00", "... 15:35:06", "infinity"); with the session in UTC the offset
     * is +00 and becomes Z. Anything unexpected is returned unchanged rather than guessed at.
     */
    static String isoFromText(String pg, boolean withZone) {
        if (pg == null || pg.length() < 19 || pg.charAt(10) != ' ') return pg;
        StringBuilder sb = new StringBuilder(32).append(pg, 0, 10).append('T').append(pg, 11, 19);
        int i = 19;
        int digits = 0;
        sb.append('.');
        if (i < pg.length() && pg.charAt(i) == '.') {
            i++;
            while (i < pg.length() && Character.isDigit(pg.charAt(i))) {
                sb.append(pg.charAt(i++));
                digits++;
            }
        }
        for (; digits < 6; digits++) sb.append('0');
        String zone = pg.substring(i);
        if (!withZone) return zone.isEmpty() ? sb.toString() : pg;
        if (zone.equals("+00")) return sb.append('Z').toString();
        if (zone.matches("[+-]\\d\\d")) return sb.append(zone).append(":00").toString();
        if (zone.matches("[+-]\\d\\d:\\d\\d")) return sb.append(zone).toString();
        return pg;
    }

    static String timestampTz(Object value) {
        return value == null ? null : MICROS.format(((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC));
    }

    static String timestamp(Object value) {
        return value == null ? null : LOCAL_MICROS.format((LocalDateTime) value);
    }
}

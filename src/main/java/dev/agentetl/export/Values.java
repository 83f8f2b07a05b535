package dev.agentetl.export;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/** Column values in the text forms the exports promise (ISO-8601 with microseconds). */
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

    static String timestampTz(Object value) {
        return value == null ? null : MICROS.format(((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC));
    }

    static String timestamp(Object value) {
        return value == null ? null : LOCAL_MICROS.format((LocalDateTime) value);
    }
}

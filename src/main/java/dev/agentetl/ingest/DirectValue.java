package dev.agentetl.ingest;

import dev.agentetl.consolidate.ValueCheck;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Set;

/**
 * A SQLite value written straight into its target column by COPY, as the text PostgreSQL reads back to exactly
 * the value the checked path ({@link TargetColumn#converted}, {@code ingest_time()}) would store. The client
 * converts only what it is sure of; anything else is {@link #UNSURE} and its row takes the path through the
 * staging table, where PostgreSQL checks it and names the reason when it rejects it. Nothing is ever rejected here.
 */
final class DirectValue {

    /** The client is not sure of the value: the row goes through PostgreSQL's checks. */
    static final Object UNSURE = new Object();

    /** The target types whose values the client writes itself; a table with another type takes the checked path. */
    static final Set<String> TYPES = Set.of("text", "varchar", "bpchar", "json", "jsonb", "bool", "int2", "int4", "int8",
            "float4", "float8", "numeric", "timestamptz", "timestamp", "date");

    private DirectValue() {
    }

    /**
     * The value for a target column of {@code type}; {@code zone}: the source zone of Python's local times, null when
     * the client cannot convert them as PostgreSQL does ({@link #sameAsPostgres}); {@code localTime}: a column the
     * app fills with {@code datetime.now()}.
     */
    static Object of(String type, Object v, ZoneId zone, boolean localTime) {
        if (v == null) return null;
        switch (type) {
            case "text", "varchar", "bpchar" -> {
                return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString();
            }
            case "json", "jsonb" -> {
                return v instanceof String s && ValueCheck.certainJson(s) ? s : UNSURE;
            }
            case "bool" -> {
                return v instanceof Long || v instanceof Integer ? (((Number) v).longValue() != 0 ? "t" : "f") : UNSURE;
            }
            case "int2" -> {
                return integer(v, Short.MIN_VALUE, Short.MAX_VALUE);
            }
            case "int4" -> {
                return integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
            case "int8" -> {
                // the checked path takes at most 18 digits
                return integer(v, -999_999_999_999_999_999L, 999_999_999_999_999_999L);
            }
            case "float4", "float8" -> {
                return v instanceof Long || v instanceof Integer || v instanceof Double ? v.toString() : UNSURE;
            }
            case "numeric" -> {
                return v instanceof Long || v instanceof Integer || (v instanceof Double d && Double.isFinite(d)) ? v.toString() : UNSURE;
            }
            case "timestamptz", "timestamp", "date" -> {
                return v instanceof String s ? time(s, type, zone, localTime) : UNSURE;
            }
            default -> {
                return UNSURE;
            }
        }
    }

    private static Object integer(Object v, long min, long max) {
        if (!(v instanceof Long || v instanceof Integer)) return UNSURE;
        long n = ((Number) v).longValue();
        return n >= min && n <= max ? Long.toString(n) : UNSURE;
    }

    /**
     * A VibeAgent time as ingest_time() reads it: an explicit offset wins; a value with a fraction or in a local
     * column is in the source zone; else UTC. Written for a timestamptz with its offset (the run's session zone is
     * UTC), for a timestamp as UTC wall time, for a date as the UTC date. A local time the zone's rules make
     * ambiguous or skip (daylight saving) is left to PostgreSQL.
     */
    static Object time(String t, String type, ZoneId zone, boolean localTime) {
        if (!ValueCheck.certainTime(t)) return UNSURE;
        int n = t.length();
        int end = n; // where the wall time ends (an offset may follow)
        ZoneOffset offset = null;
        if (n > 16) {
            int i = 16;
            if (t.charAt(i) == ':') {
                i += 3;
                if (i < n && t.charAt(i) == '.') {
                    i++;
                    while (i < n && Character.isDigit(t.charAt(i))) i++;
                }
            }
            if (i < n) {
                end = i;
                offset = offset(t.substring(i));
                if (offset == null) return UNSURE;
            }
        }
        boolean local = offset == null && (localTime || t.indexOf('.') >= 0);
        if (offset == null && !local) offset = ZoneOffset.UTC;
        String wall = t.substring(0, end);
        if (local) {
            if (zone == null) return UNSURE;
            LocalDateTime ldt = parse(wall);
            ZoneRules rules = zone.getRules();
            List<ZoneOffset> valid = rules.getValidOffsets(ldt);
            if (valid.size() != 1) return UNSURE;
            offset = valid.get(0);
        }
        if (offset.getTotalSeconds() % 60 != 0) return UNSURE; // a historical offset with seconds
        if (type.equals("timestamptz")) {
            String w = wall.length() == 10 ? wall + " 00:00:00" : wall;
            return offset.getTotalSeconds() == 0 ? w + "+00" : w + offset.getId();
        }
        if (offset.getTotalSeconds() == 0) {
            return type.equals("date") ? wall.substring(0, 10) : wall;
        }
        LocalDateTime utc = parse(wall).minusSeconds(offset.getTotalSeconds());
        if (utc.getYear() < 1 || utc.getYear() > 9999) return UNSURE;
        if (type.equals("date")) return utc.toLocalDate().toString();
        return utc.toLocalDate() + " " + utc.toLocalTime().toString();
    }

    /** 'Z', '+HH', '+HH:MM' or '+HHMM' (ValueCheck.certainTime has checked the digits and ranges). */
    private static ZoneOffset offset(String z) {
        if (z.equals("Z")) return ZoneOffset.UTC;
        int sign = z.charAt(0) == '-' ? -1 : 1;
        int hours = Integer.parseInt(z.substring(1, 3));
        int minutes = z.length() == 3 ? 0 : Integer.parseInt(z.substring(z.length() - 2));
        return ZoneOffset.ofTotalSeconds(sign * (hours * 3600 + minutes * 60));
    }

    /** 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM', 'YYYY-MM-DD HH:MM:SS[.f{1,6}]', with ' ' or 'T'. */
    static LocalDateTime parse(String wall) {
        int year = Integer.parseInt(wall.substring(0, 4));
        int month = Integer.parseInt(wall.substring(5, 7));
        int day = Integer.parseInt(wall.substring(8, 10));
        if (wall.length() == 10) return LocalDateTime.of(year, month, day, 0, 0);
        int hour = Integer.parseInt(wall.substring(11, 13));
        int minute = Integer.parseInt(wall.substring(14, 16));
        int second = 0, nanos = 0;
        if (wall.length() > 16) {
            second = Integer.parseInt(wall.substring(17, 19));
            if (wall.length() > 20) {
                String f = wall.substring(20);
                nanos = Integer.parseInt(f) * (int) Math.pow(10, 9 - f.length());
            }
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
    }

    /**
     * Whether this JVM converts local times in {@code zone} as PostgreSQL does (the same zone name can mean
     * another thing: POSIX 'GMT+1' is an hour west in PostgreSQL and east in Java; or the two time zone databases
     * differ): a winter and a summer time compared with ingest_time(). Else PostgreSQL converts them all.
     */
    static boolean sameAsPostgres(java.sql.Connection pg, ZoneId zone) throws java.sql.SQLException {
        String[] samples = {"2026-01-15 12:00:00.000001", "2026-07-15 12:00:00.000001", "1999-12-31 23:30:00.5"};
        try (java.sql.PreparedStatement ps = pg.prepareStatement(
                "SELECT (extract(epoch FROM ingest_time(?, ?, true)) * 1000000)::bigint")) {
            for (String s : samples) {
                ps.setString(1, s);
                ps.setString(2, zone.getId());
                long pgMicros;
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    pgMicros = rs.getLong(1);
                }
                LocalDateTime ldt = parse(s);
                List<ZoneOffset> valid = zone.getRules().getValidOffsets(ldt);
                if (valid.size() != 1) return false;
                java.time.Instant i = ldt.toInstant(valid.get(0));
                if (i.getEpochSecond() * 1_000_000 + i.getNano() / 1000 != pgMicros) return false;
            }
        } catch (java.sql.SQLException e) {
            return false; // a zone PostgreSQL does not know: the checked path reports it as before
        }
        return true;
    }
}

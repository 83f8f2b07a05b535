package dev.agentetl.consolidate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Checks made while a row is staged, on the client, which vouch for values PostgreSQL will surely accept:
 * JSON text that becomes jsonb, ISO local times that become timestamptz. They only answer "certainly
 * fine" or "not sure"; every row they are not sure of is checked again by PostgreSQL itself (the
 * validation query), which alone decides what is rejected. So a check here may be stricter than
 * PostgreSQL, never looser: its purpose is to spare the server a second parse of the values that are
 * fine, which is nearly all of them.
 */
public final class ValueCheck {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Nesting deeper than this is left to the server (its parser's stack limit, not ours, applies). */
    private static final int MAX_DEPTH = 200;

    private ValueCheck() {
    }

    /**
     * Whether PostgreSQL's jsonb input surely accepts the text: strict RFC 8259 JSON as Jackson parses it
     * by default (no comments, NaN, single quotes, leading zeros or trailing commas, one value only),
     * without the escapes jsonb refuses or may refuse (\u0000, surrogates) and without numbers whose
     * exponent could overflow numeric.
     */
    public static boolean certainJson(String text) {
        if (text.isEmpty() || hasDoubtfulEscape(text)) {
            return false;
        }
        try (JsonParser p = JSON.createParser(text)) {
            int depth = 0;
            JsonToken token = p.nextToken();
            if (token == null) {
                return false;
            }
            do {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > MAX_DEPTH) return false;
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_NUMBER_FLOAT, VALUE_NUMBER_INT -> {
                        if (!plainNumber(p.getText())) return false;
                    }
                    default -> {
                    }
                }
                token = p.nextToken();
            } while (depth > 0 && token != null);
            // exactly one value: nothing may follow it
            return depth == 0 && token == null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** \u0000 and \uD800-\uDFFF escapes (jsonb refuses NUL and unpaired surrogates), or a cut-off escape. */
    private static boolean hasDoubtfulEscape(String text) {
        for (int i = text.indexOf("\\u"); i >= 0; i = text.indexOf("\\u", i + 2)) {
            if (i + 6 > text.length()) return true;
            char a = text.charAt(i + 2);
            if (a == 'd' || a == 'D' || text.startsWith("0000", i + 2)) return true;
        }
        return false;
    }

    /** A number of at most 100 characters with at most 3 exponent digits (numeric takes far more). */
    private static boolean plainNumber(String number) {
        if (number.length() > 100) return false;
        int e = Math.max(number.indexOf('e'), number.indexOf('E'));
        if (e < 0) return true;
        int digits = number.length() - e - 1;
        if (digits > 0 && (number.charAt(e + 1) == '+' || number.charAt(e + 1) == '-')) digits--;
        return digits <= 3;
    }

    /**
     * Whether the text is an ISO time the validation's pattern and PostgreSQL's timestamptz input surely
     * accept: {@code YYYY-MM-DD}, optionally {@code [T ]HH:MM[:SS[.ffffff]]} and then optionally
     * {@code Z} or {@code ±HH[[:]MM]}, with every field in its range (year 1-9999, a real day of the month,
     * hours 0-23, minutes and seconds 0-59, offsets up to 14 hours). Anything else (leap seconds, 24:00,
     * year 0, a zone after a bare date) is left to the server.
     */
    public static boolean certainTime(String t) {
        int n = t.length();
        if (n < 10 || t.charAt(4) != '-' || t.charAt(7) != '-') return false;
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
        if (n == 10) return true;
        char sep = t.charAt(10);
        if ((sep != 'T' && sep != ' ') || n < 16 || t.charAt(13) != ':') return false;
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
        int i = 16;
        if (i < n && t.charAt(i) == ':') {
            if (i + 3 > n) return false;
            int second = digits(t, i + 1, 2);
            if (second < 0 || second > 59) return false;
            i += 3;
            if (i < n && t.charAt(i) == '.') {
                int start = ++i;
                while (i < n && isDigit(t.charAt(i))) i++;
                if (i == start || i - start > 6) return false;
            }
        }
        if (i == n) return true;
        char z = t.charAt(i);
        if (z == 'Z') return i + 1 == n;
        if (z != '+' && z != '-') return false;
        int rest = n - i - 1;
        int offsetHours = rest >= 2 ? digits(t, i + 1, 2) : -1;
        if (offsetHours < 0 || offsetHours > 14) return false;
        if (rest == 2) return true;
        int m = rest == 5 && t.charAt(i + 3) == ':' ? i + 4 : rest == 4 ? i + 3 : -1;
        if (m < 0) return false;
        int offsetMinutes = digits(t, m, 2);
        return offsetMinutes >= 0 && offsetMinutes <= 59;
    }

    /** Whether a Julian day lies where the validation's range check accepts it. */
    static boolean certainJulianDay(double d) {
        return d >= 1721425.5 && d <= 5373484;
    }

    /** Whether a Unix time lies where the validation's range check accepts it. */
    static boolean certainEpoch(double d) {
        return d >= -62135596800.0 && d <= 253402300799.0;
    }

    /** The ASCII digits at [from, from + count) as a number, or -1. */
    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) return -1;
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int daysIn(int year, int month) {
        return java.time.YearMonth.of(year, month).lengthOfMonth();
    }
}

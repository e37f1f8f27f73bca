package io.convtrail.query.json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@link Instant#toString()} without its formatter: the trace and the audit of a long conversation write
 * tens of thousands of timestamps, and {@code DateTimeFormatter} was a measurable part of each answer.
 * The text is exactly {@code Instant.toString()}'s (fraction in groups of three digits, none when
 * zero); years outside 1000–9999, which {@code toString} writes differently, are left to it.
 */
public final class IsoInstants {

    private static final long FIRST_SECOND = -30_610_224_000L; // 1000-01-01T00:00:00Z
    private static final long LAST_SECOND = 253_402_300_799L;  // 9999-12-31T23:59:59Z
    /** The longest text {@link #write} writes: {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ}. */
    public static final int MAX_LENGTH = 30;

    private IsoInstants() {
    }

    /** The instant as {@code Instant.toString()} writes it; null stays null. */
    public static String format(Instant instant) {
        if (instant == null) {
            return null;
        }
        byte[] out = new byte[MAX_LENGTH];
        int length = write(instant, out, 0);
        return length < 0 ? instant.toString() : new String(out, 0, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes the instant as {@link #format} does, in ASCII, at {@code at} of {@code out} (which has room
     * for {@value #MAX_LENGTH} bytes there); answers the length, or -1 for a year outside 1000–9999,
     * which the caller leaves to {@code Instant.toString()}.
     */
    public static int write(Instant instant, byte[] out, int at) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return -1;
        }
        int nanos = instant.getNano();
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        digits(out, at, year, 4);
        out[at + 4] = '-';
        digits(out, at + 5, month, 2);
        out[at + 7] = '-';
        digits(out, at + 8, day, 2);
        out[at + 10] = 'T';
        digits(out, at + 11, secondOfDay / 3600, 2);
        out[at + 13] = ':';
        digits(out, at + 14, secondOfDay / 60 % 60, 2);
        out[at + 16] = ':';
        digits(out, at + 17, secondOfDay % 60, 2);
        int length = 19;
        if (nanos != 0) {
            out[at + length++] = '.';
            if (nanos % 1_000_000 == 0) {
                digits(out, at + length, nanos / 1_000_000, 3);
                length += 3;
            } else if (nanos % 1_000 == 0) {
                digits(out, at + length, nanos / 1_000, 6);
                length += 6;
            } else {
                digits(out, at + length, nanos, 9);
                length += 9;
            }
        }
        out[at + length++] = 'Z';
        return length;
    }

    /**
     * The instant {@code text} names when it has exactly the form {@link #format} writes for years 1000–9999
     * ({@code yyyy-MM-ddTHH:mm:ss}, an optional fraction of 1 to 9 digits, {@code Z}); null for anything else,
     * which the caller leaves to {@link Instant#parse}. Same result as {@code Instant.parse} for every text it
     * accepts, without a {@code DateTimeFormatter}: deserialising the events' instants through it was 10 % of
     * a rebuild's CPU.
     */
    public static Instant parse(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (year < 1000 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month) || hour < 0
                || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21;
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = number(text, 20, fraction);
            if (nanos < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        // days from civil (H. Hinnant), the inverse of format's
        int y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        long days = era * 146_097 + dayOfEra - 719_468;
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number of {@code width} digits at {@code at}; -1 if any is not a digit. */
    private static int number(String text, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int monthLength(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static void digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}

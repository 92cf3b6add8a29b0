package io.shadowgate.compare.noise;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The shape of a scalar value, used to tell "values that look unrelated by nature" (timestamps,
 * random ids) from ordinary data. Stateless, thread-safe.
 */
public enum ValueShape {
    /** ISO-8601 date and time, e.g. {@code 2024-05-01T10:00:00.123Z}. */
    ISO_TIMESTAMP,
    /** RFC 1123 HTTP date, e.g. {@code Tue, 15 Nov 1994 08:12:31 GMT}. */
    HTTP_DATE,
    /** 13-digit epoch milliseconds between 2000 and 2100. */
    EPOCH_MILLIS,
    /** 10-digit epoch seconds between 2001 and 2100. */
    EPOCH_SECONDS,
    /** 8-4-4-4-12 UUID. */
    UUID,
    /** Hex string of at least 16 characters with at least one letter. */
    HEX_ID,
    /** Opaque token: at least 12 digits, or at least 16 base64/JWT-like characters mixing letters and digits. */
    OPAQUE_TOKEN,
    /** Anything else: ordinary data. */
    OTHER;

    private static final Pattern ISO = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}(:\\d{2}([.,]\\d{1,9})?)?([Zz]|[+-]\\d{2}(:?\\d{2})?)?");
    private static final Pattern HTTP = Pattern.compile(
            "[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    private static final long MIN_MILLIS = 946_684_800_000L; // 2000-01-01
    private static final long MAX_MILLIS = 4_102_444_800_000L; // 2100-01-01

    /**
     * Classifies a scalar: a JSON string without its quotes, a JSON number's text, or a header value.
     * Values longer than 256 characters are {@link #OTHER}.
     */
    public static ValueShape classify(String raw) {
        if (raw == null) {
            return OTHER;
        }
        String s = unquote(raw);
        int n = s.length();
        if (n < 10 || n > 256) {
            return OTHER;
        }
        int digits = 0;
        int letters = 0;
        boolean hex = true;
        boolean token = true;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean d = c >= '0' && c <= '9';
            boolean l = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (d) {
                digits++;
            } else if (l) {
                letters++;
            }
            if (!d && !((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                hex = false;
            }
            if (!d && !l && c != '_' && c != '-' && c != '=' && c != '+' && c != '/' && c != '.') {
                token = false;
            }
        }
        if (digits == n) {
            long v = n <= 18 ? Long.parseLong(s) : -1;
            if (n == 13 && v >= MIN_MILLIS && v < MAX_MILLIS) {
                return EPOCH_MILLIS;
            }
            if (n == 10 && v >= MIN_MILLIS / 1000 && v < MAX_MILLIS / 1000) {
                return EPOCH_SECONDS;
            }
            return n >= 12 ? OPAQUE_TOKEN : OTHER;
        }
        if (s.charAt(4) == '-' && ISO.matcher(s).matches()) {
            return ISO_TIMESTAMP;
        }
        if (s.endsWith(" GMT") && HTTP.matcher(s).matches()) {
            return HTTP_DATE;
        }
        if (io.shadowgate.compare.group.PathTemplates.isUuid(s)) {
            return UUID;
        }
        if (hex && n >= 16 && letters > 0) {
            return HEX_ID;
        }
        if (token && n >= 16 && letters > 0 && digits > 0) {
            return OPAQUE_TOKEN;
        }
        return OTHER;
    }

    /** Whether values of this shape are typically generated per response (timestamps, ids, tokens). */
    public boolean generated() {
        return this != OTHER;
    }

    /**
     * Largest distance between two timestamps that can still be generation noise. Answers to one
     * mirrored request are produced within seconds of each other; two renderings of "now" that are
     * further apart (typically a whole number of hours: a time-zone bug) are a real difference.
     */
    public static final Duration MAX_TIMESTAMP_SKEW = Duration.ofMinutes(5);

    /**
     * Whether two differing values look unrelated, i.e. like two independently generated values of
     * the same kind: both have a generated shape, <em>in the same format</em> ({@link #sameFormat}),
     * and, when both are timestamps, they denote different instants less than
     * {@link #MAX_TIMESTAMP_SKEW} apart. Two renderings of the same instant, a format change (time
     * zone, precision, separator, epoch unit, ISO vs epoch, UUID letter case) and a shifted clock are
     * related — a real difference, not noise.
     */
    public static boolean looksUnrelated(String primaryRaw, String mirrorRaw) {
        ValueShape a = classify(primaryRaw);
        ValueShape b = classify(mirrorRaw);
        if (!a.generated() || !b.generated()) {
            return false;
        }
        String sa = unquote(primaryRaw);
        String sb = unquote(mirrorRaw);
        if (!sameFormat(a, sa, b, sb)) {
            return false;
        }
        Instant ia = toInstant(a, sa);
        Instant ib = toInstant(b, sb);
        if (ia == null || ib == null) {
            return true;
        }
        Duration skew = Duration.between(ia, ib).abs();
        return !skew.isZero() && skew.compareTo(MAX_TIMESTAMP_SKEW) < 0;
    }

    /**
     * Whether two scalars with a generated shape are written in the same format, so that a
     * difference between them can be generation noise rather than a changed format.
     *
     * <ul>
     *   <li>all-digit values (epoch seconds or milliseconds, numeric ids): lengths differ by at most
     *       one digit (a random number may be one digit shorter; seconds → milliseconds is three);</li>
     *   <li>ISO-8601: the same layout (digits, separators, seconds present or not) and the same
     *       offset text ({@code Z}, {@code +02:00}, none), and the same number of fraction digits
     *       unless one side has none (formatters such as {@code Instant.toString()} drop a zero
     *       fraction, so "no fraction" is compatible with any precision);</li>
     *   <li>UUIDs and hex ids: not lower case on one side and upper case on the other;</li>
     *   <li>otherwise the same shape.</li>
     * </ul>
     */
    public static boolean sameFormat(String primaryRaw, String mirrorRaw) {
        String a = primaryRaw == null ? null : unquote(primaryRaw);
        String b = mirrorRaw == null ? null : unquote(mirrorRaw);
        return a != null && b != null && sameFormat(classify(a), a, classify(b), b);
    }

    /**
     * How a value with a generated shape changed <em>form</em>, or {@code null} when it did not: another format
     * ({@link #sameFormat}) gives {@code "<format>→<format>"} (e.g. {@code "ISO-8601 Z→ISO-8601 +02:00"},
     * {@code "epoch seconds→epoch milliseconds"}); two timestamps in the same format more than
     * {@link #MAX_TIMESTAMP_SKEW} apart give {@code "instant shifted"} (a clock or time-zone bug). Values that are not
     * both generated-looking give {@code null}: their change is an ordinary value change.
     *
     * @param primaryRaw the primary's value as JSON text or header text
     * @param mirrorRaw  the mirror's value
     */
    public static String formatChange(String primaryRaw, String mirrorRaw) {
        if (primaryRaw == null || mirrorRaw == null) {
            return null;
        }
        String sa = unquote(primaryRaw);
        String sb = unquote(mirrorRaw);
        ValueShape a = classify(sa);
        ValueShape b = classify(sb);
        if (!a.generated() || !b.generated()) {
            return null;
        }
        if (!sameFormat(a, sa, b, sb)) {
            String fa = formatName(a, sa);
            String fb = formatName(b, sb);
            return fa.equals(fb) ? fa + " (layout or precision)" : fa + "→" + fb;
        }
        Instant ia = toInstant(a, sa);
        Instant ib = toInstant(b, sb);
        if (ia != null && ib != null && Duration.between(ia, ib).abs().compareTo(MAX_TIMESTAMP_SKEW) >= 0) {
            return "instant shifted";
        }
        return null;
    }

    private static String formatName(ValueShape shape, String s) {
        return switch (shape) {
            case ISO_TIMESTAMP -> {
                String offset = IsoLayout.of(s).offset;
                yield "ISO-8601" + (offset.isEmpty() ? " local" : " " + offset.replace('z', 'Z'));
            }
            case HTTP_DATE -> "HTTP date";
            case EPOCH_MILLIS -> "epoch milliseconds";
            case EPOCH_SECONDS -> "epoch seconds";
            case UUID -> letterCase(s) > 0 ? "UUID upper case" : "UUID";
            case HEX_ID -> letterCase(s) > 0 ? "hex upper case" : "hex";
            case OPAQUE_TOKEN -> "token";
            case OTHER -> "other";
        };
    }

    private static boolean sameFormat(ValueShape a, String sa, ValueShape b, String sb) {
        if (allDigits(sa) && allDigits(sb)) {
            return Math.abs(sa.length() - sb.length()) <= 1;
        }
        if (a != b) {
            return false;
        }
        return switch (a) {
            case ISO_TIMESTAMP -> sameIsoFormat(sa, sb);
            case UUID, HEX_ID -> letterCase(sa) * letterCase(sb) >= 0;
            default -> true;
        };
    }

    private static boolean allDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** -1 only lower-case letters, 1 only upper-case letters, 0 none or both. */
    private static int letterCase(String s) {
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        return lower == upper ? 0 : lower ? -1 : 1;
    }

    private static boolean sameIsoFormat(String a, String b) {
        IsoLayout la = IsoLayout.of(a);
        IsoLayout lb = IsoLayout.of(b);
        if (!la.layout.equals(lb.layout) || !la.offset.equals(lb.offset)) {
            return false;
        }
        return la.fractionDigits == 0 || lb.fractionDigits == 0
                || (la.fractionDigits == lb.fractionDigits && la.fractionSeparator == lb.fractionSeparator);
    }

    /**
     * An ISO-8601 value split into its date-time layout (digits as {@code 9}, up to the seconds),
     * its fraction (separator and number of digits, 0 when absent) and its offset text.
     */
    private record IsoLayout(String layout, char fractionSeparator, int fractionDigits, String offset) {
        static IsoLayout of(String s) {
            // The ISO pattern guarantees 16 characters of date, separator and hh:mm, then optional
            // :ss, optional [.,]fraction, optional offset.
            int i = 16;
            if (i < s.length() && s.charAt(i) == ':') {
                i += 3;
            }
            StringBuilder layout = new StringBuilder(i);
            for (int k = 0; k < i; k++) {
                char c = s.charAt(k);
                layout.append(c >= '0' && c <= '9' ? '9' : c);
            }
            char separator = 0;
            int fraction = 0;
            if (i < s.length() && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                separator = s.charAt(i);
                int j = i + 1;
                while (j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
                    j++;
                }
                fraction = j - i - 1;
                i = j;
            }
            return new IsoLayout(layout.toString(), separator, fraction, s.substring(i));
        }
    }

    private static Instant toInstant(ValueShape shape, String s) {
        try {
            return switch (shape) {
                case EPOCH_MILLIS -> Instant.ofEpochMilli(Long.parseLong(s));
                case EPOCH_SECONDS -> Instant.ofEpochSecond(Long.parseLong(s));
                case HTTP_DATE -> OffsetDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                case ISO_TIMESTAMP -> parseIso(s.replace(' ', 'T').replace('t', 'T').replace('z', 'Z').replace(',', '.'));
                default -> null;
            };
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    private static Instant parseIso(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // No offset: read as UTC so that "10:00" and "10:00Z" count as the same instant.
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        }
    }

    private static String unquote(String raw) {
        int n = raw.length();
        if (n >= 2 && raw.charAt(0) == '"' && raw.charAt(n - 1) == '"') {
            return raw.substring(1, n - 1);
        }
        return raw;
    }
}

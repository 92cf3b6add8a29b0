package io.shadowgate.config.model;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.Severity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Parses the duration strings of Istio YAML.
 *
 * <p>Accepted forms:
 * <ul>
 *   <li>protobuf {@code Duration} JSON, which is what Istio documents: decimal seconds with an {@code s} suffix,
 *       up to nine fractional digits ({@code "10s"}, {@code "0.5s"}, {@code "1.5s"});</li>
 *   <li>Go {@code time.ParseDuration} style, which Kubernetes' CEL {@code duration()} and many hand-written configs
 *       use: one or more number+unit pairs with units {@code h}, {@code m}, {@code s}, {@code ms}, {@code us}
 *       ({@code µs}) and {@code ns} ({@code "500ms"}, {@code "1m"}, {@code "1h30m"}, {@code "1.5h"});</li>
 *   <li>{@code "0"} alone, as Go accepts it.</li>
 * </ul>
 * Negative durations, bare numbers other than {@code 0}, and empty strings are rejected.
 */
public final class Durations {

    /** Diagnostic code for an unparseable duration. */
    public static final String CODE = "SG0007";

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message saying what is accepted
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("duration: null (expected: a duration such as \"10s\" or \"500ms\")");
        }
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty() || s.startsWith("-") || s.startsWith("+")) {
            throw bad(text);
        }
        long nanos = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            int numStart = i;
            while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (i == numStart) {
                throw bad(text);
            }
            String number = s.substring(numStart, i);
            if (number.indexOf('.') != number.lastIndexOf('.') || number.equals(".")) {
                throw bad(text);
            }
            int unitStart = i;
            while (i < n && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            long perUnit = switch (unit) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                case "us", "\u00b5s", "\u03bcs" -> 1_000L;
                case "ns" -> 1L;
                default -> throw bad(text);
            };
            try {
                BigDecimal v = new BigDecimal(number).multiply(BigDecimal.valueOf(perUnit));
                nanos = Math.addExact(nanos, v.longValue());
            } catch (ArithmeticException | NumberFormatException e) {
                throw bad(text);
            }
        }
        return Duration.ofNanos(nanos);
    }

    /**
     * Parses {@code text} from {@code field} of {@code resource}; on bad input adds an ERROR ({@value #CODE}) to
     * {@code sink} and returns {@code null}. A {@code null} text returns {@code null} without a diagnostic.
     */
    public static Duration parse(String text, Resource<?> resource, String field, List<Diagnostic> sink) {
        if (text == null) {
            return null;
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            sink.add(resource.diagnostic(Severity.ERROR, CODE, field, e.getMessage()));
            return null;
        }
    }

    /**
     * {@code d} as people write it, and as {@link #parse} reads it back: {@code 15s}, {@code 500ms}, {@code 2m},
     * {@code 1h}, {@code 1m30s}, {@code 1.5ms}, {@code 0s}; never Java's {@code PT15S}.
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        long nanos = d.toNanos();
        if (nanos % 1_000_000 != 0) {
            return new BigDecimal(nanos).movePointLeft(6).stripTrailingZeros().toPlainString() + "ms";
        }
        long ms = nanos / 1_000_000;
        if (ms % 1000 != 0) {
            return ms >= 1000 ? new BigDecimal(ms).movePointLeft(3).stripTrailingZeros().toPlainString() + "s"
                    : ms + "ms";
        }
        long seconds = ms / 1000;
        StringBuilder out = new StringBuilder();
        if (seconds >= 3600) {
            out.append(seconds / 3600).append('h');
            seconds %= 3600;
        }
        if (seconds >= 60) {
            out.append(seconds / 60).append('m');
            seconds %= 60;
        }
        if (seconds > 0) {
            out.append(seconds).append('s');
        }
        return out.toString();
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("duration: \"" + text
                + "\" (expected: seconds with an s suffix such as \"10s\" or \"0.5s\", or a Go duration such as "
                + "\"500ms\", \"1m\", \"1h30m\")");
    }
}

package io.shadowgate.config.match;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.shadowgate.config.snapshot.StringMatcher;

/** Factories for {@link StringMatcher}: Istio's {@code exact}, {@code prefix} and RE2 {@code regex}. */
public final class StringMatchers {

    private StringMatchers() {
    }

    /** Equal to {@code value} ({@code ignoreCase}: ASCII case-insensitive, as Envoy's {@code ignore_case}). */
    public static StringMatcher exact(String value, boolean ignoreCase) {
        return new Exact(value, ignoreCase);
    }

    /** Starts with {@code value}. */
    public static StringMatcher prefix(String value, boolean ignoreCase) {
        return new Prefix(value, ignoreCase);
    }

    /**
     * The whole value matches the RE2 {@code regex} (Envoy's {@code safe_regex} is a full match).
     *
     * @throws IllegalArgumentException when {@code regex} is not valid RE2
     */
    public static StringMatcher regex(String regex) {
        return new Regex(compile(regex), regex);
    }

    /** Compiles an RE2 pattern, turning RE2/J's exception into an {@link IllegalArgumentException}. */
    public static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("regex \"" + regex + "\" is not valid RE2: " + e.getDescription(), e);
        }
    }

    /** Quotes a value for {@code describe()}. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private record Exact(String value, boolean ignoreCase) implements StringMatcher {
        @Override
        public boolean matches(String v) {
            return ignoreCase ? v.equalsIgnoreCase(value) : v.equals(value);
        }

        @Override
        public String describe() {
            return "exact " + quote(value) + (ignoreCase ? " (ignoring case)" : "");
        }
    }

    private record Prefix(String value, boolean ignoreCase) implements StringMatcher {
        @Override
        public boolean matches(String v) {
            return v.regionMatches(ignoreCase, 0, value, 0, value.length());
        }

        @Override
        public String describe() {
            return "prefix " + quote(value) + (ignoreCase ? " (ignoring case)" : "");
        }
    }

    private record Regex(Pattern pattern, String source) implements StringMatcher {
        @Override
        public boolean matches(String v) {
            return pattern.matches(v);
        }

        @Override
        public String describe() {
            return "regex " + quote(source);
        }
    }
}

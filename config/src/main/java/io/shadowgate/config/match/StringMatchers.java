package io.shadowgate.config.match;

import com.google.re2j.Pattern;
import io.shadowgate.config.snapshot.StringMatcher;

/**
 * Factories for {@link StringMatcher}: Istio's {@code exact}, {@code prefix} and RE2 {@code regex} (a
 * {@link CompiledRegex}: linear-time fast path for simple patterns, RE2/J otherwise).
 */
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
        return regex(CompiledRegex.compile(regex));
    }

    /** The whole value matches {@code regex} (compiled once, shared by every matcher that uses it). */
    public static StringMatcher regex(CompiledRegex regex) {
        return new Regex(regex);
    }

    /** Compiles an RE2 pattern, turning RE2/J's exception into an {@link IllegalArgumentException}. */
    public static Pattern compile(String regex) {
        return CompiledRegex.compile(regex).pattern();
    }

    /**
     * A literal every full match of the RE2 {@code regex} starts with, {@code ""} when none can be proven: the leading
     * run of literal characters (ASCII; escaped punctuation counts) after an optional {@code ^}, without the last one
     * when {@code ?}, {@code *} or <code>{</code> follows it (it may be absent), and ending after one that {@code +}
     * follows. A regex with an alternation outside every group or class ({@code /a|/b}) has none, and so has one whose
     * structure a simple scan cannot follow ({@code \Q...\E} quoting, a {@code [} inside a class).
     */
    static String literalPrefix(String regex) {
        if (!withoutTopLevelAlternation(regex)) {
            return "";
        }
        StringBuilder prefix = new StringBuilder();
        int i = regex.startsWith("^") ? 1 : 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            int width;
            if (c == '\\' && i + 1 < regex.length() && isEscapedLiteral(regex.charAt(i + 1))) {
                c = regex.charAt(i + 1);
                width = 2;
            } else if (c < 128 && "\\.+*?()[]{}|^$".indexOf(c) < 0) {
                width = 1;
            } else {
                break;
            }
            char next = i + width < regex.length() ? regex.charAt(i + width) : 0;
            if (next == '?' || next == '*' || next == '{') {
                break; // this character may be absent (or repeated: "{" is not worth parsing)
            }
            prefix.append(c);
            if (next == '+') {
                break; // present, then maybe repeated: what follows is not at a fixed position
            }
            i += width;
        }
        return prefix.toString();
    }

    /** RE2 reads {@code \c} as the literal {@code c} for ASCII punctuation. */
    private static boolean isEscapedLiteral(char c) {
        return c < 128 && !Character.isLetterOrDigit(c);
    }

    /** Whether {@code regex} provably has no {@code |} outside groups and classes. */
    private static boolean withoutTopLevelAlternation(String regex) {
        int depth = 0;
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (i + 1 < regex.length() && regex.charAt(i + 1) == 'Q') {
                    return false; // quoted text: not followed here
                }
                i += 2;
                continue;
            }
            if (c == '[') {
                i++;
                if (i < regex.length() && regex.charAt(i) == '^') {
                    i++;
                }
                if (i < regex.length() && regex.charAt(i) == ']') {
                    i++; // a leading ']' is a member
                }
                while (i < regex.length() && regex.charAt(i) != ']') {
                    if (regex.charAt(i) == '[') {
                        return false; // [:alpha:] and the like: not followed here
                    }
                    i += regex.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth <= 0) {
                return false;
            }
            i++;
        }
        return true;
    }

    /** Cost ranks for {@code RequestMatchers.allOf}'s evaluation order: literal comparisons are 1. */
    static final int FAST_REGEX_COST = 4;
    static final int RE2J_COST = 8;

    /** A rough per-match cost rank of {@code m}: 1 for a literal comparison, more for regexes. */
    static int cost(StringMatcher m) {
        if (m instanceof Exact || m instanceof Prefix) {
            return 1;
        }
        if (m instanceof Regex r) {
            return r.regex().hasFastPath() ? FAST_REGEX_COST : RE2J_COST;
        }
        return FAST_REGEX_COST;
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

    private record Regex(CompiledRegex regex) implements StringMatcher {
        @Override
        public boolean matches(String v) {
            return regex.matches(v);
        }

        @Override
        public String describe() {
            return "regex " + quote(regex.source());
        }
    }
}

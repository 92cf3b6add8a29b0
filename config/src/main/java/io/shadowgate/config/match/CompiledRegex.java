package io.shadowgate.config.match;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * An RE2 regex compiled once, for full matches: RE2/J's {@link Pattern}, and the linear-time {@link SmallRegex} when
 * the pattern fits its subset (most route regexes do). A match tries {@code SmallRegex} first and asks RE2/J only
 * when it cannot decide (non-ASCII input) or when the pattern is outside its subset; both give RE2's answer.
 *
 * <p>Immutable and thread-safe; compile each distinct regex once per snapshot and share the result.
 */
public final class CompiledRegex {

    private final String source;
    private final Pattern pattern;
    private final SmallRegex small;

    private CompiledRegex(String source, Pattern pattern, SmallRegex small) {
        this.source = source;
        this.pattern = pattern;
        this.small = small;
    }

    /**
     * Compiles {@code regex}.
     *
     * @throws IllegalArgumentException when {@code regex} is not valid RE2 (the message says why)
     */
    public static CompiledRegex compile(String regex) {
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("regex \"" + regex + "\" is not valid RE2: " + e.getDescription(), e);
        }
        return new CompiledRegex(regex, p, SmallRegex.compile(regex));
    }

    /** The regex as written. */
    public String source() {
        return source;
    }

    /** RE2/J's compiled form (for replacements and anything beyond a full match). */
    public Pattern pattern() {
        return pattern;
    }

    /** Whether the linear-time matcher handles this pattern (else every match is RE2/J's). */
    public boolean hasFastPath() {
        return small != null;
    }

    /** Whether all of {@code input} matches. */
    public boolean matches(String input) {
        return matches(input, 0, input.length());
    }

    /** Whether all of {@code input[from, to)} matches; allocates only when RE2/J has to decide. */
    public boolean matches(String input, int from, int to) {
        if (small != null) {
            int m = small.match(input, from, to);
            if (m != SmallRegex.UNKNOWN) {
                return m == 1;
            }
        }
        return pattern.matches(from == 0 && to == input.length() ? input : input.substring(from, to));
    }

    @Override
    public String toString() {
        return source;
    }
}

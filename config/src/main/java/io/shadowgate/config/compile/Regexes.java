package io.shadowgate.config.compile;

import io.shadowgate.config.match.CompiledRegex;
import java.util.HashMap;
import java.util.Map;

/**
 * The regexes of one snapshot compilation, each compiled once: the validation pass, every listener's route pass and
 * the matchers share one {@link CompiledRegex} per distinct source (and one verdict per invalid one), where each
 * regex used to be compiled four times (validate, then build the matcher, in both passes). Not thread-safe: one
 * compilation runs on one thread.
 */
final class Regexes {

    /** A {@link CompiledRegex}, or the {@link IllegalArgumentException} that says why the source is not RE2. */
    private final Map<String, Object> compiled = new HashMap<>();

    /**
     * The compiled {@code regex}.
     *
     * @throws IllegalArgumentException when it is not valid RE2, every time it is asked for
     */
    CompiledRegex compile(String regex) {
        Object c = compiled.computeIfAbsent(regex, r -> {
            try {
                return CompiledRegex.compile(r);
            } catch (IllegalArgumentException e) {
                return e;
            }
        });
        if (c instanceof IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return (CompiledRegex) c;
    }
}

package io.shadowgate.config.snapshot;

import java.util.List;

/**
 * Differences the comparison ignores on one VirtualService's routes, from its {@code shadowgate.io/compare-ignore}
 * annotation: known, intended changes of v2 that reload with the configuration (added to the command line's
 * {@code --compare-ignore-header} and {@code --compare-ignore-pointer}, never replacing them).
 *
 * @param headers  response header names (lower case; a trailing {@code *} makes a prefix rule)
 * @param pointers JSON pointers into the response body ({@code *} matches any array index or key)
 */
public record CompareIgnore(List<String> headers, List<String> pointers) {

    /** Nothing ignored beyond the gateway-wide rules. */
    public static final CompareIgnore NONE = new CompareIgnore(List.of(), List.of());

    public CompareIgnore {
        headers = List.copyOf(headers);
        pointers = List.copyOf(pointers);
    }

    /** Whether this adds nothing. */
    public boolean isEmpty() {
        return headers.isEmpty() && pointers.isEmpty();
    }
}

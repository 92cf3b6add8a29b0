package io.shadowgate.config.snapshot;

/**
 * The VirtualService rule a compiled route comes from.
 *
 * @param namespace  the VirtualService's namespace
 * @param name       the VirtualService's name
 * @param httpIndex  index in {@code spec.http}
 * @param matchIndex index in the rule's {@code match} list ({@code -1} for a rule without match)
 * @param delegate   {@code namespace/name} of the delegate VirtualService the rule came from, or {@code null}
 * @param file       the source file, or {@code null}
 * @param line       the line of the rule in that file, or 0
 * @param key        {@code namespace/name#httpIndex}, a stable key for metrics and reports; derived from the other
 *                   components once, at construction (the proxy reads it per request), so pass {@code null} or use
 *                   the constructor without it
 */
public record RouteOrigin(String namespace, String name, int httpIndex, int matchIndex, String delegate,
                          String file, int line, String key) {

    /**
     * @throws IllegalArgumentException when {@code key} is given and is not {@code namespace/name#httpIndex}
     */
    public RouteOrigin {
        String derived = namespace + "/" + name + "#" + httpIndex;
        if (key != null && !key.equals(derived)) {
            throw new IllegalArgumentException("route origin key " + key + " (expected: " + derived + ")");
        }
        key = derived;
    }

    /** The origin of a rule; {@link #key()} is derived. */
    public RouteOrigin(String namespace, String name, int httpIndex, int matchIndex, String delegate, String file,
                       int line) {
        this(namespace, name, httpIndex, matchIndex, delegate, file, line, null);
    }
}

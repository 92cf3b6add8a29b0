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
 */
public record RouteOrigin(String namespace, String name, int httpIndex, int matchIndex, String delegate,
                          String file, int line) {

    /** {@code namespace/name#httpIndex}, a stable key for metrics and reports. */
    public String key() {
        return namespace + "/" + name + "#" + httpIndex;
    }
}

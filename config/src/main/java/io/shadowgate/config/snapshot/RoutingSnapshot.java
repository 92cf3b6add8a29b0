package io.shadowgate.config.snapshot;

import io.shadowgate.config.diagnostics.Diagnostic;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the data path needs, compiled from one consistent set of resources. Immutable: a config change builds
 * a new snapshot and the proxy swaps it atomically; in-flight requests finish on the one they started with.
 *
 * @param version     a content hash of the resources ({@code sha256:} + 12 hex digits)
 * @param compiledAt  when it was compiled
 * @param sources     the files (or {@code built-in}) it was read from
 * @param listeners   the HTTP listeners
 * @param clusters    every cluster by name
 * @param diagnostics warnings kept from validation and compilation
 */
public record RoutingSnapshot(String version, Instant compiledAt, List<String> sources, List<ListenerConfig> listeners,
                              Map<String, ClusterConfig> clusters, List<Diagnostic> diagnostics) {
    public RoutingSnapshot {
        sources = List.copyOf(sources);
        listeners = List.copyOf(listeners);
        clusters = Map.copyOf(clusters);
        diagnostics = List.copyOf(diagnostics);
    }

    /** The listener bound to {@code port}, or {@code null}. */
    public ListenerConfig listener(int port) {
        for (ListenerConfig l : listeners) {
            if (l.port() == port) {
                return l;
            }
        }
        return null;
    }

    /** The cluster named {@code name}, or {@code null} (Envoy answers 503 {@code NC}). */
    public ClusterConfig cluster(String name) {
        return clusters.get(name);
    }
}

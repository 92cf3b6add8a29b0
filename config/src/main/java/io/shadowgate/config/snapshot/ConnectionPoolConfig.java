package io.shadowgate.config.snapshot;

import java.time.Duration;

/**
 * A compiled {@code connectionPool}: Envoy's circuit-breaker thresholds and connection settings.
 *
 * @param maxConnections           {@code tcp.maxConnections} (Envoy default 2^32-1, shown as
 *                                 {@link Integer#MAX_VALUE})
 * @param connectTimeout           {@code tcp.connectTimeout} (Istio default 10 s)
 * @param maxPendingRequests       {@code http.http1MaxPendingRequests} (Envoy default 2^32-1)
 * @param maxRequests              {@code http.http2MaxRequests} (Envoy default 2^32-1)
 * @param maxRequestsPerConnection {@code http.maxRequestsPerConnection}, 0 for unlimited
 * @param maxRetries               {@code http.maxRetries} (Envoy default 2^32-1 in Istio)
 * @param idleTimeout              {@code http.idleTimeout} (Envoy default 1 h)
 */
public record ConnectionPoolConfig(int maxConnections, Duration connectTimeout, int maxPendingRequests,
                                   int maxRequests, int maxRequestsPerConnection, int maxRetries,
                                   Duration idleTimeout) {

    /** Istio's defaults when no {@code connectionPool} is set. */
    public static final ConnectionPoolConfig DEFAULT = new ConnectionPoolConfig(Integer.MAX_VALUE,
            Duration.ofSeconds(10), Integer.MAX_VALUE, Integer.MAX_VALUE, 0, Integer.MAX_VALUE, Duration.ofHours(1));
}

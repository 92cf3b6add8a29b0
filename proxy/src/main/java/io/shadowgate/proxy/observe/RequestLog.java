package io.shadowgate.proxy.observe;

import java.time.Instant;
import java.util.Map;

/**
 * Everything known about one finished request, primary or mirror.
 *
 * @param startTime        when the request headers arrived
 * @param method           request method
 * @param path             the path as received (query included)
 * @param authority        the request's authority (for a mirror: as sent to the mirror)
 * @param protocol         {@code HTTP/1.1}
 * @param status           response status; 0 when none was received or sent
 * @param flags            Envoy response flags, {@code "-"} for none, comma-separated otherwise
 * @param bytesReceived    request body bytes received from the client
 * @param bytesSent        response body bytes sent to the client (for a mirror: received from the mirror)
 * @param durationNanos    from headers received to response complete
 * @param upstreamHost     {@code ip:port} of the upstream endpoint, or {@code null}
 * @param cluster          the cluster name, or {@code null}
 * @param routeName        the route name, or {@code null}
 * @param routeKey         {@code namespace/vs#index}, or {@code null}
 * @param requestId        {@code x-request-id}
 * @param traceId          the W3C trace id, or {@code null}
 * @param destinationHost  the destination service host, or {@code null}
 * @param destinationSubset the subset, or {@code null}
 * @param destinationLabels labels of the chosen endpoint ({@code version}) — empty when none
 * @param serviceNamespace the destination service's namespace, or {@code null}
 * @param mirror           whether this is a mirrored request
 * @param mirrorOutcome    for a mirror: {@code completed}, {@code timeout}, {@code connect_failure}, {@code reset},
 *                         {@code cancelled}, {@code dropped_*}, …; {@code null} for a primary
 * @param downstreamRemote the client's address
 * @param userAgent        the {@code user-agent}, or {@code null}
 */
public record RequestLog(Instant startTime, String method, String path, String authority, String protocol, int status,
                         String flags, long bytesReceived, long bytesSent, long durationNanos, String upstreamHost,
                         String cluster, String routeName, String routeKey, String requestId, String traceId,
                         String destinationHost, String destinationSubset, Map<String, String> destinationLabels,
                         String serviceNamespace, boolean mirror, String mirrorOutcome, String downstreamRemote,
                         String userAgent) {
}

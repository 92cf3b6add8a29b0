package io.shadowgate.proxy.observe;

/**
 * Envoy's response flags, as Istio puts them in logs and in the {@code response_flags} metric label.
 */
public enum ResponseFlag {
    /** No route matched: 404. */
    NR,
    /** The route's cluster does not exist: 503. */
    NC,
    /** No healthy upstream endpoint: 503. */
    UH,
    /** Upstream connection failure: 503. */
    UF,
    /** Upstream request timeout: 504. */
    UT,
    /** Upstream connection terminated before or during the response: 503 or a reset. */
    UC,
    /** Upstream overflow (circuit breaker): 503. */
    UO,
    /** Upstream retry limit exceeded. */
    URX,
    /** Upstream protocol error (malformed response): 502. */
    UPE,
    /** Request delayed by fault injection. */
    DI,
    /** Request aborted by fault injection. */
    FI,
    /** Downstream connection terminated before the response completed. */
    DC,
    /** Downstream protocol error (malformed request). */
    DPE,
    /** Request headers not received in time. */
    RTO,
    /** Local reply for a payload or header limit. */
    LR,
    /** Upstream reset (connection reset by peer) after headers. */
    UR,
    /** Stream idle timeout: the client stalled a request body or stopped reading the response (408 or a close). */
    SI
}

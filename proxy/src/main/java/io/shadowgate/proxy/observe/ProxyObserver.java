package io.shadowgate.proxy.observe;

/**
 * Receives the data path's events. Called on event loops: implementations must not block and must be thread-safe.
 * Every method has an empty default so an observer implements only what it needs.
 */
public interface ProxyObserver {

    /** No-op observer. */
    ProxyObserver NOOP = new ProxyObserver() {
    };

    /** A client request finished (response sent, or the exchange failed). */
    default void onRequest(RequestLog log) {
    }

    /** A mirrored request finished or was given up; {@code log.mirrorOutcome()} says how. */
    default void onMirror(RequestLog log) {
    }

    /**
     * A mirror was not sent at all (budget, method filter, unknown cluster); {@code reason} is a short token such
     * as {@code dropped_inflight}, {@code dropped_cpu}, {@code skipped_method}, {@code unknown_cluster}.
     */
    default void onMirrorSkipped(String cluster, String reason) {
    }

    /**
     * Both responses of a mirrored exchange on a route with comparison on. Called once per mirror destination.
     *
     * @param primary the primary's log (its status and timing)
     * @param mirror  the mirror's log
     * @param primaryResponse the captured primary response
     * @param mirrorResponse  the captured mirror response
     */
    default void onComparablePair(RequestLog primary, RequestLog mirror, CapturedResponse primaryResponse,
                                  CapturedResponse mirrorResponse) {
    }

    /**
     * Two answers of the primary's own version to the same request (the primary's, and a noise sample's): what
     * differs between them is noise for the comparison. Only with noise sampling switched on.
     */
    default void onNoiseSample(RequestLog primary, CapturedResponse first, CapturedResponse second) {
    }

    /** A downstream connection was opened ({@code +1}) or closed ({@code -1}) on a listener. */
    default void onConnection(int listenerPort, int delta) {
    }

    /**
     * A client request was refused before routing (malformed, too large, too slow, or HTTP/2, which is not served
     * yet): answered {@code status} and the connection closed. {@code reason} is a short token:
     * {@code http2_prior_knowledge}, {@code h2c_upgrade}, {@code malformed} or {@code timeout}.
     */
    default void onRequestRefused(int listenerPort, int status, String reason) {
    }

    /** A new routing snapshot took effect. */
    default void onSnapshot(String version) {
    }
}

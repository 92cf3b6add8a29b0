package io.shadowgate.proxy.observe;

/**
 * How a mirrored request ended. {@link #label()} is the value of {@code RequestLog.mirrorOutcome()}, of the
 * {@code mirror_outcome} metric label and of the access log field; {@link #flag()} the Envoy response flag the
 * mirror's log line carries.
 */
public enum MirrorOutcome {
    /** The mirror answered in full. */
    COMPLETED("completed", null),
    /** No answer within the mirror timeout. */
    TIMEOUT("timeout", ResponseFlag.UT),
    /** The mirror's connection could not be opened. */
    CONNECT_FAILURE("connect_failure", ResponseFlag.UF),
    /** The mirror cluster had no healthy endpoint. */
    NO_HEALTHY_UPSTREAM("no_healthy_upstream", ResponseFlag.UH),
    /** The connection closed before the response headers. */
    RESET("reset", ResponseFlag.UC),
    /** The connection closed after the response headers, before the end. */
    RESET_AFTER_HEADERS("reset_after_headers", ResponseFlag.UC),
    /** The mirror's response could not be parsed. */
    PROTOCOL_ERROR("protocol_error", ResponseFlag.UPE),
    /** The mirror's answer was longer than it is worth reading. */
    RESPONSE_TOO_LARGE("response_too_large", null),
    /** The client's request did not complete (it went away, was answered early or failed). */
    CANCELLED("cancelled", null),
    /** Over the per-request buffer budget. */
    DROPPED_BUFFER("dropped_buffer", null),
    /** Over the global buffer budget. */
    DROPPED_GLOBAL_BUFFER("dropped_global_buffer", null),
    /** The mirror cluster's connection pool overflowed. */
    DROPPED_OVERFLOW("dropped_overflow", ResponseFlag.UO);

    private final String label;
    private final ResponseFlag flag;

    MirrorOutcome(String label, ResponseFlag flag) {
        this.label = label;
        this.flag = flag;
    }

    /** The outcome as logs and metrics spell it ({@code dropped_buffer}). */
    public String label() {
        return label;
    }

    /** The response flag of a mirror that ended this way, or {@code null} for none. */
    public ResponseFlag flag() {
        return flag;
    }

    /** Whether the mirror was given up by the proxy's budgets or the client, not by the mirror itself. */
    public boolean droppedOrCancelled() {
        return this == CANCELLED || label.startsWith("dropped");
    }
}

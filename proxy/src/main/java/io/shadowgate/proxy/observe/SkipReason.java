package io.shadowgate.proxy.observe;

/**
 * Why a sampled mirror was never started. {@link #label()} is what {@link ProxyObserver#onMirrorSkipped} receives
 * (and the {@code reason} metric label).
 */
public enum SkipReason {
    /** The route's mirror options exclude the request's method. */
    SKIPPED_METHOD("skipped_method"),
    /** The mirror's cluster does not exist in the snapshot. */
    UNKNOWN_CLUSTER("unknown_cluster"),
    /** The event loop was over its CPU budget for mirrors. */
    DROPPED_CPU("dropped_cpu"),
    /** Too many mirrored requests in flight to the cluster. */
    DROPPED_INFLIGHT("dropped_inflight");

    private final String label;

    SkipReason(String label) {
        this.label = label;
    }

    /** The reason as metrics spell it ({@code dropped_cpu}). */
    public String label() {
        return label;
    }
}

package io.shadowgate.proxy.upstream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Resilience counters of one cluster, named after Envoy's cluster statistics so dashboards read the same. All are
 * monotonic totals since the cluster's runtime state was created. Thread-safe.
 */
public final class ClusterStats {

    /** {@code upstream_rq_retry}: retries started. */
    public final LongAdder retries = new LongAdder();
    /** {@code upstream_rq_retry_success}: retried requests whose final attempt was not retriable. */
    public final LongAdder retrySuccess = new LongAdder();
    /** {@code upstream_rq_retry_limit_exceeded}: a retriable failure with no attempt left (flag {@code URX}). */
    public final LongAdder retryLimitExceeded = new LongAdder();
    /** {@code upstream_rq_retry_overflow}: a retry refused by {@code maxRetries} (flag {@code UO}). */
    public final LongAdder retryOverflow = new LongAdder();
    /**
     * {@code retry_or_shadow_abandoned}: a request body outgrew the retry buffer ({@code retryBufferBytes} or the
     * global budget), so the request could no longer be retried.
     */
    public final LongAdder retryBufferOverflow = new LongAdder();
    /** Retriable failures not retried because the body could not be replayed. */
    public final LongAdder retrySkippedBody = new LongAdder();
    /** {@code upstream_cx_overflow}: {@code maxConnections} reached (the request then waits as pending). */
    public final LongAdder connectionOverflow = new LongAdder();
    /** {@code upstream_rq_pending_overflow}: {@code http1MaxPendingRequests} reached (503 {@code UO}). */
    public final LongAdder pendingOverflow = new LongAdder();
    /** Pending requests that waited {@code connectTimeout} without getting a connection (503 {@code UO}). */
    public final LongAdder pendingTimeout = new LongAdder();
    /** {@code upstream_rq_overflow}: {@code http2MaxRequests} reached (503 {@code UO}). */
    public final LongAdder requestOverflow = new LongAdder();
    /** {@code outlier_detection.ejections_enforced_total}. */
    public final LongAdder ejections = new LongAdder();
    /** {@code outlier_detection.ejections_overflow}: an ejection refused by {@code maxEjectionPercent}. */
    public final LongAdder ejectionsOverflow = new LongAdder();

    /** A snapshot of every counter by its Envoy-style name, for admin and metrics. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("upstream_rq_retry", retries.sum());
        m.put("upstream_rq_retry_success", retrySuccess.sum());
        m.put("upstream_rq_retry_limit_exceeded", retryLimitExceeded.sum());
        m.put("upstream_rq_retry_overflow", retryOverflow.sum());
        m.put("retry_or_shadow_abandoned", retryBufferOverflow.sum());
        m.put("upstream_rq_retry_skipped_body", retrySkippedBody.sum());
        m.put("upstream_cx_overflow", connectionOverflow.sum());
        m.put("upstream_rq_pending_overflow", pendingOverflow.sum());
        m.put("upstream_rq_pending_timeout", pendingTimeout.sum());
        m.put("upstream_rq_overflow", requestOverflow.sum());
        m.put("outlier_detection.ejections_enforced_total", ejections.sum());
        m.put("outlier_detection.ejections_overflow", ejectionsOverflow.sum());
        return m;
    }
}

package io.shadowgate.compare.report;

/**
 * Latency percentiles of one side, in milliseconds, from a fixed-size log-bucket histogram
 * (relative error at most about 6%). Immutable.
 *
 * @param count     number of latencies recorded (successful responses only)
 * @param p50Millis median
 * @param p95Millis 95th percentile
 * @param p99Millis 99th percentile
 */
public record LatencySummary(long count, double p50Millis, double p95Millis, double p99Millis) {

    /** No latencies recorded. */
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0);
}

package io.shadowgate.compare.stats;

import io.shadowgate.compare.capture.CapturedResponse;
import io.shadowgate.compare.report.LatencySummary;
import io.shadowgate.compare.report.SideReport;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers of one side in one group: status mix, errors, latency. Thread-safe; bounded (status keys
 * are 100..999 plus {@code failed}, the histogram is fixed-size).
 */
final class SideStats {

    static final String FAILED = "failed";

    private final ConcurrentHashMap<String, LongAdder> statusMix = new ConcurrentHashMap<>();
    private final LongAdder responses = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();

    void record(CapturedResponse r) {
        responses.increment();
        String key = r.isFailed() ? FAILED : Integer.toString(r.status());
        statusMix.computeIfAbsent(key, k -> new LongAdder()).increment();
        if (r.isFailed() || r.status() >= 500) {
            errors.increment();
        }
        if (!r.isFailed()) {
            // A failure's latency is the time until it gave up, not a response time.
            latency.record(r.latencyNanos());
        }
    }

    /** A copy of the latency histogram's counters. */
    long[] latencyCounts() {
        return latency.counts();
    }

    SideReport snapshot(String version) {
        Map<String, Long> mix = new HashMap<>();
        statusMix.forEach((k, v) -> mix.put(k, v.sum()));
        long n = responses.sum();
        long e = errors.sum();
        long count = latency.count();
        LatencySummary l = count == 0 ? LatencySummary.EMPTY : new LatencySummary(count,
                millis(latency.valueAtQuantile(0.50)), millis(latency.valueAtQuantile(0.95)),
                millis(latency.valueAtQuantile(0.99)));
        return new SideReport(version, n, mix, e, n == 0 ? 0 : (double) e / n, l);
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}

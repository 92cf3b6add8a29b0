package io.shadowgate.compare.stats;

import io.shadowgate.compare.verdict.VerdictState;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one route knows beyond its groups: its noise samples pooled over all its endpoints (a group with too few
 * samples of its own is judged on them, for the fields v1 was seen to vary), paired error counts, the latency of v1's
 * answers to samples, and the route's sticky verdict. Thread-safe; bounded ({@code maxFields} pooled field keys).
 */
final class RouteState {

    final String routeKey;
    final Instant created;
    final LongAdder samples = new LongAdder();
    final LongAdder compared = new LongAdder();
    final LatencyHistogram sampleLatency = new LatencyHistogram();
    final VerdictState verdict = new VerdictState();
    private final ConcurrentHashMap<String, LongAdder> primaryDiffers = new ConcurrentHashMap<>();
    private final AtomicInteger primaryFieldCount = new AtomicInteger();
    private final int maxFields;
    private long nextLook = GroupStats.FIRST_LOOK;

    RouteState(String routeKey, Instant created, int maxFields) {
        this.routeKey = routeKey;
        this.created = created;
        this.maxFields = maxFields;
    }

    /** Counts one noise sample in which two v1 answers differed at {@code fieldKey}. */
    void primaryDiffered(String fieldKey) {
        LongAdder n = primaryDiffers.get(fieldKey);
        if (n == null) {
            if (primaryFieldCount.get() >= maxFields) {
                return;
            }
            n = primaryDiffers.computeIfAbsent(fieldKey,
                    k -> primaryFieldCount.getAndIncrement() < maxFields ? new LongAdder() : null);
            if (n == null) {
                return;
            }
        }
        n.increment();
    }

    /** Noise samples of the route in which two v1 answers differed at {@code fieldKey}. */
    long primaryDiffers(String fieldKey) {
        LongAdder n = primaryDiffers.get(fieldKey);
        return n == null ? 0 : n.sum();
    }

    /** Whether the route's own look is due (at 20 exchanges, then every 10% more, at least 20). */
    synchronized boolean lookDue() {
        long n = compared.sum();
        if (n < nextLook) {
            return false;
        }
        nextLook = Math.max(n + GroupStats.FIRST_LOOK, (long) Math.ceil(n * 1.1));
        return true;
    }
}

package io.shadowgate.compare.stats;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size log-linear histogram of latencies in nanoseconds (HdrHistogram-like, much smaller).
 *
 * <p>Each power of two from 2<sup>10</sup> ns (about 1 µs) to 2<sup>37</sup> ns (about 137 s) is split
 * into {@value #SUB_BUCKETS} linear sub-buckets, so a percentile read from a bucket's midpoint is
 * within about 6% of the true value. Smaller values share the first bucket and larger ones the last.
 * Memory is constant: {@value #BUCKETS} counters (1.8 KB). Recording is lock-free
 * ({@link AtomicLongArray}); reading while recording gives a consistent-enough snapshot.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 3;
    /** Linear sub-buckets per power of two. */
    public static final int SUB_BUCKETS = 1 << SUB_BITS;
    private static final int MIN_EXP = 10;
    private static final int MAX_EXP = 37;
    /** Number of counters. */
    public static final int BUCKETS = 1 + (MAX_EXP - MIN_EXP + 1) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Records one latency; negative values count as zero. */
    public void record(long nanos) {
        counts.incrementAndGet(index(nanos));
    }

    /** Number of recorded values. */
    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /**
     * The value at quantile {@code q} (0 &lt; q &lt;= 1) in nanoseconds, as the midpoint of its bucket;
     * 0 when nothing was recorded.
     */
    public long valueAtQuantile(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1], got " + q);
        }
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            total += snapshot[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return (lowerBound(i) + upperBound(i)) / 2;
            }
        }
        return upperBound(BUCKETS - 1);
    }

    /** A copy of the counters, bucket by bucket (for rank tests and merging). */
    public long[] counts() {
        long[] out = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            out[i] = counts.get(i);
        }
        return out;
    }

    /**
     * The value, in nanoseconds, of the {@code rank}-th smallest latency (1-based, clamped to the data) in a copy of
     * the counters ({@link #counts()}), as its bucket's midpoint; 0 when empty.
     */
    public static long valueAtRank(long[] counts, long rank) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        long r = Math.max(1, Math.min(total, rank));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= r) {
                return (lowerBound(i) + upperBound(i)) / 2;
            }
        }
        return upperBound(BUCKETS - 1);
    }

    static int index(long nanos) {
        if (nanos < (1L << MIN_EXP)) {
            return 0;
        }
        int exp = 63 - Long.numberOfLeadingZeros(nanos);
        if (exp > MAX_EXP) {
            return BUCKETS - 1;
        }
        int sub = (int) ((nanos >>> (exp - SUB_BITS)) & (SUB_BUCKETS - 1));
        return 1 + (exp - MIN_EXP) * SUB_BUCKETS + sub;
    }

    static long lowerBound(int index) {
        if (index == 0) {
            return 0;
        }
        int exp = MIN_EXP + (index - 1) / SUB_BUCKETS;
        int sub = (index - 1) % SUB_BUCKETS;
        return (1L << exp) + ((long) sub << (exp - SUB_BITS));
    }

    static long upperBound(int index) {
        return index == BUCKETS - 1 ? 1L << (MAX_EXP + 1) : lowerBound(index + 1);
    }
}

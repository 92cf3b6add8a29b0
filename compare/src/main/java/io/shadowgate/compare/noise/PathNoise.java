package io.shadowgate.compare.noise;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Noise evidence for one location (a field path such as {@code $.generatedAt} or a header) within
 * one comparison group.
 *
 * <p>Thread-safe: counters are atomics, the small ring of recent primary values is guarded by this
 * object's monitor. Memory per instance is constant ({@value #RECENT_VALUES} recent value hashes).
 * Status is recomputed from the counters on demand, so evidence gathered later also reclassifies
 * earlier comparisons when the report is built.
 */
public final class PathNoise {

    /** How many recent primary values are remembered to tell "changes on every request". */
    public static final int RECENT_VALUES = 16;

    private final String path;
    private final long firstSeenAt;
    private final boolean neverNoise;
    private final AtomicLong differingExchanges = new AtomicLong();
    private final AtomicLong unrelatedDifferences = new AtomicLong();
    private final AtomicLong sampleHits = new AtomicLong();
    private final int[] recent = new int[RECENT_VALUES];
    private int recentCount;
    private int recentNext;
    private volatile ValueShape lastShape = ValueShape.OTHER;

    /**
     * @param path        the location, for reasons
     * @param firstSeenAt the group's comparison count when the location was first tracked; the
     *                    observations of this location are the comparisons since then
     * @param neverNoise  for locations that must never be treated as noise (status, mirror failure)
     */
    public PathNoise(String path, long firstSeenAt, boolean neverNoise) {
        this.path = path;
        this.firstSeenAt = firstSeenAt;
        this.neverNoise = neverNoise;
    }

    /** The location. */
    public String path() {
        return path;
    }

    /** Records that two answers of the same version differed here. */
    public void markLearnedFromSample() {
        sampleHits.incrementAndGet();
    }

    /**
     * Records one exchange in which the location differed between primary and mirror.
     *
     * @param primaryRaw the primary's scalar value (or {@code null} when not a scalar value change)
     * @param mirrorRaw  the mirror's scalar value (or {@code null})
     */
    public void recordDifference(String primaryRaw, String mirrorRaw) {
        differingExchanges.incrementAndGet();
        if (primaryRaw == null || mirrorRaw == null) {
            return;
        }
        boolean fresh = rememberPrimary(primaryRaw);
        if (fresh && ValueShape.looksUnrelated(primaryRaw, mirrorRaw)) {
            unrelatedDifferences.incrementAndGet();
            lastShape = ValueShape.classify(primaryRaw);
        }
    }

    /** Whether the value was not among the recent primary values; remembers it either way. */
    private synchronized boolean rememberPrimary(String value) {
        int h = value.hashCode();
        for (int i = 0; i < recentCount; i++) {
            if (recent[i] == h) {
                return false;
            }
        }
        recent[recentNext] = h;
        recentNext = (recentNext + 1) % RECENT_VALUES;
        recentCount = Math.min(recentCount + 1, RECENT_VALUES);
        return true;
    }

    /** Number of exchanges in which the location differed between primary and mirror. */
    public long differingExchanges() {
        return differingExchanges.get();
    }

    /** Number of noise samples in which the two primary answers differed here. */
    public long sampleHits() {
        return sampleHits.get();
    }

    /**
     * Current status.
     *
     * @param comparedNow the group's comparison count now
     * @param policy      thresholds
     */
    public NoiseStatus status(long comparedNow, NoisePolicy policy) {
        if (neverNoise) {
            return NoiseStatus.NOT_NOISE;
        }
        long hits = sampleHits.get();
        if (policy.learnFromSamples() && hits > 0) {
            return new NoiseStatus(true, "learned: differs between two answers of the primary version"
                    + (hits == 1 ? "" : " in " + hits + " samples"));
        }
        if (!policy.statisticalDetection()) {
            return NoiseStatus.NOT_NOISE;
        }
        long observations = comparedNow - firstSeenAt + 1;
        long differing = differingExchanges.get();
        long unrelated = unrelatedDifferences.get();
        if (observations < policy.minObservations() || differing == 0) {
            return NoiseStatus.NOT_NOISE;
        }
        double differingRatio = Math.min(1.0, (double) differing / observations);
        double unrelatedRatio = (double) unrelated / differing;
        if (differingRatio >= policy.minDifferenceRatio() && unrelatedRatio >= policy.minUnrelatedRatio()) {
            return new NoiseStatus(true, String.format(Locale.ROOT,
                    "likely noise: differs on %.0f%% of %d requests with unrelated %s values",
                    differingRatio * 100, observations, shapeName(lastShape)));
        }
        return NoiseStatus.NOT_NOISE;
    }

    private static String shapeName(ValueShape s) {
        return switch (s) {
            case ISO_TIMESTAMP, HTTP_DATE, EPOCH_MILLIS, EPOCH_SECONDS -> "timestamp";
            case UUID -> "UUID";
            case HEX_ID -> "hex id";
            case OPAQUE_TOKEN -> "token";
            case OTHER -> "generated";
        };
    }
}

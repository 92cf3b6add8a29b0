package io.shadowgate.compare.noise;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Noise evidence for one location (a field path such as {@code $.generatedAt} or a header) within
 * one comparison group.
 *
 * <p>Evidence starts when the location first differs (that is when the group starts tracking it).
 * From then on every compared exchange in which the location was present on both sides is an
 * <em>observation</em> — whether it differed ({@link #recordDifference}) or happened to be equal
 * ({@link #recordEqual}, e.g. two timestamps taken in the same millisecond). Exchanges in which the
 * location was absent on a side (an error body, a failed mirror, a body that was not compared) say
 * nothing about it and are not observations.
 *
 * <p>Thread-safe: counters are atomics, the small rings of recent values are guarded by this
 * object's monitor. Memory per instance is constant ({@value #RECENT_VALUES} recent value hashes
 * per side). Status is recomputed from the counters on demand, so evidence gathered later also
 * reclassifies earlier comparisons when the report is built.
 */
public final class PathNoise {

    /** How many recent values of each side are remembered to tell "changes on every request". */
    public static final int RECENT_VALUES = 16;

    private final String path;
    private final boolean neverNoise;
    private final AtomicLong observations = new AtomicLong();
    private final AtomicLong differingExchanges = new AtomicLong();
    private final AtomicLong unrelatedDifferences = new AtomicLong();
    /** Differences whose two values look generated in the same format, fresh or not (see {@link #generatedKind}). */
    private final AtomicLong generatedDifferences = new AtomicLong();
    private final AtomicLong sampleHits = new AtomicLong();
    private final RecentValues recentPrimary = new RecentValues();
    private final RecentValues recentMirror = new RecentValues();
    private volatile ValueShape lastShape = ValueShape.OTHER;

    /**
     * @param path       the location, for reasons
     * @param neverNoise for locations that must never be treated as noise (status, mirror failure)
     */
    public PathNoise(String path, boolean neverNoise) {
        this.path = path;
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
     * Records one exchange in which the location differed between primary and mirror (one
     * observation).
     *
     * <p>The difference looks like generation noise ("unrelated") when both values are scalars with
     * a generated shape in the same format ({@link ValueShape#looksUnrelated}) and neither value was
     * among the recent values of its side: a value that repeats — a constant that changed, a
     * consistently different id, a mirror stuck on one value — is a real difference.
     *
     * @param primaryRaw the primary's scalar value (or {@code null} when not a scalar value change)
     * @param mirrorRaw  the mirror's scalar value (or {@code null})
     */
    public void recordDifference(String primaryRaw, String mirrorRaw) {
        observations.incrementAndGet();
        differingExchanges.incrementAndGet();
        if (primaryRaw == null || mirrorRaw == null) {
            return;
        }
        // Remember both sides whatever happens, so that a repeat is recognised next time.
        boolean freshPrimary = recentPrimary.remember(primaryRaw);
        boolean freshMirror = recentMirror.remember(mirrorRaw);
        if (ValueShape.looksUnrelated(primaryRaw, mirrorRaw)) {
            generatedDifferences.incrementAndGet();
            lastShape = ValueShape.classify(primaryRaw);
            if (freshPrimary && freshMirror) {
                unrelatedDifferences.incrementAndGet();
            }
        }
    }

    /**
     * Records one exchange in which the location was present on both sides with equal values (one
     * observation that did not differ).
     */
    public void recordEqual() {
        observations.incrementAndGet();
    }

    /** Exchanges in which the location was present on both sides since it was first tracked. */
    public long observations() {
        return observations.get();
    }

    /** Number of exchanges in which the location differed between primary and mirror. */
    public long differingExchanges() {
        return differingExchanges.get();
    }

    /**
     * Whether the differences so far mostly look like independently generated values (at least
     * {@link NoisePolicy#minUnrelatedRatio()} of them): such a location is never a sure finding on shapes alone, even
     * while it differs too rarely to be called noise.
     */
    public boolean mostlyUnrelated(NoisePolicy policy) {
        long unrelated = unrelatedDifferences.get();
        long differing = differingExchanges.get();
        return differing > 0 && (double) Math.min(unrelated, differing) / differing >= policy.minUnrelatedRatio();
    }

    /**
     * The kind of generated value ({@code timestamp}, {@code UUID}, ...) the differences here mostly are — generated
     * on each side, in the same format, timestamps less than {@link ValueShape#MAX_TIMESTAMP_SKEW} apart — or
     * {@code null} when fewer than five differed or they do not mostly look generated.
     */
    public String generatedKind(NoisePolicy policy) {
        long generated = generatedDifferences.get();
        long differing = differingExchanges.get();
        // Freshness is not asked here: under load several requests share a millisecond, so a timestamp repeats; the
        // caller only asks where two v1 answers are known to differ too.
        return differing >= 5 && (double) Math.min(generated, differing) / differing >= policy.minUnrelatedRatio()
                ? shapeName(lastShape) : null;
    }

    /** Number of noise samples in which the two primary answers differed here. */
    public long sampleHits() {
        return sampleHits.get();
    }

    /**
     * Current status: learned noise, statistically likely noise (at least
     * {@link NoisePolicy#minObservations()} observations, differing in at least
     * {@link NoisePolicy#minDifferenceRatio()} of them, and at least
     * {@link NoisePolicy#minUnrelatedRatio()} of those differences unrelated), or not noise.
     *
     * @param policy thresholds
     */
    public NoiseStatus status(NoisePolicy policy) {
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
        // Read the differences before the observations: a concurrent record can only make the
        // observations larger than the differences read, never smaller.
        long unrelated = unrelatedDifferences.get();
        long differing = differingExchanges.get();
        long observed = Math.max(observations.get(), differing);
        if (observed < policy.minObservations() || differing == 0) {
            return NoiseStatus.NOT_NOISE;
        }
        double differingRatio = (double) differing / observed;
        double unrelatedRatio = (double) Math.min(unrelated, differing) / differing;
        if (differingRatio >= policy.minDifferenceRatio() && unrelatedRatio >= policy.minUnrelatedRatio()) {
            return new NoiseStatus(true, String.format(Locale.ROOT,
                    "likely noise: differs on %.0f%% of %d requests with unrelated %s values",
                    Math.floor(differingRatio * 100), observed, shapeName(lastShape)));
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

    /** A small ring of recent value hashes of one side. */
    private static final class RecentValues {
        private final int[] hashes = new int[RECENT_VALUES];
        private int count;
        private int next;

        /** Whether the value was not among the recent values; remembers it either way. */
        synchronized boolean remember(String value) {
            int h = value.hashCode();
            boolean fresh = true;
            for (int i = 0; i < count; i++) {
                if (hashes[i] == h) {
                    fresh = false;
                    break;
                }
            }
            if (fresh) {
                hashes[next] = h;
                next = (next + 1) % RECENT_VALUES;
                count = Math.min(count + 1, RECENT_VALUES);
            }
            return fresh;
        }
    }
}

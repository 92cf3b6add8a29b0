package io.shadowgate.compare.noise;

/**
 * Thresholds for detecting noise statistically.
 *
 * <p>A location is "likely noise" when it was observed in at least {@code minObservations}
 * comparisons since it first differed, it differed in at least {@code minDifferenceRatio} of them,
 * and at least {@code minUnrelatedRatio} of its differences had values that look unrelated
 * ({@link ValueShape#looksUnrelated(String, String)}) with a primary value not seen on the recent
 * requests of the group (the value changes on every request). Immutable.
 *
 * @param statisticalDetection whether statistical detection runs at all
 * @param learnFromSamples     whether differences between two primary answers mark noise
 * @param minObservations      observations needed before a location can be called noise (default 20)
 * @param minDifferenceRatio   share of observations in which it must differ (default 0.9)
 * @param minUnrelatedRatio    share of its differences whose values must look unrelated (default 0.9)
 */
public record NoisePolicy(
        boolean statisticalDetection,
        boolean learnFromSamples,
        int minObservations,
        double minDifferenceRatio,
        double minUnrelatedRatio) {

    /** Default minimum number of observations. */
    public static final int DEFAULT_MIN_OBSERVATIONS = 20;
    /** Default share of observations that must differ. */
    public static final double DEFAULT_MIN_DIFFERENCE_RATIO = 0.9;
    /** Default share of differences that must look unrelated. */
    public static final double DEFAULT_MIN_UNRELATED_RATIO = 0.9;

    /** The defaults: both learning modes on, 90% of at least 20 observations. */
    public static final NoisePolicy DEFAULTS = new NoisePolicy(true, true, DEFAULT_MIN_OBSERVATIONS,
            DEFAULT_MIN_DIFFERENCE_RATIO, DEFAULT_MIN_UNRELATED_RATIO);

    public NoisePolicy {
        if (minObservations < 1) {
            throw new IllegalArgumentException("minObservations must be >= 1, got " + minObservations);
        }
        if (!(minDifferenceRatio > 0 && minDifferenceRatio <= 1)) {
            throw new IllegalArgumentException("minDifferenceRatio must be in (0, 1], got " + minDifferenceRatio);
        }
        if (!(minUnrelatedRatio > 0 && minUnrelatedRatio <= 1)) {
            throw new IllegalArgumentException("minUnrelatedRatio must be in (0, 1], got " + minUnrelatedRatio);
        }
    }
}

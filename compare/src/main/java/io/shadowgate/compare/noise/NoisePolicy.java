package io.shadowgate.compare.noise;

/**
 * Thresholds for detecting noise statistically.
 *
 * <p>A location is "likely noise" when, since it first differed, it was observed (present on both
 * sides, equal or not) in at least {@code minObservations} comparisons, it differed in at least
 * {@code minDifferenceRatio} of them, and at least {@code minUnrelatedRatio} of its differences had
 * values that look unrelated ({@link ValueShape#looksUnrelated(String, String)}: generated shape,
 * same format) with neither side's value seen on the recent requests of the group (the value changes
 * on every request). See {@link PathNoise}. Immutable.
 *
 * @param statisticalDetection whether statistical detection runs at all
 * @param learnFromSamples     whether differences between two primary answers mark noise
 * @param minObservations      observations (exchanges with the location on both sides) needed before a
 *                             location can be called noise (default 20)
 * @param minDifferenceRatio   share of observations in which it must differ (default 0.5: timestamps taken
 *                             within the same clock tick are equal, so generated values do not differ every time)
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
    public static final double DEFAULT_MIN_DIFFERENCE_RATIO = 0.5;
    /** Default share of differences that must look unrelated. */
    public static final double DEFAULT_MIN_UNRELATED_RATIO = 0.9;

    /** The defaults: both learning modes on, differing in half of at least 20 observations, 90% unrelated. */
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

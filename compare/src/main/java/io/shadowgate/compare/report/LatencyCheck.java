package io.shadowgate.compare.report;

/**
 * Is v2 slower? v2's latencies (as a mirror) against a baseline: v1's answers to the noise samples, which travel
 * the same mirror path at the same moments, when there are enough, else v1's answers to users. Immutable.
 *
 * @param baseline           {@code "v1 samples"} or {@code "v1"}
 * @param baselineCount      baseline latencies
 * @param mirrorCount        v2 latencies
 * @param baselineP50Millis  baseline median
 * @param mirrorP50Millis    v2 median
 * @param baselineP95Millis  baseline 95th percentile
 * @param mirrorP95Millis    v2 95th percentile
 * @param probabilityHigher  P(a v2 latency is higher than a baseline one), ties half: 0.5 is no shift
 * @param pValue             one-sided Mann–Whitney test that v2 is slower
 * @param regression         whether the shift is significant and beyond the tolerance (median or p95)
 * @param summary            e.g. {@code p95 2.1 ms → 46 ms (p50 1.0 ms → 41 ms)}
 */
public record LatencyCheck(String baseline, long baselineCount, long mirrorCount, double baselineP50Millis,
        double mirrorP50Millis, double baselineP95Millis, double mirrorP95Millis, double probabilityHigher,
        double pValue, boolean regression, String summary) {
}

package io.shadowgate.compare.settings;

import java.time.Duration;
import java.util.Objects;

/**
 * How the verdict weighs evidence: the statistics' thresholds and the minimum data before {@code PASS}. Global (the
 * per-route knobs are {@link RouteSettings#maxDifferenceRate()} and {@link RouteSettings#minComparisons()}).
 * Immutable; see {@code docs/compare.md} ("Verdict") for what each one does.
 *
 * @param falseDiscoveryRate   q of the Benjamini–Hochberg correction over every field test of the engine: a field is a
 *                             real difference only when its adjusted p-value is at most q (default 0.001: a FAIL is
 *                             sticky, so it must rest on strong evidence at every look)
 * @param minDifferences       a field differing in fewer exchanges is never a real difference (default 3)
 * @param relativeEffect       besides {@code maxDifferenceRate}, a field must differ more often than v1 differs from
 *                             itself by this share of v1's own rate (default 0.05) before it is real, so that a
 *                             noisy field's tiny systematic gap is not a finding
 * @param noiseTolerance       a field differs "as often" as between two v1 answers when v2's rate is at most v1's
 *                             own rate × (1 + this) + {@code maxDifferenceRate} (default 0.25)
 * @param minGroupSamples      noise samples a group needs to be judged on its own samples; below, a field v1 was
 *                             seen to vary elsewhere on the route is judged on the route's samples (default 20)
 * @param minNoiseSamples      noise samples a route needs before {@code PASS}, when it receives samples at all
 *                             (default 100)
 * @param minDuration          time since a route's (group's) first comparison before {@code PASS} (default 60 s)
 * @param maxErrorRateIncrease how much higher v2's error rate (5xx, failures) may be than v1's on the same requests
 *                             (default 0.005 = half a percentage point)
 * @param latencyTolerance     absolute latency increase tolerated at the median and at p95 (default 5 ms)
 * @param latencyRelativeTolerance relative latency increase tolerated, of the baseline (default 0.25)
 * @param minLatencySamples    latencies per side before latency is judged (default 50)
 */
public record VerdictPolicy(double falseDiscoveryRate, long minDifferences, double relativeEffect,
        double noiseTolerance, long minGroupSamples, long minNoiseSamples, Duration minDuration,
        double maxErrorRateIncrease, Duration latencyTolerance, double latencyRelativeTolerance,
        long minLatencySamples) {

    /** The defaults. */
    public static final VerdictPolicy DEFAULTS = new VerdictPolicy(0.001, 3, 0.05, 0.25, 20, 100,
            Duration.ofSeconds(60), 0.005, Duration.ofMillis(5), 0.25, 50);

    public VerdictPolicy {
        Objects.requireNonNull(minDuration, "minDuration");
        Objects.requireNonNull(latencyTolerance, "latencyTolerance");
        if (!(falseDiscoveryRate > 0 && falseDiscoveryRate < 1)) {
            throw new IllegalArgumentException("falseDiscoveryRate must be in (0, 1), got " + falseDiscoveryRate);
        }
        if (minDifferences < 1 || minGroupSamples < 1 || minNoiseSamples < 0 || minLatencySamples < 2) {
            throw new IllegalArgumentException("minDifferences and minGroupSamples must be >= 1, minNoiseSamples >= 0, "
                    + "minLatencySamples >= 2; got " + minDifferences + ", " + minGroupSamples + ", " + minNoiseSamples
                    + ", " + minLatencySamples);
        }
        if (relativeEffect < 0 || noiseTolerance < 0 || latencyRelativeTolerance < 0 || !(maxErrorRateIncrease >= 0
                && maxErrorRateIncrease <= 1)) {
            throw new IllegalArgumentException("tolerances must be >= 0 (maxErrorRateIncrease at most 1), got "
                    + relativeEffect + ", " + noiseTolerance + ", " + latencyRelativeTolerance + ", "
                    + maxErrorRateIncrease);
        }
        if (minDuration.isNegative() || latencyTolerance.isNegative()) {
            throw new IllegalArgumentException("durations must be >= 0, got " + minDuration + ", " + latencyTolerance);
        }
    }

    /** These settings with another minimum duration before PASS (0 for replays and tests driven by counts). */
    public VerdictPolicy withMinDuration(Duration d) {
        return new VerdictPolicy(falseDiscoveryRate, minDifferences, relativeEffect, noiseTolerance, minGroupSamples,
                minNoiseSamples, d, maxErrorRateIncrease, latencyTolerance, latencyRelativeTolerance,
                minLatencySamples);
    }

    /** These settings with another minimum of noise samples before PASS. */
    public VerdictPolicy withMinNoiseSamples(long n) {
        return new VerdictPolicy(falseDiscoveryRate, minDifferences, relativeEffect, noiseTolerance, minGroupSamples,
                n, minDuration, maxErrorRateIncrease, latencyTolerance, latencyRelativeTolerance, minLatencySamples);
    }
}

package io.shadowgate.proxy.options;

/**
 * What is kept of responses for comparison.
 *
 * @param compareByDefault   whether mirrored exchanges are compared when the route does not say
 * @param maxBodyBytes       bytes of each response body kept for comparison
 * @param noiseSamplePercent share of compared safe requests (GET, HEAD, OPTIONS unless the route says otherwise)
 *                           also sent a second time to the primary's own version once that destination has had
 *                           {@code noiseSampleLearning} samples (all of them before), so that what differs between two
 *                           answers of one version is the noise v2 is judged against (Diffy's primary/secondary); 0
 *                           turns samples off, the library default (the gateway's command line turns them on:
 *                           {@code --compare-noise-samples 15})
 * @param noiseSampleLearning samples per primary destination sent at 100% before the share drops to
 *                           {@code noiseSamplePercent} (default 1,000)
 * @param noiseSamplesPerSecond cap on the extra load samples put on each primary destination, in requests per
 *                           second (bursts of one second's worth; default 25; 0 turns samples off); a route may set its
 *                           own with {@code shadowgate.io/noise-samples-per-second}
 */
public record CaptureOptions(boolean compareByDefault, int maxBodyBytes, double noiseSamplePercent,
                             long noiseSampleLearning, double noiseSamplesPerSecond) {
}

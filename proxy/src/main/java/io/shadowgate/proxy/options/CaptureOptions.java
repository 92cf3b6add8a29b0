package io.shadowgate.proxy.options;

/**
 * What is kept of responses for comparison.
 *
 * @param compareByDefault   whether mirrored exchanges are compared when the route does not say
 * @param maxBodyBytes       bytes of each response body kept for comparison
 * @param noiseSamplePercent share of compared GET/HEAD requests also sent a second time to the primary's own
 *                           version, so differences between two answers of one version are learnt as noise (Diffy's
 *                           way); 0 turns it off (the default)
 */
public record CaptureOptions(boolean compareByDefault, int maxBodyBytes, double noiseSamplePercent) {
}

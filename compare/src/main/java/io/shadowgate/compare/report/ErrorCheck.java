package io.shadowgate.compare.report;

/**
 * Does v2 fail more often than v1 on the same requests? Errors are 5xx answers and answers that never arrived
 * (timeouts, resets, refused connections). Immutable.
 *
 * @param pairs              exchanges in which both sides were seen
 * @param mirrorErrors       of those, v2's errors
 * @param primaryErrors      of those, v1's errors
 * @param mirrorRate         v2's error rate
 * @param mirrorRateLow      Wilson 95% interval of v2's rate, low end
 * @param mirrorRateHigh     high end
 * @param primaryRate        v1's error rate
 * @param primaryRateLow     Wilson 95% interval of v1's rate, low end
 * @param primaryRateHigh    high end
 * @param mirrorOnly         requests on which only v2 failed
 * @param primaryOnly        requests on which only v1 failed
 * @param pValue             exact one-sided McNemar test on those discordant requests
 * @param regression         whether the rise is significant and larger than the tolerated increase
 * @param summary            e.g. {@code errors 5.1% [4.0–6.4%] vs v1 0.2% [0.1–0.6%]}
 */
public record ErrorCheck(long pairs, long mirrorErrors, long primaryErrors, double mirrorRate, double mirrorRateLow,
        double mirrorRateHigh, double primaryRate, double primaryRateLow, double primaryRateHigh, long mirrorOnly,
        long primaryOnly, double pValue, boolean regression, String summary) {
}

package io.shadowgate.config.snapshot;

/**
 * One mirror of a forward route, as Istio emits a {@code RequestMirrorPolicy}: a cluster and a fraction.
 *
 * <p>The fraction is {@code numerator/denominator} with denominator 100 ({@code mirrorPercent}, or an absent
 * percentage) or 1,000,000 ({@code uint32(value*10000)}, truncated). A policy with percentage &lt;= 0 is never
 * compiled.
 *
 * @param cluster     {@code outbound|port|subset|fqdn}
 * @param host        the mirror destination's fully qualified host
 * @param subset      the subset, or {@code null}
 * @param port        the resolved port
 * @param numerator   requests mirrored per {@code denominator}
 * @param denominator 100 or 1,000,000
 */
public record MirrorPolicy(String cluster, String host, String subset, int port, int numerator, int denominator) {

    /**
     * Envoy's {@code featureEnabled} with the request's random value: {@code random % denominator < numerator}.
     * All policies of a request share the value, so a request mirrored at 10% is also mirrored at 20%.
     */
    public boolean sampled(long random) {
        return Long.remainderUnsigned(random, denominator) < numerator;
    }

    /** The percentage this policy mirrors, for humans. */
    public double percent() {
        return numerator * 100.0 / denominator;
    }
}

package io.shadowgate.config.snapshot;

import java.time.Duration;

/**
 * A compiled {@code loadBalancer} setting.
 *
 * @param simple {@code LEAST_REQUEST} (Istio's default), {@code ROUND_ROBIN}, {@code RANDOM}, {@code PASSTHROUGH};
 *               ignored when {@code hash} is set ({@code LEAST_CONN} compiles to {@code LEAST_REQUEST})
 * @param hash   consistent hashing, or {@code null}
 */
public record LoadBalancerConfig(String simple, HashPolicy hash) {

    /** Istio's default: least request. */
    public static final LoadBalancerConfig DEFAULT = new LoadBalancerConfig("LEAST_REQUEST", null);

    /**
     * Istio {@code consistentHash}.
     *
     * @param source       {@code header}, {@code cookie}, {@code sourceIp} or {@code query}
     * @param name         header (lower case), cookie or query parameter name; {@code null} for source IP
     * @param cookiePath   the cookie's {@code path}, or {@code null}
     * @param cookieTtl    the cookie's {@code ttl}: when set and the cookie is absent, the proxy generates one and
     *                     sets it on the response so the client sticks to one endpoint; {@code null} when unset
     * @param maglev       whether Maglev was chosen (else ring hash)
     * @param tableSize    ring minimum size or Maglev table size
     */
    public record HashPolicy(String source, String name, String cookiePath, Duration cookieTtl, boolean maglev,
                             long tableSize) {
    }
}

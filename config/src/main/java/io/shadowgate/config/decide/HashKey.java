package io.shadowgate.config.decide;

import io.shadowgate.config.snapshot.LoadBalancerConfig;
import io.shadowgate.config.snapshot.RequestView;

/**
 * The key a request hashes on for a consistent-hash load balancer (Envoy's {@code Filter::computeHashKey}).
 *
 * @param value     the key: the header, query parameter, cookie or source address, or the generated cookie value
 * @param hash      {@link Hashing#hash64(String)} of {@code value}, the point looked up on the ring or Maglev table
 * @param setCookie the {@code Set-Cookie} value to add to the response when the cookie was absent and generated
 *                  (a cookie policy with a {@code ttl}); {@code null} otherwise
 */
public record HashKey(String value, long hash, String setCookie) {

    /**
     * The key of {@code request} under {@code lb}'s hash policy, or {@code null} when the policy is not consistent
     * hashing or the request lacks the key (then the proxy picks without a hash).
     */
    public static HashKey of(LoadBalancerConfig lb, RequestView request) {
        if (lb == null || lb.hash() == null) {
            return null;
        }
        LoadBalancerConfig.HashPolicy p = lb.hash();
        String key = switch (p.source()) {
            case "header" -> request.header(p.name());
            case "query" -> request.queryParam(p.name());
            case "sourceIp" -> request.remoteAddress();
            case "cookie" -> request.cookie(p.name());
            default -> null;
        };
        String setCookie = null;
        if (key == null && "cookie".equals(p.source()) && p.cookieTtl() != null) {
            // Envoy generates the cookie when it is missing and a ttl is set, so the client sticks from now on
            // (Router::Filter::addDownstreamSetCookie): the value is seeded by the connection, so every request of one
            // connection gets the same one; it goes on the response only (Utility::makeSetCookieValue: quoted value,
            // Max-Age unless the ttl is 0, Path only when configured, HttpOnly), never on the upstream request.
            key = String.format("%016x", Hashing.hash64(request.remoteAddress() + ":" + request.remotePort() + "|"
                    + request.listenerPort()));
            StringBuilder c = new StringBuilder(p.name()).append("=\"").append(key).append('"');
            if (!p.cookieTtl().isZero()) {
                c.append("; Max-Age=").append(p.cookieTtl().toSeconds());
            }
            if (p.cookiePath() != null && !p.cookiePath().isEmpty()) {
                c.append("; Path=").append(p.cookiePath());
            }
            setCookie = c.append("; HttpOnly").toString();
        }
        return key == null ? null : new HashKey(key, Hashing.hash64(key), setCookie);
    }
}

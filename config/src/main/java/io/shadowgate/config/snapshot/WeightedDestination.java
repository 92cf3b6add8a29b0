package io.shadowgate.config.snapshot;

/**
 * One destination of a forward route with its effective header operations.
 *
 * <p>The compiler resolves Envoy's precedence rules once, so the proxy applies {@code requestHeaders} and
 * {@code responseHeaders} as given: for a single destination the route-level operations come first and the
 * destination's after (a destination {@code set} wins); for weighted destinations the destination's come first and
 * the route's after (a route {@code set} wins).
 *
 * @param cluster          the cluster name {@code outbound|port|subset|fqdn}
 * @param host             the destination's fully qualified host
 * @param subset           the subset name, or {@code null}
 * @param port             the resolved service port
 * @param weight           the weight (meaningful only among several destinations)
 * @param requestHeaders   request header operations in application order
 * @param responseHeaders  response header operations in application order
 * @param hostRewrite      the effective authority rewrite ({@code rewrite.authority} or a header-op authority), or
 *                         {@code null}
 */
public record WeightedDestination(String cluster, String host, String subset, int port, int weight,
                                  HeaderOps requestHeaders, HeaderOps responseHeaders, String hostRewrite) {
}

package io.shadowgate.config.snapshot;

/**
 * One compiled route: one {@code (HTTPRoute, HTTPMatchRequest)} pair of a VirtualService, as Istio emits one Envoy
 * route per pair.
 *
 * @param name      Envoy route name: {@code http.name + "." + match.name}, or whichever of the two is set, or
 *                  {@code null}
 * @param origin    where it came from, for logs, metrics and {@code explain}
 * @param matcher   the AND of the match block's conditions ({@link RequestMatcher#ANY} for a rule without match)
 * @param action    what to do with a matching request
 * @param cors      the route's CORS policy, or {@code null}
 */
public record RouteConfig(String name, RouteOrigin origin, RequestMatcher matcher, RouteAction action,
                          CorsConfig cors) {
}

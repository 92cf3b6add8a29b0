package io.shadowgate.config.snapshot;

import java.util.List;

/**
 * One Envoy virtual host: the domains it answers for and its routes in first-match order.
 *
 * @param name    {@code <host>:<port>} as Istio names it, for logs and {@code config_dump}
 * @param domains lower-case domains, exact or wildcard; ports are never part of them
 * @param routes  routes in order; the first whose matcher matches wins
 */
public record VirtualHostConfig(String name, List<String> domains, List<RouteConfig> routes) {
    public VirtualHostConfig {
        domains = List.copyOf(domains);
        routes = List.copyOf(routes);
    }
}

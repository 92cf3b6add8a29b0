package io.shadowgate.config.model;

import java.util.List;
import java.util.Map;

/**
 * Istio {@code Gateway.spec}: the ports Shadowgate listens on and the hosts each accepts.
 *
 * @param selector labels of the gateway workload (Shadowgate serves every Gateway it is given)
 * @param servers  the servers (port plus hosts)
 */
public record Gateway(Map<String, String> selector, List<Server> servers) {
}

package io.shadowgate.config.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Istio {@code VirtualService.spec}.
 *
 * @param hosts    destination hosts; short names resolve against the VirtualService's namespace; empty for a
 *                 delegate VirtualService
 * @param gateways {@code ns/name} or {@code name} of Gateways, or {@code mesh}; absent means {@code mesh}
 * @param http     HTTP rules in first-match order
 * @param tls      TLS routes (kept as written; Shadowgate routes HTTP only)
 * @param tcp      TCP routes (kept as written; Shadowgate routes HTTP only)
 * @param exportTo namespaces the VirtualService is visible to
 */
public record VirtualService(List<String> hosts, List<String> gateways, List<HTTPRoute> http, List<JsonNode> tls,
                             List<JsonNode> tcp, List<String> exportTo) {
}

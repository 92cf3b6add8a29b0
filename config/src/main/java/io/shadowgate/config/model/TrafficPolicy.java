package io.shadowgate.config.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Istio {@code TrafficPolicy}.
 *
 * @param loadBalancer      load balancing
 * @param connectionPool    connection limits
 * @param outlierDetection  passive health checking
 * @param tls               upstream TLS
 * @param portLevelSettings per-port replacements of the four fields above
 * @param tunnel            kept as written
 * @param proxyProtocol     kept as written
 * @param retryBudget       kept as written
 */
public record TrafficPolicy(LoadBalancerSettings loadBalancer, ConnectionPoolSettings connectionPool,
                            OutlierDetection outlierDetection, ClientTLSSettings tls,
                            List<PortTrafficPolicy> portLevelSettings, JsonNode tunnel, JsonNode proxyProtocol,
                            JsonNode retryBudget) {

    /**
     * Istio {@code TrafficPolicy.PortTrafficPolicy}. Fields left out are <em>not</em> inherited from the
     * destination-level policy: they fall back to the defaults.
     *
     * @param port             the port it applies to
     * @param loadBalancer     load balancing
     * @param connectionPool   connection limits
     * @param outlierDetection passive health checking
     * @param tls              upstream TLS
     */
    public record PortTrafficPolicy(PortSelector port, LoadBalancerSettings loadBalancer,
                                    ConnectionPoolSettings connectionPool, OutlierDetection outlierDetection,
                                    ClientTLSSettings tls) {
    }
}

package io.shadowgate.config.snapshot;

import java.util.List;

/**
 * One Envoy cluster: a service port, optionally narrowed to a subset, with its merged traffic policy.
 *
 * @param name          {@code outbound|port|subset|fqdn}
 * @param host          the service's fully qualified host
 * @param namespace     the namespace of the ServiceEntry that declares it
 * @param port          the service port number
 * @param portName      the service port's name ({@code http})
 * @param protocol      the service port's protocol ({@code HTTP})
 * @param subset        the subset name, or {@code null}
 * @param resolution    {@code STATIC} (addresses are IPs) or {@code DNS} (addresses are host names resolved by the
 *                      proxy, re-resolved periodically)
 * @param endpoints     the endpoints whose labels contain the subset's labels; the port is the endpoint's target port
 * @param loadBalancer  the merged load-balancing policy
 * @param connectionPool the merged connection-pool limits
 * @param outlier       the merged outlier detection, or {@code null} when none is configured (Istio: disabled)
 */
public record ClusterConfig(String name, String host, String namespace, int port, String portName, String protocol,
                            String subset, String resolution, List<EndpointConfig> endpoints,
                            LoadBalancerConfig loadBalancer, ConnectionPoolConfig connectionPool,
                            OutlierConfig outlier) {
    public ClusterConfig {
        endpoints = List.copyOf(endpoints);
    }

    /** The canonical cluster name for {@code host}, {@code port} and {@code subset}. */
    public static String nameOf(String host, int port, String subset) {
        return "outbound|" + port + "|" + (subset == null ? "" : subset) + "|" + host;
    }
}

package io.shadowgate.config.snapshot;

import java.util.Map;

/**
 * One endpoint of a cluster.
 *
 * @param address  an IP address, or a host name for {@code DNS} resolution
 * @param port     the port to connect to (endpoint {@code ports} override, else {@code targetPort}, else the
 *                 service port)
 * @param labels   the endpoint's labels (DestinationRule subsets select on them; {@code version} feeds metrics)
 * @param weight   load-balancing weight (default 1)
 * @param locality {@code region/zone/subzone}, or {@code null}
 * @param source   {@code ServiceEntry ns/name} or {@code WorkloadEntry ns/name}, for {@code config_dump}
 */
public record EndpointConfig(String address, int port, Map<String, String> labels, int weight, String locality,
                             String source) {
    public EndpointConfig {
        labels = Map.copyOf(labels);
    }
}

package io.shadowgate.config.model;

import java.util.Map;

/**
 * Istio {@code WorkloadEntry}: an endpoint, inline in a ServiceEntry or as its own resource.
 *
 * @param address        IP address, or host name with DNS resolution
 * @param ports          port name to endpoint port (overrides {@code targetPort})
 * @param labels         labels DestinationRule subsets select on
 * @param network        network name
 * @param locality       {@code region/zone/subzone}
 * @param weight         load-balancing weight (default 1)
 * @param serviceAccount service account
 */
public record WorkloadEntry(String address, Map<String, Long> ports, Map<String, String> labels, String network,
                            String locality, Integer weight, String serviceAccount) {
}

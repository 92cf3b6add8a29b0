package io.shadowgate.config.model;

import java.util.List;

/**
 * Istio {@code Server}.
 *
 * @param port            port, protocol and name (required)
 * @param bind            address to bind
 * @param hosts           {@code [namespace/]host} entries, wildcards allowed in the left-most label
 * @param tls             TLS settings
 * @param name            server name
 * @param defaultEndpoint kept as written
 */
public record Server(Port port, String bind, List<String> hosts, ServerTLSSettings tls, String name,
                     String defaultEndpoint) {
}

package io.shadowgate.config.snapshot;

/**
 * One HTTP listener: a Gateway server port, or the {@code --listen} address when there are no Gateways.
 *
 * @param name     {@code 0.0.0.0_8080}
 * @param bindHost the address to bind
 * @param port     the port to bind (a Gateway server's {@code port.number})
 * @param gateways {@code namespace/name} of the Gateways whose servers share this port (empty for mesh mode)
 * @param routes   the virtual hosts served on this port
 */
public record ListenerConfig(String name, String bindHost, int port, java.util.List<String> gateways,
                             RouteTable routes) {
    public ListenerConfig {
        gateways = java.util.List.copyOf(gateways);
    }
}

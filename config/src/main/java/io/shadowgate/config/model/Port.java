package io.shadowgate.config.model;

/**
 * Istio {@code Port} of a Gateway server.
 *
 * @param number     port number
 * @param protocol   {@code HTTP}, {@code HTTPS}, {@code GRPC}, {@code GRPC-WEB}, {@code HTTP2}, {@code TCP}, {@code TLS}
 * @param name       port name
 * @param targetPort not allowed on gateways
 */
public record Port(Long number, String protocol, String name, Long targetPort) {
}

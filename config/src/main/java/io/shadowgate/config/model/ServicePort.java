package io.shadowgate.config.model;

/**
 * Istio {@code ServicePort}.
 *
 * @param number     the service port
 * @param protocol   {@code HTTP}, {@code HTTP2}, {@code GRPC}, {@code HTTPS}, {@code TCP}, ...
 * @param name       the port name (endpoints' {@code ports} map refers to it)
 * @param targetPort the endpoint port when the endpoint does not name one
 */
public record ServicePort(Long number, String protocol, String name, Long targetPort) {
}

package io.shadowgate.config.model;

/**
 * Istio {@code PortSelector}.
 *
 * @param number the port number
 */
public record PortSelector(Long number) {
}

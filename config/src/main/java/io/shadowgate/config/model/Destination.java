package io.shadowgate.config.model;

/**
 * Istio {@code Destination}.
 *
 * @param host   service host; short names resolve against the VirtualService's namespace
 * @param subset DestinationRule subset name
 * @param port   service port; may be left out when the service has one port
 */
public record Destination(String host, String subset, PortSelector port) {
}

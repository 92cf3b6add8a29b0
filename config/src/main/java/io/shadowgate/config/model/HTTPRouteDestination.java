package io.shadowgate.config.model;

/**
 * Istio {@code HTTPRouteDestination}.
 *
 * @param destination where to send the request
 * @param weight      share among several destinations (ignored for a single one)
 * @param headers     header operations applied when this destination is picked
 */
public record HTTPRouteDestination(Destination destination, Integer weight, Headers headers) {
}

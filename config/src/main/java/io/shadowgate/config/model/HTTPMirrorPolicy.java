package io.shadowgate.config.model;

/**
 * Istio {@code HTTPMirrorPolicy}: one of several mirror destinations.
 *
 * @param destination where copies go (required)
 * @param percentage  share of requests mirrored (absent: 100)
 */
public record HTTPMirrorPolicy(Destination destination, Percent percentage) {
}

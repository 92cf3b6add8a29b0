package io.shadowgate.config.model;

/**
 * Istio {@code Percent}: a percentage in [0.0, 100.0].
 *
 * @param value the percentage
 */
public record Percent(Double value) {
}

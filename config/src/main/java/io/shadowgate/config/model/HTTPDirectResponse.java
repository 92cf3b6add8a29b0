package io.shadowgate.config.model;

/**
 * Istio {@code HTTPDirectResponse}.
 *
 * @param status the status code (required)
 * @param body   the body, or {@code null} for none
 */
public record HTTPDirectResponse(Integer status, HTTPBody body) {
}

package io.shadowgate.config.model;

/**
 * Istio {@code Headers}: operations on the request and on the response.
 *
 * @param request  request header operations
 * @param response response header operations
 */
public record Headers(HeaderOperations request, HeaderOperations response) {
}

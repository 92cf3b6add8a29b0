package io.shadowgate.config.snapshot;

/**
 * Istio {@code directResponse}: answer locally, never forward and never mirror.
 *
 * @param status      the status code
 * @param body        the body bytes ({@code body.string} as UTF-8, or decoded {@code body.bytes}); empty for none
 * @param headers     route-level response header operations
 */
public record DirectResponseAction(int status, byte[] body, HeaderOps headers) implements RouteAction {
}

package io.shadowgate.config.model;

/**
 * Istio {@code Delegate}: the VirtualService whose rules replace a root rule.
 *
 * @param name      the delegate VirtualService's name
 * @param namespace its namespace (default: the root's)
 */
public record Delegate(String name, String namespace) {
}

/**
 * A running gateway put together ({@link io.shadowgate.cli.gateway.GatewayProcess}): the control plane (a
 * {@code ConfigController} over the config sources), the proxy subscribed to it, telemetry, comparison and the
 * admin server served from the controller's read-only views. Started from a plain
 * {@link io.shadowgate.cli.gateway.GatewaySpec}; this package does not depend on the command line's classes.
 */
package io.shadowgate.cli.gateway;

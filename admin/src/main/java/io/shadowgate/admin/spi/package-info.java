/**
 * What the admin server needs from the rest of the gateway that it does not read from a module it depends on:
 * {@link io.shadowgate.admin.spi.CompareEndpoint}, which the CLI adapts the compare module's engine to (so admin does
 * not depend on compare). The config state and rollback come from the control plane's own read-only views
 * ({@code io.shadowgate.control.ConfigView}, {@code ConfigRollback}).
 */
package io.shadowgate.admin.spi;

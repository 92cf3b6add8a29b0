/**
 * One class per admin endpoint ({@code /ready}, {@code /stats/prometheus}, {@code /config_dump}, {@code /clusters},
 * ...), each an {@link io.shadowgate.admin.http.AdminEndpoint} (not a Netty handler: the one Netty handler is
 * {@link io.shadowgate.admin.http.AdminHttpHandler}). Endpoints read the proxy's runtime state, the control plane's
 * read-only {@link io.shadowgate.control.ConfigView} and the interfaces of {@link io.shadowgate.admin.spi}; they
 * never change the data path except {@code /logging} (log levels) and {@code /rollback} (through
 * {@link io.shadowgate.control.ConfigRollback}).
 */
package io.shadowgate.admin.endpoint;

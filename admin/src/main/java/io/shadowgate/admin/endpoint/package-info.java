/**
 * One handler class per admin endpoint ({@code /ready}, {@code /stats/prometheus}, {@code /config_dump},
 * {@code /clusters}, ...). Handlers read the proxy's runtime state and the interfaces of
 * {@link io.shadowgate.admin.spi}; they never change the data path except {@code /logging} (log levels) and
 * {@code /rollback} (through {@link io.shadowgate.admin.spi.Rollback}).
 */
package io.shadowgate.admin.endpoint;

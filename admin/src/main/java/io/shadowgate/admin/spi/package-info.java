/**
 * What the admin server needs from the rest of the gateway, as small interfaces the CLI implements:
 * {@link io.shadowgate.admin.spi.ConfigStatus} (with a ready implementation,
 * {@link io.shadowgate.admin.spi.ConfigHistory}), {@link io.shadowgate.admin.spi.Rollback} and
 * {@link io.shadowgate.admin.spi.CompareEndpoint}.
 */
package io.shadowgate.admin.spi;

/**
 * A running gateway put together: the config lifecycle (load, validate, compile, apply atomically, watch files,
 * history and rollback), the proxy, telemetry, comparison and the admin server.
 */
package io.shadowgate.cli.gateway;

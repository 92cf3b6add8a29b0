/**
 * The admin server: a small Netty HTTP/1.1 server, bound to {@code 127.0.0.1:15000} by default as Envoy's admin in
 * Istio, that serves readiness, Prometheus metrics, the config dump, runtime cluster and listener state, log levels,
 * config history and rollback, and comparison reports. It is not the data path: requests are aggregated (small
 * limit) and handled on a worker thread of their own.
 */
package io.shadowgate.admin;

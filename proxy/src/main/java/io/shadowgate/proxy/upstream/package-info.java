/**
 * Upstream side of the data path: runtime state of clusters and endpoints (health, active requests, DNS), load
 * balancers, and per-event-loop connection pools, one protocol per pool ({@code UpstreamCodec}: HTTP/1.1 today).
 *
 * <p><b>Internal</b>: other modules may read {@code UpstreamCluster} and {@code UpstreamEndpoint} (admin and
 * telemetry views); everything else may change or disappear at any time.
 *
 * <p>Threading: a connection pool belongs to one event loop, and the upstream connections it holds live on that
 * loop, the same loop as the client connection that uses them, so an exchange never crosses threads. Cluster and
 * endpoint state is shared by all loops and uses atomics only.
 */
package io.shadowgate.proxy.upstream;

/**
 * Upstream side of the data path: runtime state of clusters and endpoints (health, active requests, DNS), load
 * balancers, and per-event-loop HTTP/1.1 connection pools.
 *
 * <p>Threading: a connection pool belongs to one event loop, and the upstream connections it holds live on that
 * loop, the same loop as the client connection that uses them, so an exchange never crosses threads. Cluster and
 * endpoint state is shared by all loops and uses atomics only.
 */
package io.shadowgate.proxy.upstream;

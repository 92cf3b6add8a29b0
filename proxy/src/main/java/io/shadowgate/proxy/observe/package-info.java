/**
 * What the data path shows the rest of the process: the events it emits for every request and every mirror
 * ({@link io.shadowgate.proxy.observe.RequestLog}, built in stages by
 * {@link io.shadowgate.proxy.observe.ExchangeLog}; outcomes as {@link io.shadowgate.proxy.observe.MirrorOutcome} and
 * {@link io.shadowgate.proxy.observe.SkipReason}), the observer interface that metrics, access logs, traces and the
 * comparator consume, and read-only views of clusters and endpoints
 * ({@link io.shadowgate.proxy.observe.ClusterView}) for the admin API and metrics. Events are plain values:
 * observers never see Netty types, and are called on event loops, so they must be quick and must not block.
 */
package io.shadowgate.proxy.observe;

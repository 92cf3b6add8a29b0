/**
 * The events the data path emits for every request and every mirror, and the observer interface that metrics,
 * access logs, traces and the comparator consume. Events are plain values: observers never see Netty types, and
 * are called on event loops, so they must be quick and must not block.
 */
package io.shadowgate.proxy.observe;

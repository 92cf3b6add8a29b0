/**
 * Process-wide runtime pieces shared by all event loops: the current routing snapshot (atomically swapped), the
 * injectable random source ({@link io.shadowgate.proxy.runtime.RandomSource}: per-request decisions, faults, load
 * balancing, retry jitter, noise samples; the wall clock is a {@code java.time.Clock} injected next to it through
 * {@code ProxyServer.start}), the Netty transport (an option of the proxy; {@code Transport.best()} is only the
 * default), and the names of every pipeline handler ({@link io.shadowgate.proxy.runtime.PipelineNames}).
 * Depends on nothing else of the proxy.
 */
package io.shadowgate.proxy.runtime;

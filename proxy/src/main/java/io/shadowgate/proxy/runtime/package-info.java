/**
 * Process-wide runtime state shared by all event loops: the current routing snapshot (atomically swapped), the
 * injected random source and clock, and the choice of Netty transport.
 */
package io.shadowgate.proxy.runtime;

/**
 * The control plane: {@link io.shadowgate.control.ConfigController} merges the latest content of every
 * {@link io.shadowgate.config.source.ConfigSource}, checks it (the same check as {@code shadowgate validate}),
 * compiles it and publishes one {@link io.shadowgate.config.snapshot.RoutingSnapshot} atomically to its
 * subscribers (the proxy's apply hook is one, registered by the CLI's wiring). It numbers every applied version,
 * keeps a bounded history of what happened ({@link io.shadowgate.control.ConfigEvent}, with a
 * {@link io.shadowgate.control.ConfigOutcome} and the resources added, removed and modified), and rolls back one
 * version at a time or to a chosen one.
 *
 * <p>Read-only views for the admin API and the CLI: {@link io.shadowgate.control.ConfigView} and
 * {@link io.shadowgate.control.ConfigState}; the one action, {@link io.shadowgate.control.ConfigRollback}.
 *
 * <p>No Netty and no proxy here. Threads: sources call the controller on threads of their own; every state change
 * happens under the controller's lock, and subscribers and event listeners are called under it, in order.
 */
package io.shadowgate.control;

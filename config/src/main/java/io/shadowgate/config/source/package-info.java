/**
 * Where configuration comes from: the {@link io.shadowgate.config.source.ConfigSource} SPI.
 *
 * <p>A source turns something outside the process (YAML files, the demo's built-in YAML, the Kubernetes API, the
 * release controller's overlay) into Istio {@link io.shadowgate.config.model.Resource}s with their diagnostics,
 * and pushes its whole current content whenever it changes. Sources never validate across resources, compile or
 * publish: the control plane ({@code shadowgate-control}) merges every source's latest content, checks it,
 * compiles it and publishes one snapshot.
 *
 * <p>No Netty, no threads of its own here: each implementation documents the thread it calls its listener on.
 */
package io.shadowgate.config.source;

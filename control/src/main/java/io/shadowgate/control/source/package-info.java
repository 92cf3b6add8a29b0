/**
 * The config sources the gateway ships with: {@link io.shadowgate.control.source.FileConfigSource} (files and
 * directories given with {@code -f}, polled, including a Kubernetes ConfigMap mount's symlink swap) and
 * {@link io.shadowgate.control.source.StaticConfigSource} (a YAML string that never changes: the demo's built-in
 * config). The Kubernetes source lives in its own module and implements the same SPI.
 *
 * <p>Each source's content hash covers exactly the bytes its load reads, so a {@code touch}, a save without changes
 * or a rename never counts as a change.
 */
package io.shadowgate.control.source;

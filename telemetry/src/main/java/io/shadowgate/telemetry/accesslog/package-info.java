/**
 * Access logs: one line per request and one per mirrored request (same {@code x-request-id}), as JSON or in
 * Envoy's default text format, written off the event loop by a single writer thread behind a bounded queue.
 */
package io.shadowgate.telemetry.accesslog;

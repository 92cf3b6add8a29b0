/**
 * OpenTelemetry tracing: a SERVER span per request and a child span per mirror in the same trace, W3C
 * {@code traceparent} and B3 (single and multi header) propagation, export over OTLP (HTTP or gRPC) or Zipkin.
 */
package io.shadowgate.telemetry.tracing;

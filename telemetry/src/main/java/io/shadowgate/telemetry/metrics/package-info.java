/**
 * Prometheus metrics with Istio's standard names, labels and buckets ({@code istio_requests_total},
 * {@code istio_request_duration_milliseconds}, {@code istio_request_bytes}, {@code istio_response_bytes}), so
 * existing Istio dashboards and alerts work unchanged, plus Shadowgate's own {@code shadowgate_*} series: mirrored
 * traffic (never counted in the {@code istio_*} series), gateway health and config reloads.
 */
package io.shadowgate.telemetry.metrics;

/**
 * Observability of the data path: {@link io.shadowgate.telemetry.metrics Istio-compatible Prometheus metrics},
 * {@link io.shadowgate.telemetry.accesslog access logs} and {@link io.shadowgate.telemetry.tracing OpenTelemetry
 * traces}. Every class here consumes the proxy's {@link io.shadowgate.proxy.observe.ProxyObserver} events or
 * implements its {@link io.shadowgate.proxy.observe.RequestTracer} hook; none of them ever blocks an event loop.
 */
package io.shadowgate.telemetry;

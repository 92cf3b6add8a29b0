/**
 * Micrometer binding of the compare module.
 *
 * <p>Owns {@link io.shadowgate.compare.metrics.CompareMetrics}: the counter
 * {@code shadowgate.compare{route,result}} (Prometheus: {@code shadowgate_compare_total}) and the
 * gauge {@code shadowgate.compare.difference.ratio{route}} that a promotion gate (Flagger, Argo
 * Rollouts) can query. The registry is injected; nothing here is global.
 */
package io.shadowgate.compare.metrics;

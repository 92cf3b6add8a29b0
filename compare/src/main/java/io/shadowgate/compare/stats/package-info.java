/**
 * Thread-safe, bounded accumulators behind the report.
 *
 * <p>Owns {@link io.shadowgate.compare.stats.CompareStats}: per-group counters, differing fields
 * with sampled examples, per-location noise evidence, status mixes, latency histograms
 * ({@link io.shadowgate.compare.stats.LatencyHistogram}) and a ring buffer of recent difference
 * records. Every structure has a documented bound taken from
 * {@link io.shadowgate.compare.settings.CompareSettings}; once a bound is reached new entries fold
 * into an overflow entry and are counted, so memory stays flat under any traffic.
 * {@code snapshot()} builds an immutable {@link io.shadowgate.compare.report.ComparisonReport}.
 */
package io.shadowgate.compare.stats;

/**
 * The configurations the load harness and the JMH benchmarks share
 * ({@link io.shadowgate.benchmarks.configs.BenchConfigs}): the Istio YAML Shadowgate gets per scenario, the
 * equivalent {@code nginx.conf}, and the large route table. A leaf: {@code harness} and {@code jmh} depend on it, it
 * on neither, so the two do not depend on each other.
 */
package io.shadowgate.benchmarks.configs;

package io.shadowgate.config.model;

import java.util.Map;

/**
 * Istio {@code WorkloadSelector}.
 *
 * @param labels labels a workload must carry
 */
public record WorkloadSelector(Map<String, String> labels) {
}

package io.shadowgate.config.model;

import java.util.List;

/**
 * Istio {@code DestinationRule.spec}.
 *
 * @param host             the service host (required); short names resolve against the rule's namespace
 * @param trafficPolicy    policy for every port and subset unless overridden
 * @param subsets          named endpoint subsets
 * @param exportTo         visibility
 * @param workloadSelector applies the rule only to selected workloads (not applicable to Shadowgate)
 */
public record DestinationRule(String host, TrafficPolicy trafficPolicy, List<Subset> subsets, List<String> exportTo,
                              WorkloadSelector workloadSelector) {
}

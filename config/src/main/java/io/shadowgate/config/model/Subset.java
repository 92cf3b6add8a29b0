package io.shadowgate.config.model;

import java.util.Map;

/**
 * Istio {@code Subset}: the endpoints whose labels contain these labels.
 *
 * @param name          subset name (required)
 * @param labels        labels an endpoint must carry (empty: all endpoints)
 * @param trafficPolicy overrides of the rule's policy, field by field
 */
public record Subset(String name, Map<String, String> labels, TrafficPolicy trafficPolicy) {
}

package io.shadowgate.config.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Istio {@code LoadBalancerSettings}.
 *
 * @param simple             {@code LEAST_REQUEST} (default), {@code ROUND_ROBIN}, {@code RANDOM}, {@code PASSTHROUGH},
 *                           {@code LEAST_CONN} (deprecated alias of LEAST_REQUEST)
 * @param consistentHash     consistent hashing (sticky sessions)
 * @param localityLbSetting  kept as written
 * @param warmupDurationSecs slow-start duration
 * @param warmup             kept as written
 * @param zoneAwareLbSetting kept as written (declared so that it is not an unknown field; locality is not modelled)
 */
public record LoadBalancerSettings(String simple, ConsistentHashLB consistentHash, JsonNode localityLbSetting,
                                   String warmupDurationSecs, JsonNode warmup, JsonNode zoneAwareLbSetting) {
}

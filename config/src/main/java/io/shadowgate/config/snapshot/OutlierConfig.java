package io.shadowgate.config.snapshot;

import java.time.Duration;

/**
 * A compiled {@code outlierDetection}.
 *
 * @param consecutive5xx           ejection after this many consecutive 5xx (0 disables; Envoy default 5)
 * @param consecutiveGatewayErrors ejection after this many consecutive 502/503/504 (0 disables)
 * @param interval                 analysis sweep interval (default 10 s)
 * @param baseEjectionTime         base ejection time, multiplied by the number of ejections (default 30 s)
 * @param maxEjectionPercent       at most this share of endpoints ejected (default 10)
 * @param minHealthPercent         outlier detection is off while fewer endpoints are healthy (default 0)
 */
public record OutlierConfig(int consecutive5xx, int consecutiveGatewayErrors, Duration interval,
                            Duration baseEjectionTime, int maxEjectionPercent, int minHealthPercent) {
}

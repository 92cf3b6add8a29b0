package io.shadowgate.config.model;

/**
 * Istio {@code OutlierDetection}.
 *
 * @param splitExternalLocalOriginErrors  count local-origin failures separately
 * @param consecutiveLocalOriginFailures  ejection after this many local-origin failures
 * @param consecutiveGatewayErrors        ejection after this many 502/503/504
 * @param consecutive5xxErrors            ejection after this many 5xx (default 5)
 * @param interval                        sweep interval (default 10s)
 * @param baseEjectionTime                base ejection time (default 30s)
 * @param maxEjectionPercent              at most this share ejected (default 10)
 * @param minHealthPercent                disabled below this share of healthy endpoints (default 0)
 * @param consecutiveErrors               deprecated; use {@code consecutive5xxErrors}
 */
public record OutlierDetection(Boolean splitExternalLocalOriginErrors, Integer consecutiveLocalOriginFailures,
                               Integer consecutiveGatewayErrors, Integer consecutive5xxErrors, String interval,
                               String baseEjectionTime, Integer maxEjectionPercent, Integer minHealthPercent,
                               @IstioDeprecated(use = "consecutive5xxErrors") Integer consecutiveErrors) {
}

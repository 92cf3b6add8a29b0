package io.shadowgate.compare.settings;

import io.shadowgate.compare.noise.IgnoreRules;

/**
 * Effective settings for one route: global settings merged with that route's overrides.
 * Immutable.
 *
 * @param routeKey          the route
 * @param ignoreRules       global ignore rules (default headers included) plus the route's own
 * @param maxDifferenceRate highest difference rate that still passes, 0..1
 * @param minComparisons    comparisons needed before a verdict other than INSUFFICIENT_DATA
 */
public record RouteSettings(String routeKey, IgnoreRules ignoreRules, double maxDifferenceRate, long minComparisons) {

    public RouteSettings {
        CompareSettings.checkRate(maxDifferenceRate);
        CompareSettings.checkMinComparisons(minComparisons);
    }
}

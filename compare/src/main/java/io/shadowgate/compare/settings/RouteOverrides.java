package io.shadowgate.compare.settings;

import io.shadowgate.compare.noise.IgnoreRules;
import java.util.ArrayList;
import java.util.List;

/**
 * What one route changes relative to the global settings: extra ignored headers and JSON pointers
 * (added to the global ones, never replacing them) and, optionally, its own verdict thresholds.
 * Immutable; build with {@link #builder()}.
 *
 * @param ignoreRules       extra ignore rules for the route
 * @param maxDifferenceRate the route's pass threshold, or {@code null} to use the global one
 * @param minComparisons    the route's minimum comparisons, or {@code null} to use the global one
 */
public record RouteOverrides(IgnoreRules ignoreRules, Double maxDifferenceRate, Long minComparisons) {

    /** No overrides. */
    public static final RouteOverrides NONE = new RouteOverrides(IgnoreRules.NONE, null, null);

    public RouteOverrides {
        if (ignoreRules == null) {
            ignoreRules = IgnoreRules.NONE;
        }
        if (maxDifferenceRate != null) {
            CompareSettings.checkRate(maxDifferenceRate);
        }
        if (minComparisons != null) {
            CompareSettings.checkMinComparisons(minComparisons);
        }
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link RouteOverrides}; not thread-safe. */
    public static final class Builder {
        private final List<String> headers = new ArrayList<>();
        private final List<String> pointers = new ArrayList<>();
        private Double maxDifferenceRate;
        private Long minComparisons;

        private Builder() {
        }

        /** Ignores these header names on this route (a trailing {@code *} makes a prefix rule). */
        public Builder ignoreHeader(String... names) {
            headers.addAll(List.of(names));
            return this;
        }

        /** Ignores these JSON pointers on this route ({@code *} matches any array index or key). */
        public Builder ignorePointer(String... jsonPointers) {
            pointers.addAll(List.of(jsonPointers));
            return this;
        }

        /** The route's pass threshold (difference rate, 0..1). */
        public Builder maxDifferenceRate(double rate) {
            this.maxDifferenceRate = rate;
            return this;
        }

        /** The route's minimum number of comparisons for a verdict. */
        public Builder minComparisons(long n) {
            this.minComparisons = n;
            return this;
        }

        /** Builds the overrides; validates the values. */
        public RouteOverrides build() {
            return new RouteOverrides(IgnoreRules.of(headers, pointers), maxDifferenceRate, minComparisons);
        }
    }
}

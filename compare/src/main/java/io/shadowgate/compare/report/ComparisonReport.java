package io.shadowgate.compare.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable snapshot of everything compared since {@code since} (engine start or last reset).
 *
 * <p>Built on demand from thread-safe accumulators while comparisons continue, so counters of
 * different groups may be a few exchanges apart; each group's own counters are consistent
 * ({@code compared = identical + different + noiseOnly}).
 *
 * @param generatedAt     when the snapshot was built
 * @param since           start of the period covered
 * @param compared        exchanges compared, all groups
 * @param identical       exchanges without differences
 * @param different       exchanges with a difference that is not noise
 * @param noiseOnly       exchanges whose differences are all noise
 * @param skipped         exchanges not compared, by reason
 * @param foldedExchanges exchanges counted in the {@code (other)} group because the group bound was reached
 * @param limits          the memory bounds in force
 * @param routes          per route, sorted by route key
 * @param groups          per group, sorted by route key, method, template
 */
public record ComparisonReport(Instant generatedAt, Instant since, long compared, long identical, long different,
        long noiseOnly, Map<String, Long> skipped, long foldedExchanges, Limits limits, List<RouteReport> routes,
        List<GroupReport> groups) {

    public ComparisonReport {
        skipped = ReportMaps.sorted(skipped);
        routes = List.copyOf(routes);
        groups = List.copyOf(groups);
    }

    /**
     * The memory bounds in force when the report was built.
     *
     * @param maxGroups           groups before folding into {@code (other)}
     * @param maxFieldsPerGroup   distinct fields per group before folding into {@code (other fields)}
     * @param maxTrackedFields    fields and noise trackers over all groups
     * @param maxExamplesPerField examples per field
     * @param maxStoredExamples   examples over all groups
     * @param maxValueLength      length of example values
     * @param recentDifferences   records kept for {@code exportJsonLines}
     */
    public record Limits(int maxGroups, int maxFieldsPerGroup, int maxTrackedFields, int maxExamplesPerField,
            int maxStoredExamples, int maxValueLength, int recentDifferences) {
    }

    /** The report of one route, if it was seen. */
    public Optional<RouteReport> route(String routeKey) {
        return routes.stream().filter(r -> r.route().equals(routeKey)).findFirst();
    }

    /** The report of one group, if it was seen. */
    public Optional<GroupReport> group(String routeKey, String method, String pathTemplate) {
        return groups.stream()
                .filter(g -> g.route().equals(routeKey) && g.method().equals(method) && g.pathTemplate().equals(pathTemplate))
                .findFirst();
    }

    /** JSON rendering for the admin API ({@link ReportJson#toJson(ComparisonReport)}). */
    public String toJson() {
        return ReportJson.toJson(this);
    }

    /** Fixed-width text rendering for the CLI ({@link ReportText#render(ComparisonReport)}). */
    public String toText() {
        return ReportText.render(this);
    }
}

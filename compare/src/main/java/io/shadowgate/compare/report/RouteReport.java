package io.shadowgate.compare.report;

import java.util.List;
import java.util.Map;

/**
 * Statistics of one route: its groups added up, with the verdict a person acts on. Immutable.
 *
 * @param route          route key
 * @param primaryVersion primary's version label, or {@code null}
 * @param mirrorVersion  mirror's version label, or {@code null}
 * @param groups         number of groups of the route
 * @param compared       exchanges compared
 * @param identical      exchanges without differences
 * @param different      exchanges with a difference that is not noise
 * @param noiseOnly      exchanges whose differences are all noise
 * @param skipped        exchanges not compared, by reason
 * @param differenceRate different / compared (0 when nothing was compared)
 * @param fields         differing fields over all groups, most frequent first (examples included)
 * @param verdict        PASS / FAIL / INSUFFICIENT_DATA
 * @param verdictLine    e.g. {@code v2 matches v1 on 99.6% of 4,210 requests; 2 fields differ: ...}
 * @param noiseSamples   v1-vs-v1 noise samples over the route's groups
 * @param verdictSince   when the verdict became what it is ({@code null} while INSUFFICIENT_DATA)
 * @param verdictReason  the verdict line of the look that decided it; a FAIL keeps it until reset
 * @param verdictAfterRequests comparisons when the verdict was decided (0 while INSUFFICIENT_DATA)
 * @param errors         does v2 fail more often, over the route
 * @param latency        is v2 slower, over the route ({@code null} with too few latencies)
 */
public record RouteReport(String route, String primaryVersion, String mirrorVersion, int groups, long compared,
        long identical, long different, long noiseOnly, Map<String, Long> skipped, double differenceRate,
        List<FieldReport> fields, Verdict verdict, String verdictLine, long noiseSamples,
        java.time.Instant verdictSince, String verdictReason, long verdictAfterRequests, ErrorCheck errors, LatencyCheck latency) {

    public RouteReport {
        skipped = ReportMaps.sorted(skipped);
        fields = List.copyOf(fields);
    }
}

package io.shadowgate.compare.report;

import java.util.List;
import java.util.Map;

/**
 * Statistics of one comparison group (route + method + path template). Immutable.
 *
 * <p>{@code different} counts exchanges with at least one difference that is not noise, and
 * {@code noiseOnly} those whose differences are all noise; both are computed when the report is
 * built, with what is known about noise by then, so noise detected later reclassifies earlier
 * exchanges. {@code compared = identical + different + noiseOnly}.
 *
 * @param route          route key
 * @param method         HTTP method
 * @param pathTemplate   path template, e.g. {@code /users/{id}}
 * @param primary        what the primary answered
 * @param mirror         what the mirror answered
 * @param compared       exchanges compared
 * @param identical      exchanges without differences
 * @param different      exchanges with a difference that is not noise
 * @param noiseOnly      exchanges whose differences are all noise
 * @param skipped        exchanges not compared, by reason ({@code rate_limited}, {@code queue_full},
 *                       {@code primary_failed}, {@code closed}, {@code internal_error})
 * @param bodiesSkipped  compared exchanges whose bodies were not compared, by reason ({@code oversized})
 * @param differenceRate different / compared (0 when nothing was compared)
 * @param noiseSamples   noise samples (two primary answers) learned from
 * @param fields         differing fields, most frequent first
 * @param verdict        machine-readable verdict for this group
 * @param verdictLine    one-line human verdict for this group
 * @param verdictSince   when the verdict became what it is ({@code null} while INSUFFICIENT_DATA)
 * @param verdictReason  the verdict line of the look that decided it ({@code null} while INSUFFICIENT_DATA); a FAIL
 *                       keeps it until reset
 * @param verdictAfterRequests comparisons when the verdict was decided (0 while INSUFFICIENT_DATA)
 * @param errors         does v2 fail more often
 * @param latency        is v2 slower ({@code null} with too few latencies)
 */
public record GroupReport(String route, String method, String pathTemplate, SideReport primary, SideReport mirror,
        long compared, long identical, long different, long noiseOnly, Map<String, Long> skipped,
        Map<String, Long> bodiesSkipped, double differenceRate, long noiseSamples, List<FieldReport> fields,
        Verdict verdict, String verdictLine, java.time.Instant verdictSince, String verdictReason, long verdictAfterRequests, ErrorCheck errors,
        LatencyCheck latency) {

    public GroupReport {
        skipped = ReportMaps.sorted(skipped);
        bodiesSkipped = ReportMaps.sorted(bodiesSkipped);
        fields = List.copyOf(fields);
    }

    /** {@code "<route> <METHOD> <template>"}. */
    public String name() {
        return route + " " + method + " " + pathTemplate;
    }
}

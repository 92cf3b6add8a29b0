package io.shadowgate.compare.report;

import java.util.Map;

/**
 * What one side (primary or mirror) answered in a group. Immutable.
 *
 * @param version    version label ({@code v1}), or {@code null} when the proxy did not know it
 * @param responses  answers seen, including failed ones and those of skipped exchanges that reached
 *                   the comparison thread (not those dropped by the rate limit or queue bound)
 * @param statusMix  status code (as text) → count; {@code "failed"} for answers that never arrived
 * @param errors     5xx answers plus failed ones
 * @param errorRate  errors / responses (0 when there were none)
 * @param latency    latency percentiles of answers that arrived
 */
public record SideReport(String version, long responses, Map<String, Long> statusMix, long errors, double errorRate,
        LatencySummary latency) {

    public SideReport {
        statusMix = ReportMaps.sorted(statusMix);
    }
}

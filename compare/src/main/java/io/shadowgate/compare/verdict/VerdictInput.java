package io.shadowgate.compare.verdict;

import io.shadowgate.compare.report.ErrorCheck;
import io.shadowgate.compare.report.LatencyCheck;
import java.time.Duration;
import java.util.List;

/**
 * Everything one look at a route or group weighs. Immutable.
 *
 * @param primaryLabel   v1's label
 * @param mirrorLabel    v2's label
 * @param compared       exchanges compared
 * @param different      of those, exchanges with a difference that is not noise
 * @param fields         the differing fields, most frequent first
 * @param errors         the error-rate check
 * @param latency        the latency check, {@code null} below the minimum of latencies
 * @param samples        v1-vs-v1 noise samples received
 * @param elapsed        time since the first comparison
 * @param minComparisons comparisons needed before PASS
 * @param minSamples     samples needed before PASS when any arrive (0 when they are not required)
 * @param minDuration    time needed before PASS
 * @param maxNamed       how many fields to name
 */
public record VerdictInput(String primaryLabel, String mirrorLabel, long compared, long different,
        List<NamedField> fields, ErrorCheck errors, LatencyCheck latency, long samples, Duration elapsed,
        long minComparisons, long minSamples, Duration minDuration, int maxNamed) {

    public VerdictInput {
        fields = List.copyOf(fields);
    }

    /**
     * A field as the verdict line names it.
     *
     * @param path        grouping location
     * @param description {@code type changed number→string}
     * @param judgement   the decision and its evidence
     */
    public record NamedField(String path, String description, FieldJudgement judgement) {
    }
}

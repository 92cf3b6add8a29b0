package io.shadowgate.compare.report;

import io.shadowgate.compare.diff.DiffKind;
import java.util.List;

/**
 * One differing field of a group (or route), with how often it differed. Immutable.
 *
 * @param path        grouping location, e.g. {@code $.items[*].price}, {@code header:x-foo}, {@code status}
 * @param kind        kind of difference; {@code null} for the {@code (other fields)} overflow entry
 * @param detail      qualifier such as {@code number→string}, or {@code null}
 * @param description human phrase such as {@code type changed number→string} or {@code missing in v2}
 * @param count       number of exchanges in which it differed this way
 * @param noise       whether it is noise and excluded from the verdict
 * @param noiseReason why it is noise, or {@code null}
 * @param examples    up to the per-field bound of example occurrences (v1 and v2)
 * @param decision    different, noise or undecided ({@code noise} is {@code decision == NOISE})
 * @param evidenceSource which evidence the decision rests on
 * @param evidence    the decision in a sentence, with both rates
 * @param compared    exchanges compared (the denominator of {@code count})
 * @param primaryDiffers v1-vs-v1 samples in which two v1 answers differed this way (in the evidence used)
 * @param samples     v1-vs-v1 samples in the evidence used (the denominator of {@code primaryDiffers})
 * @param mirrorRate  {@code count / compared}
 * @param primaryRate {@code primaryDiffers / samples}
 * @param pValue      one-sided test that v2 differs more often than v1 from itself
 * @param adjustedPValue after the Benjamini–Hochberg correction
 * @param primaryExamples examples of two v1 answers differing here (first v1 answer, second v1 answer)
 */
public record FieldReport(String path, DiffKind kind, String detail, String description, long count, boolean noise,
        String noiseReason, List<Example> examples, FieldDecision decision, EvidenceSource evidenceSource,
        String evidence, long compared, long primaryDiffers, long samples, double mirrorRate, double primaryRate,
        double pValue, double adjustedPValue, List<Example> primaryExamples) {

    public FieldReport {
        examples = List.copyOf(examples);
        primaryExamples = List.copyOf(primaryExamples);
    }
}

package io.shadowgate.compare.verdict;

import io.shadowgate.compare.report.EvidenceSource;
import io.shadowgate.compare.report.FieldDecision;

/**
 * The decision about one field and the evidence it rests on. Immutable.
 *
 * @param decision       different, noise or undecided
 * @param source         which evidence decided
 * @param primaryDiffers v1-vs-v1 differences counted in the evidence used (0 with the shape rules)
 * @param samples        v1-vs-v1 samples in the evidence used (0 with the shape rules)
 * @param mirrorRate     share of compared exchanges in which v2 differed this way
 * @param primaryRate    share of the samples in which two v1 answers differed this way
 * @param pValue         one-sided test that v2 differs more often (Fisher; against the tolerated rate without samples)
 * @param adjustedP      after the Benjamini–Hochberg correction over every field test of the engine
 * @param blocksPass     whether this field keeps the verdict from PASS (undecided and not negligible)
 * @param evidence       a sentence, e.g. {@code noise: differs as often between two v1 answers (31%) as between v1
 *                       and v2 (33%)}
 */
public record FieldJudgement(FieldDecision decision, EvidenceSource source, long primaryDiffers, long samples,
        double mirrorRate, double primaryRate, double pValue, double adjustedP, boolean blocksPass, String evidence) {
}

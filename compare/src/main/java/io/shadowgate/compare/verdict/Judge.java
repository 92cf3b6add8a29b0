package io.shadowgate.compare.verdict;

import io.shadowgate.compare.diff.DiffKind;
import io.shadowgate.compare.report.ErrorCheck;
import io.shadowgate.compare.report.EvidenceSource;
import io.shadowgate.compare.report.FieldDecision;
import io.shadowgate.compare.report.LatencyCheck;
import io.shadowgate.compare.report.Verdict;
import io.shadowgate.compare.settings.VerdictPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The three questions of the verdict, each with its test: do v2's answers differ from v1's more than v1's differ from
 * each other ({@link #fields}), does v2 fail more often ({@link #errors}), is v2 slower ({@link #latency}). Static,
 * pure: the same counts always give the same answers.
 */
public final class Judge {

    /**
     * A field whose v2 rate is not even weakly significantly above v1's own (one-sided p above this) differs "as
     * often": with little data the point estimates alone would call rare noise undecided.
     */
    static final double NOT_EVEN_WEAKLY_HIGHER = 0.05;

    private Judge() {
    }

    /**
     * Judges the differing fields of one group.
     *
     * <ul>
     *   <li>A field v1 returns in varying order ({@link FieldCounts#unorderedArray()}) is noise when its difference
     *       is an order change: the array is compared as a multiset.</li>
     *   <li>With v1-vs-v1 samples (the group's own when it has {@link VerdictPolicy#minGroupSamples()}, or when the
     *       field never varied elsewhere on the route; else the route's): one-sided Fisher test of v2's rate
     *       against v1's own rate; <b>different</b> when, after the Benjamini–Hochberg correction over {@code tests}
     *       tests, the adjusted p-value is at most the false-discovery rate, the field differed in at least
     *       {@link VerdictPolicy#minDifferences()} exchanges, and the Newcombe 95% interval of the gap starts above
     *       {@code max(maxDifferenceRate, relativeEffect × v1's rate)}; <b>noise</b> when v1 differs from itself here
     *       and v2's rate is at most v1's × (1 + {@link VerdictPolicy#noiseTolerance()}) + {@code maxDifferenceRate}
     *       or not even weakly higher (p &gt; 0.05), or when both versions write freshly generated values there
     *       (timestamps, ids: how often two of them are equal is a matter of timing); <b>undecided</b> otherwise.</li>
     *   <li>Without samples: the shape rules decide noise; otherwise the field is tested against the tolerated rate
     *       (one-sided binomial), different under the same conditions with the Wilson interval of its rate — for a
     *       plain value change only once the shape rules had their minimum of observations.</li>
     * </ul>
     * Every kind — a status change, a type or format change — is judged against v1-vs-v1 differences of the same
     * kind: a format change in a field whose value is noise is still a finding unless v1 itself changes format.
     *
     * @param fields            the group's fields
     * @param compared          the group's compared exchanges
     * @param groupSamples      the group's noise samples
     * @param routeSamples      the route's noise samples (all groups)
     * @param maxDifferenceRate the tolerated extra difference rate (per route)
     * @param policy            thresholds
     * @param tests             number of field tests in the whole engine (for the correction), at least
     *                          {@code fields.size()}
     */
    public static List<FieldJudgement> fields(List<FieldCounts> fields, long compared, long groupSamples,
            long routeSamples, double maxDifferenceRate, VerdictPolicy policy, long tests) {
        int n = fields.size();
        double[] p = new double[n];
        boolean[] candidate = new boolean[n];
        FieldJudgement[] pre = new FieldJudgement[n];
        for (int i = 0; i < n; i++) {
            FieldCounts f = fields.get(i);
            long x = f.mirrorDiffers();
            double mirrorRate = compared == 0 ? 0 : (double) x / compared;
            if (f.unorderedArray() && f.kind() == DiffKind.ARRAY_ORDER_CHANGED) {
                p[i] = 1;
                pre[i] = new FieldJudgement(FieldDecision.NOISE, EvidenceSource.ARRAY_ORDER, f.groupPrimaryDiffers(),
                        groupSamples, mirrorRate, rate(f.groupPrimaryDiffers(), groupSamples), 1, 1, false,
                        "noise: v1 returns this array in varying order (in " + count(f.groupPrimaryDiffers())
                                + " v1-vs-v1 samples); it is compared as a multiset");
                continue;
            }
            EvidenceSource source;
            long y;
            long ns;
            if (groupSamples >= policy.minGroupSamples() || (groupSamples > 0 && f.routePrimaryDiffers() == 0)) {
                source = EvidenceSource.SAMPLES;
                y = f.groupPrimaryDiffers();
                ns = groupSamples;
            } else if (f.routePrimaryDiffers() > 0 && routeSamples > 0) {
                source = EvidenceSource.ROUTE_SAMPLES;
                y = f.routePrimaryDiffers();
                ns = routeSamples;
            } else {
                source = EvidenceSource.SHAPE_RULES;
                y = 0;
                ns = 0;
            }
            if (source == EvidenceSource.SHAPE_RULES) {
                p[i] = Statistics.binomialAtLeast(x, compared, maxDifferenceRate);
                Statistics.Interval ci = Statistics.wilson(x, compared, Statistics.Z95);
                if (f.shapeNoise() != null && f.shapeNoise().noise()) {
                    pre[i] = new FieldJudgement(FieldDecision.NOISE, source, 0, 0, mirrorRate, 0, p[i], 1, false,
                            "noise (no v1-vs-v1 samples; shape rules): " + f.shapeNoise().reason());
                    p[i] = 1;
                    continue;
                }
                // A plain value change may still turn out to be generated noise: wait for the shape rules' minimum.
                candidate[i] = f.shapeSettled() && x >= policy.minDifferences() && ci.low() >= maxDifferenceRate;
                pre[i] = new FieldJudgement(FieldDecision.UNDECIDED, source, 0, 0, mirrorRate, 0, p[i], 1,
                        mirrorRate > maxDifferenceRate,
                        String.format(Locale.ROOT, "no v1-vs-v1 samples (shape rules): v2 differs on %s (%s of %s)",
                                pct(mirrorRate), count(x), count(compared)));
                continue;
            }
            double primaryRate = rate(y, ns);
            p[i] = Statistics.fisherGreater(x, compared, y, ns);
            Statistics.Interval gap = Statistics.newcombe(x, compared, y, ns, Statistics.Z95);
            double floor = Math.max(maxDifferenceRate, policy.relativeEffect() * primaryRate);
            candidate[i] = x >= policy.minDifferences() && gap.low() >= floor;
            String where = source == EvidenceSource.SAMPLES ? "" : " elsewhere on this route";
            boolean asOften = mirrorRate <= primaryRate * (1 + policy.noiseTolerance()) + maxDifferenceRate
                    || p[i] > NOT_EVEN_WEAKLY_HIGHER;
            // How often two fresh timestamps (ids...) are equal depends on timing (same millisecond), not on the
            // version; what matters is that both versions generate them: their format is judged apart.
            boolean generated = f.kind() == DiffKind.VALUE_CHANGED && f.generatedKind() != null;
            if (y > 0 && asOften) {
                pre[i] = new FieldJudgement(FieldDecision.NOISE, source, y, ns, mirrorRate, primaryRate, p[i], 1, false,
                        "noise: differs as often between two v1 answers" + where + " (" + pct(primaryRate)
                                + ") as between v1 and v2 (" + pct(mirrorRate) + ")");
            } else if (y > 0 && generated) {
                pre[i] = new FieldJudgement(FieldDecision.NOISE, source, y, ns, mirrorRate, primaryRate, p[i], 1, false,
                        "noise: two v1 answers differ here too" + where + " (" + pct(primaryRate) + "; v1 and v2 "
                                + pct(mirrorRate) + "), and both versions write fresh " + f.generatedKind()
                                + " values in the same format");
            } else {
                pre[i] = new FieldJudgement(FieldDecision.UNDECIDED, source, y, ns, mirrorRate, primaryRate, p[i], 1,
                        mirrorRate > maxDifferenceRate,
                        String.format(Locale.ROOT, "v2 differs from v1 on %s (%s of %s), two v1 answers%s on %s "
                                + "(%s of %s)", pct(mirrorRate), count(x), count(compared), where, pct(primaryRate),
                                count(y), count(ns)));
            }
        }
        double[] adjusted = Statistics.benjaminiHochberg(p, Math.max(tests, n));
        List<FieldJudgement> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            FieldJudgement j = pre[i];
            if (j.decision() != FieldDecision.NOISE && candidate[i] && adjusted[i] <= policy.falseDiscoveryRate()) {
                out.add(new FieldJudgement(FieldDecision.DIFFERENT, j.source(), j.primaryDiffers(), j.samples(),
                        j.mirrorRate(), j.primaryRate(), j.pValue(), adjusted[i], false,
                        "different: " + j.evidence().replaceFirst("^no v1-vs-v1 samples \\(shape rules\\): ",
                                "no v1-vs-v1 samples, not a generated value: ")
                                + "; p " + pValue(adjusted[i]) + " after correction"));
            } else if (j.decision() == FieldDecision.UNDECIDED) {
                String why = candidate[i] ? "not significant yet" : j.mirrorRate() <= maxDifferenceRate
                        ? "within the tolerated rate" : "not enough evidence yet";
                out.add(new FieldJudgement(j.decision(), j.source(), j.primaryDiffers(), j.samples(), j.mirrorRate(),
                        j.primaryRate(), j.pValue(), adjusted[i], j.blocksPass(),
                        "undecided: " + j.evidence() + "; " + why + " (p " + pValue(adjusted[i]) + ")"));
            } else {
                out.add(new FieldJudgement(j.decision(), j.source(), j.primaryDiffers(), j.samples(), j.mirrorRate(),
                        j.primaryRate(), j.pValue(), adjusted[i], false, j.evidence()));
            }
        }
        return out;
    }

    /**
     * Does v2 fail more often than v1 on the same requests: exact one-sided McNemar test on the requests where only
     * one side failed; a regression when significant at the false-discovery rate and the Newcombe interval of the
     * difference of rates starts above {@link VerdictPolicy#maxErrorRateIncrease()}.
     */
    public static ErrorCheck errors(long pairs, long mirrorErrors, long primaryErrors, long mirrorOnly,
            long primaryOnly, String mirrorLabel, String primaryLabel, VerdictPolicy policy) {
        Statistics.Interval m = Statistics.wilson(mirrorErrors, pairs, Statistics.Z95);
        Statistics.Interval pr = Statistics.wilson(primaryErrors, pairs, Statistics.Z95);
        double p = Statistics.binomialAtLeast(mirrorOnly, mirrorOnly + primaryOnly, 0.5);
        Statistics.Interval gap = Statistics.newcombe(mirrorErrors, pairs, primaryErrors, pairs, Statistics.Z95);
        boolean regression = pairs > 0 && mirrorOnly >= policy.minDifferences() && p <= policy.falseDiscoveryRate()
                && gap.low() > policy.maxErrorRateIncrease();
        String summary = String.format(Locale.ROOT, "errors %s %s [%s–%s] vs %s %s [%s–%s]", mirrorLabel,
                pct(rate(mirrorErrors, pairs)), pct(m.low()), pct(m.high()), primaryLabel,
                pct(rate(primaryErrors, pairs)), pct(pr.low()), pct(pr.high()));
        return new ErrorCheck(pairs, mirrorErrors, primaryErrors, rate(mirrorErrors, pairs), m.low(), m.high(),
                rate(primaryErrors, pairs), pr.low(), pr.high(), mirrorOnly, primaryOnly, p, regression, summary);
    }

    /**
     * Is v2 slower than the baseline: one-sided Mann–Whitney on the two histograms; a regression when significant at
     * the false-discovery rate and the median rose by more than the tolerance ({@code max(latencyTolerance,
     * latencyRelativeTolerance × baseline median)}), or — the tail check, which the rank test misses — when, with at
     * least four times {@link VerdictPolicy#minLatencySamples()} per side, the lower end of v2's p95 (95% order
     * statistic interval) is above the upper end of the baseline's by more than the tolerance. {@code null} below
     * {@link VerdictPolicy#minLatencySamples()} on either side.
     */
    public static LatencyCheck latency(String baselineLabel, long[] baseline, long[] mirror, String mirrorLabel,
            RankValue values, VerdictPolicy policy) {
        long nb = sum(baseline);
        long nm = sum(mirror);
        if (nb < policy.minLatencySamples() || nm < policy.minLatencySamples()) {
            return null;
        }
        Statistics.RankTest test = Statistics.mannWhitneyGreater(baseline, mirror);
        double b50 = millis(quantile(values, baseline, nb, 0.5));
        double m50 = millis(quantile(values, mirror, nm, 0.5));
        double b95 = millis(quantile(values, baseline, nb, 0.95));
        double m95 = millis(quantile(values, mirror, nm, 0.95));
        double tolerance = policy.latencyTolerance().toNanos() / 1e6;
        boolean median = test.pValue() <= policy.falseDiscoveryRate()
                && m50 - b50 > Math.max(tolerance, policy.latencyRelativeTolerance() * b50);
        boolean tail = false;
        if (nb >= 4 * policy.minLatencySamples() && nm >= 4 * policy.minLatencySamples()) {
            double mLow = millis(quantileBound(values, mirror, nm, 0.95, -1));
            double bHigh = millis(quantileBound(values, baseline, nb, 0.95, +1));
            tail = mLow - bHigh > Math.max(tolerance, policy.latencyRelativeTolerance() * bHigh);
        }
        String summary = String.format(Locale.ROOT, "p95 %s → %s (p50 %s → %s; %s vs %s)", ms(b95), ms(m95),
                ms(b50), ms(m50), mirrorLabel, baselineLabel);
        return new LatencyCheck(baselineLabel, nb, nm, b50, m50, b95, m95, test.probabilityHigher(), test.pValue(),
                median || tail, summary);
    }

    /** The latency, in nanoseconds, of the {@code rank}-th smallest value (1-based) of binned counts. */
    @FunctionalInterface
    public interface RankValue {
        long at(long[] counts, long rank);
    }

    private static long quantile(RankValue values, long[] counts, long n, double q) {
        return values.at(counts, (long) Math.ceil(q * n));
    }

    /** A bound of the 95% distribution-free interval of a quantile: the order statistics at nq ± 1.96√(nq(1−q)). */
    private static long quantileBound(RankValue values, long[] counts, long n, double q, int side) {
        double spread = Statistics.Z95 * Math.sqrt(n * q * (1 - q));
        long rank = side < 0 ? (long) Math.floor(n * q - spread) : (long) Math.ceil(n * q + spread);
        return values.at(counts, rank);
    }

    private static long sum(long[] counts) {
        long s = 0;
        for (long c : counts) {
            s += c;
        }
        return s;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    /** What one look concluded, and the line that says why. */
    public record Decision(Verdict verdict, String line) {
    }

    /**
     * The verdict of one look. {@code FAIL} on strong evidence: a field judged different, an error-rate regression or
     * a latency regression — whatever the amount of data. {@code PASS} once there are {@code minComparisons}
     * comparisons, {@code minDuration} has passed, {@code minSamples} noise samples arrived (when the route receives
     * any), latency could be judged, and no field blocks it (undecided and not negligible). {@code INSUFFICIENT_DATA}
     * otherwise, naming what is missing.
     */
    public static Decision decide(VerdictInput in) {
        String head = String.format(Locale.ROOT, "%s matches %s on %.1f%% of %,d requests", in.mirrorLabel(),
                in.primaryLabel(), in.compared() == 0 ? 0.0
                        : Math.floor((in.compared() - in.different()) * 1000.0 / in.compared()) / 10.0, in.compared());
        List<VerdictInput.NamedField> different = new ArrayList<>();
        List<VerdictInput.NamedField> blocking = new ArrayList<>();
        int noisy = 0;
        for (VerdictInput.NamedField f : in.fields()) {
            FieldJudgement j = f.judgement();
            if (j.decision() == FieldDecision.DIFFERENT) {
                different.add(f);
            } else if (j.decision() == FieldDecision.NOISE) {
                noisy++;
            } else if (j.blocksPass()) {
                blocking.add(f);
            }
        }
        boolean errorsFail = in.errors() != null && in.errors().regression();
        boolean latencyFail = in.latency() != null && in.latency().regression();
        if (!different.isEmpty() || errorsFail || latencyFail) {
            StringBuilder sb = new StringBuilder(head);
            if (!different.isEmpty()) {
                sb.append("; ").append(different.size()).append(different.size() == 1 ? " field differs: "
                        : " fields differ: ");
                appendFields(sb, different, in.maxNamed(), true);
            }
            if (errorsFail) {
                sb.append("; ").append(in.errors().summary());
            }
            if (latencyFail) {
                sb.append("; slower: ").append(in.latency().summary());
            }
            appendNoisy(sb, noisy);
            return new Decision(Verdict.FAIL, sb.toString());
        }
        List<String> missing = new ArrayList<>();
        if (in.compared() < in.minComparisons()) {
            missing.add(String.format(Locale.ROOT, "%,d of %,d requests needed", in.compared(),
                    in.minComparisons()));
        }
        if (in.elapsed().compareTo(in.minDuration()) < 0) {
            missing.add(String.format(Locale.ROOT, "%d s of %d s", in.elapsed().toSeconds(),
                    in.minDuration().toSeconds()));
        }
        if (in.samples() > 0 && in.samples() < in.minSamples()) {
            missing.add(String.format(Locale.ROOT, "%,d of %,d v1-vs-v1 samples", in.samples(), in.minSamples()));
        }
        if (in.latency() == null && in.compared() > 0) {
            missing.add("too few latencies");
        }
        if (!blocking.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            sb.append(blocking.size()).append(blocking.size() == 1 ? " field undecided: " : " fields undecided: ");
            appendFields(sb, blocking, in.maxNamed(), false);
            missing.add(sb.toString());
        }
        if (!missing.isEmpty()) {
            return new Decision(Verdict.INSUFFICIENT_DATA, "not enough data: " + String.join(", ", missing));
        }
        List<VerdictInput.NamedField> rare = new ArrayList<>();
        for (VerdictInput.NamedField f : in.fields()) {
            if (f.judgement().decision() == FieldDecision.UNDECIDED) {
                rare.add(f);
            }
        }
        StringBuilder sb = new StringBuilder(head).append(rare.isEmpty() ? "; no differences" : "; no real differences");
        if (!rare.isEmpty()) {
            sb.append("; ").append(rare.size()).append(rare.size() == 1 ? " field differs rarely: "
                    : " fields differ rarely: ");
            appendFields(sb, rare, in.maxNamed(), true);
        }
        appendNoisy(sb, noisy);
        if (in.errors() != null) {
            sb.append("; ").append(in.errors().summary());
        }
        if (in.latency() != null) {
            sb.append("; ").append(in.latency().summary());
        }
        return new Decision(Verdict.PASS, sb.toString());
    }

    private static void appendFields(StringBuilder sb, List<VerdictInput.NamedField> fields, int maxNamed,
            boolean rates) {
        for (int i = 0; i < Math.min(maxNamed, fields.size()); i++) {
            VerdictInput.NamedField f = fields.get(i);
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(f.path()).append(" (").append(f.description());
            FieldJudgement j = f.judgement();
            if (rates) {
                sb.append(": ").append(pct(j.mirrorRate()));
                if (j.source() == EvidenceSource.SAMPLES || j.source() == EvidenceSource.ROUTE_SAMPLES) {
                    sb.append(" vs ").append(pct(j.primaryRate())).append(" between two v1 answers");
                }
            }
            sb.append(')');
        }
        if (fields.size() > maxNamed) {
            sb.append(", and ").append(fields.size() - maxNamed).append(" more");
        }
    }

    private static void appendNoisy(StringBuilder sb, int noisy) {
        if (noisy > 0) {
            sb.append(noisy == 1 ? " (1 noisy field ignored)" : " (" + noisy + " noisy fields ignored)");
        }
    }

    /** {@code 2.1 ms}, {@code 46 ms}, {@code 0.35 ms}. */
    static String ms(double millis) {
        if (millis >= 10) {
            return String.format(Locale.ROOT, "%.0f ms", millis);
        }
        if (millis >= 1) {
            return String.format(Locale.ROOT, "%.1f ms", millis);
        }
        return String.format(Locale.ROOT, "%.2f ms", millis);
    }

    private static double rate(long x, long n) {
        return n == 0 ? 0 : (double) x / n;
    }

    /** A share as a percentage: {@code 33%}, {@code 2.4%}, {@code 0.31%}, {@code 0%}. */
    static String pct(double r) {
        double v = r * 100;
        if (v < 0.005) {
            return "0%";
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.0f%%", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.1f%%", v);
        }
        return String.format(Locale.ROOT, "%.2f%%", v);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String pValue(double p) {
        return p < 1e-4 ? String.format(Locale.ROOT, "%.0e", p) : String.format(Locale.ROOT, "%.4f", p);
    }
}

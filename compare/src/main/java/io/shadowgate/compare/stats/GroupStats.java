package io.shadowgate.compare.stats;

import io.shadowgate.compare.capture.ExchangePair;
import io.shadowgate.compare.diff.DiffKind;
import io.shadowgate.compare.diff.Difference;
import io.shadowgate.compare.diff.ExchangeDiff;
import io.shadowgate.compare.diff.Finding;
import io.shadowgate.compare.diff.Outcome;
import io.shadowgate.compare.group.GroupKey;
import io.shadowgate.compare.noise.NoisePolicy;
import io.shadowgate.compare.noise.PathNoise;
import io.shadowgate.compare.capture.CapturedResponse;
import io.shadowgate.compare.report.ErrorCheck;
import io.shadowgate.compare.report.FieldDecision;
import io.shadowgate.compare.report.FieldReport;
import io.shadowgate.compare.report.GroupReport;
import io.shadowgate.compare.report.LatencyCheck;
import io.shadowgate.compare.report.Verdicts;
import io.shadowgate.compare.settings.CompareSettings;
import io.shadowgate.compare.settings.RouteSettings;
import io.shadowgate.compare.settings.VerdictPolicy;
import io.shadowgate.compare.verdict.FieldCounts;
import io.shadowgate.compare.verdict.FieldJudgement;
import io.shadowgate.compare.verdict.Judge;
import io.shadowgate.compare.verdict.VerdictInput;
import io.shadowgate.compare.verdict.VerdictState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Accumulator of one comparison group. Thread-safe (atomics and concurrent maps; no global lock).
 *
 * <p>Bounds: at most {@code maxFieldsPerGroup} fields (further ones fold into
 * {@value #OTHER_FIELDS}) and as many noise trackers, both also drawn from the global field
 * {@link Budget}; examples drawn from the global example budget; at most
 * {@code maxSignaturesPerGroup} difference signatures of at most {@value #MAX_SIGNATURE_FIELDS}
 * fields. A signature is the set of fields that differed in one exchange; counting exchanges per
 * signature is what lets the report reclassify earlier exchanges as noise-only once a field is
 * later found to be noise. Exchanges whose signature does not fit are classified once, when
 * recorded.
 */
final class GroupStats {

    static final String OTHER_FIELDS = "(other fields)";
    /** Longer signatures are not kept (classified when recorded), bounding a signature's size. */
    static final int MAX_SIGNATURE_FIELDS = 32;

    /** v1-vs-v1 order changes of an array after which v1 is known to return it in varying order. */
    static final int UNORDERED_AFTER = 2;
    /** First look at the verdict after this many comparisons; later ones after 10% more (at least this many). */
    static final long FIRST_LOOK = 20;

    final GroupKey key;
    final RouteState route;
    private final Clock clock;
    private final Instant created;
    private final VerdictPolicy verdictPolicy;
    private final NoisePolicy policy;
    private final int maxFields;
    private final int maxExamples;
    private final int maxSignatures;
    private final int maxVerdictFields;
    private final FieldStats.LockedRandom random;
    private final Budget fieldBudget;
    private final Budget exampleBudget;

    private final LongAdder identical = new LongAdder();
    private final LongAdder noiseSamples = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> skipped = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> bodiesSkipped = new ConcurrentHashMap<>();
    private final SideStats primary = new SideStats();
    private final SideStats mirror = new SideStats();
    private volatile String primaryVersion;
    private volatile String mirrorVersion;

    private final ConcurrentHashMap<String, FieldStats> fields = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<FieldStats> fieldsById;
    private final AtomicInteger nextFieldId = new AtomicInteger();
    private final ConcurrentHashMap<String, PathNoise> noiseByPath = new ConcurrentHashMap<>();
    private final Set<String> watched = Collections.unmodifiableSet(noiseByPath.keySet());
    private final AtomicInteger noiseTrackers = new AtomicInteger();
    private final PathNoise overflowNoise = new PathNoise(OTHER_FIELDS, true);

    private final ConcurrentHashMap<Signature, LongAdder> signatures = new ConcurrentHashMap<>();
    private final AtomicInteger signatureCount = new AtomicInteger();
    private final LongAdder overflowDifferent = new LongAdder();
    private final LongAdder overflowNoiseOnly = new LongAdder();

    /** Differences between two v1 answers (noise samples), by field key, with examples; bounded like fields. */
    private final ConcurrentHashMap<String, FieldStats> primaryFields = new ConcurrentHashMap<>();
    private final AtomicInteger primaryFieldCount = new AtomicInteger();
    private final ConcurrentHashMap<String, LongAdder> orderChanges = new ConcurrentHashMap<>();
    private final Set<String> unordered = ConcurrentHashMap.newKeySet();
    private final Set<String> unorderedView = Collections.unmodifiableSet(unordered);
    /** Latencies of v1's answers to noise samples: the same mirror path as v2's, so the fair latency baseline. */
    private final LatencyHistogram sampleLatency = new LatencyHistogram();
    /** Exchanges whose both sides were seen, and who failed (5xx or no answer) among them. */
    private final LongAdder pairs = new LongAdder();
    private final LongAdder mirrorErrors = new LongAdder();
    private final LongAdder primaryErrors = new LongAdder();
    private final LongAdder mirrorOnlyErrors = new LongAdder();
    private final LongAdder primaryOnlyErrors = new LongAdder();
    private final VerdictState verdict = new VerdictState();
    /** Field tests in the whole engine (each field of each group is one), for the multiple-comparison correction. */
    private final java.util.concurrent.atomic.AtomicLong testCount;
    private long nextLook = FIRST_LOOK;
    private final LongAdder comparedCount = new LongAdder();

    GroupStats(GroupKey key, RouteState route, CompareSettings settings, Clock clock, FieldStats.LockedRandom random,
            Budget fieldBudget, Budget exampleBudget, java.util.concurrent.atomic.AtomicLong tests) {
        this.key = key;
        this.route = route;
        this.clock = clock;
        this.created = clock.instant();
        this.verdictPolicy = settings.verdictPolicy();
        this.testCount = tests;
        this.fieldBudget = fieldBudget;
        this.exampleBudget = exampleBudget;
        this.policy = settings.noisePolicy();
        this.maxFields = settings.maxFieldsPerGroup();
        this.maxExamples = settings.maxExamplesPerField();
        this.maxSignatures = settings.maxSignaturesPerGroup();
        this.maxVerdictFields = settings.maxVerdictFields();
        this.random = random;
        this.fieldsById = new AtomicReferenceArray<>(maxFields + 1);
    }

    /** Records both answers' status, errors, latency and version labels. */
    void observe(ExchangePair pair) {
        primary.record(pair.primary());
        mirror.record(pair.mirror());
        boolean pe = isError(pair.primary());
        boolean me = isError(pair.mirror());
        pairs.increment();
        if (pe) {
            primaryErrors.increment();
        }
        if (me) {
            mirrorErrors.increment();
        }
        if (pe && !me) {
            primaryOnlyErrors.increment();
        } else if (me && !pe) {
            mirrorOnlyErrors.increment();
        }
        route.compared.increment();
        if (pair.primaryVersion() != null) {
            primaryVersion = pair.primaryVersion();
        }
        if (pair.mirrorVersion() != null) {
            mirrorVersion = pair.mirrorVersion();
        }
    }

    void recordSkip(SkipReason reason) {
        skipped.computeIfAbsent(reason.label(), k -> new LongAdder()).increment();
    }

    static boolean isError(CapturedResponse r) {
        return r.isFailed() || r.status() >= 500;
    }

    /**
     * Learns from two answers of v1 to the same request: counts each field in which they differed (per field key,
     * as v2's differences are counted, so a format change is never matched by a value change), keeps examples, notes
     * arrays v1 returns in varying order, and records the second answer's latency as the latency baseline.
     */
    void recordNoiseSample(ExchangeDiff sample, CapturedResponse second) {
        noiseSamples.increment();
        route.samples.increment();
        if (!second.isFailed()) {
            sampleLatency.record(second.latencyNanos());
            route.sampleLatency.record(second.latencyNanos());
        }
        Set<String> seen = new HashSet<>();
        for (Difference d : sample.differences()) {
            if (!seen.add(d.fieldKey())) {
                continue;
            }
            FieldStats f = primaryField(d);
            if (f != null) {
                f.increment();
                f.offerExample(null, d, random, exampleBudget);
            }
            route.primaryDiffered(d.fieldKey());
            if (d.kind() == DiffKind.ARRAY_ORDER_CHANGED) {
                // Bounded like the fields: arrays beyond the bound are simply never learnt as sets.
                LongAdder n = orderChanges.get(d.path());
                if (n == null && orderChanges.size() < maxFields) {
                    n = orderChanges.computeIfAbsent(d.path(), k -> new LongAdder());
                }
                if (n != null) {
                    n.increment();
                    if (n.sum() >= UNORDERED_AFTER) {
                        unordered.add(d.path());
                    }
                }
            }
        }
    }

    /** Grouping paths of arrays v1 returns in varying order: compared as multisets. A live read-only view. */
    Set<String> unorderedPaths() {
        return unorderedView;
    }

    private FieldStats primaryField(Difference d) {
        FieldStats f = primaryFields.get(d.fieldKey());
        if (f != null || primaryFieldCount.get() >= maxFields) {
            return f;
        }
        return primaryFields.computeIfAbsent(d.fieldKey(), k -> {
            if (primaryFieldCount.getAndIncrement() >= maxFields || !fieldBudget.tryTake()) {
                return null;
            }
            return new FieldStats(-1, d.path(), d.kind(), d.detail(), null, maxExamples);
        });
    }

    /**
     * The locations with noise evidence, for the differ to report whether they were present on both
     * sides of the next exchange. A live, read-only, thread-safe view.
     */
    Set<String> watchedPaths() {
        return watched;
    }

    /**
     * Counts one compared exchange and classifies it with what is known about noise now. Every
     * tracked location gets one observation per exchange in which it was present on both sides:
     * a difference, or an equal value reported by the differ in {@link ExchangeDiff#observed()}.
     */
    Classification record(String requestId, ExchangeDiff d) {
        comparedCount.increment();
        if (d.bodySkipped() != null) {
            bodiesSkipped.computeIfAbsent(d.bodySkipped(), k -> new LongAdder()).increment();
        }
        List<Difference> diffs = d.differences();
        Set<String> paths = new HashSet<>();
        for (Difference diff : diffs) {
            paths.add(diff.path());
        }
        for (String p : d.observed()) {
            PathNoise noise = paths.contains(p) ? null : noiseByPath.get(p);
            if (noise != null) {
                noise.recordEqual();
            }
        }
        if (diffs.isEmpty()) {
            identical.increment();
            return new Classification(key, Outcome.IDENTICAL, List.of(), null);
        }
        Map<String, FieldStats> distinct = new LinkedHashMap<>();
        paths.clear();
        for (Difference diff : diffs) {
            String k = diff.fieldKey();
            if (!distinct.containsKey(k)) {
                FieldStats f = field(diff);
                distinct.put(k, f);
                f.increment();
                f.offerExample(requestId, diff, random, exampleBudget);
            }
            if (paths.add(diff.path())) {
                // Only scalar value changes can look "unrelated"; other kinds count as plain differences.
                boolean scalar = diff.kind() == DiffKind.VALUE_CHANGED;
                noiseFor(diff.path()).recordDifference(scalar ? diff.primaryValue() : null,
                        scalar ? diff.mirrorValue() : null);
            }
        }
        List<Finding> findings = new ArrayList<>(diffs.size());
        boolean allNoise = true;
        for (Difference diff : diffs) {
            FieldJudgement j = distinct.get(diff.fieldKey()).judgement;
            boolean noise = j != null && j.decision() == FieldDecision.NOISE;
            findings.add(new Finding(diff, noise, noise ? j.evidence() : null));
            allNoise &= noise;
        }
        Outcome outcome = allNoise ? Outcome.NOISE_ONLY : Outcome.DIFFERENT;
        countSignature(distinct.values(), outcome);
        return new Classification(key, outcome, findings, null);
    }

    /** Whether a verdict look is due after this many comparisons (at 20, then every 10% more, at least 20). */
    boolean lookDue(long compared) {
        synchronized (this) {
            if (compared < nextLook) {
                return false;
            }
            nextLook = Math.max(compared + FIRST_LOOK, (long) Math.ceil(compared * 1.1));
            return true;
        }
    }

    /** Exchanges compared so far. */
    long compared() {
        return comparedCount.sum();
    }

    /** Classifies without recording anything (for {@code compareNow}). */
    Classification classify(ExchangeDiff d) {
        if (d.differences().isEmpty()) {
            return new Classification(key, Outcome.IDENTICAL, List.of(), null);
        }
        List<Finding> findings = new ArrayList<>();
        boolean allNoise = true;
        for (Difference diff : d.differences()) {
            FieldStats f = fields.get(diff.fieldKey());
            FieldJudgement j = f == null ? null : f.judgement;
            boolean noise = j != null && j.decision() == FieldDecision.NOISE;
            findings.add(new Finding(diff, noise, noise ? j.evidence() : null));
            allNoise &= noise;
        }
        return new Classification(key, allNoise ? Outcome.NOISE_ONLY : Outcome.DIFFERENT, findings, null);
    }

    private void countSignature(Iterable<FieldStats> fs, Outcome outcome) {
        int[] ids = new int[16];
        int n = 0;
        for (FieldStats f : fs) {
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
            }
            ids[n++] = f.id;
        }
        Signature sig = new Signature(Arrays.stream(ids, 0, n).sorted().distinct().toArray());
        LongAdder c = sig.ids.length > MAX_SIGNATURE_FIELDS ? null : signatures.get(sig);
        if (c == null && sig.ids.length <= MAX_SIGNATURE_FIELDS && signatureCount.get() < maxSignatures) {
            c = signatures.computeIfAbsent(sig, s -> signatureCount.getAndIncrement() < maxSignatures ? new LongAdder() : null);
        }
        if (c != null) {
            c.increment();
        } else if (outcome == Outcome.NOISE_ONLY) {
            overflowNoiseOnly.increment();
        } else {
            overflowDifferent.increment();
        }
    }

    private FieldStats field(Difference d) {
        String k = d.fieldKey();
        FieldStats f = fields.get(k);
        if (f != null) {
            return f;
        }
        if (nextFieldId.get() < maxFields) {
            f = fields.computeIfAbsent(k, x -> {
                if (!fieldBudget.tryTake()) {
                    return null;
                }
                int id = nextFieldId.getAndIncrement();
                if (id >= maxFields) {
                    fieldBudget.giveBack();
                    return null;
                }
                FieldStats created = new FieldStats(id, d.path(), d.kind(), d.detail(), noiseFor(d.path()), maxExamples);
                testCount.incrementAndGet();
                fieldsById.set(id, created);
                return created;
            });
            if (f != null) {
                return f;
            }
        }
        FieldStats other = fieldsById.get(maxFields);
        if (other == null) {
            fieldsById.compareAndSet(maxFields, null,
                    new FieldStats(maxFields, OTHER_FIELDS, null, null, overflowNoise, maxExamples));
            other = fieldsById.get(maxFields);
        }
        return other;
    }

    private PathNoise noiseFor(String path) {
        PathNoise p = noiseByPath.get(path);
        if (p != null) {
            return p;
        }
        if (noiseTrackers.get() >= maxFields) {
            return overflowNoise;
        }
        boolean never = path.equals("status") || path.equals("failure");
        p = noiseByPath.computeIfAbsent(path, x -> {
            if (!fieldBudget.tryTake()) {
                return null;
            }
            if (noiseTrackers.getAndIncrement() >= maxFields) {
                fieldBudget.giveBack();
                return null;
            }
            return new PathNoise(path, never);
        });
        return p != null ? p : overflowNoise;
    }

    String primaryVersion() {
        return primaryVersion;
    }

    String mirrorVersion() {
        return mirrorVersion;
    }

    /** Counts of this group reclassified with current noise knowledge. */
    record Counts(long compared, long identical, long different, long noiseOnly) {
    }

    Counts counts() {
        Map<Integer, Boolean> noiseById = new HashMap<>();
        long different = overflowDifferent.sum();
        long noiseOnly = overflowNoiseOnly.sum();
        for (Map.Entry<Signature, LongAdder> e : signatures.entrySet()) {
            boolean allNoise = true;
            for (int id : e.getKey().ids) {
                allNoise &= noiseById.computeIfAbsent(id, i -> {
                    FieldStats f = fieldsById.get(i);
                    return f != null && f.judgement != null && f.judgement.decision() == FieldDecision.NOISE;
                });
            }
            if (allNoise) {
                noiseOnly += e.getValue().sum();
            } else {
                different += e.getValue().sum();
            }
        }
        long ident = identical.sum();
        return new Counts(ident + different + noiseOnly, ident, different, noiseOnly);
    }

    /** One look: every field judged (decisions cached for the counts), the errors and latency checked. */
    record Look(List<FieldStats> fields, List<FieldJudgement> judgements, ErrorCheck errors, LatencyCheck latency,
            Judge.Decision decision, Counts counts) {
    }

    /** The fields of this group, most frequent first (the overflow entry among them). */
    private List<FieldStats> sortedFields() {
        List<FieldStats> all = new ArrayList<>(fields.values());
        FieldStats other = fieldsById.get(maxFields);
        if (other != null) {
            all.add(other);
        }
        all.sort(Comparator.comparingLong(FieldStats::count).reversed().thenComparingInt(f -> f.id));
        return all;
    }

    /**
     * Judges the group now ({@link Judge}) and applies the result to its sticky verdict.
     *
     * @param rs the route's settings
     */
    Look look(RouteSettings rs) {
        List<FieldStats> all = sortedFields();
        long groupSamples = noiseSamples.sum();
        long routeSamples = route.samples.sum();
        List<FieldCounts> inputs = new ArrayList<>(all.size());
        for (FieldStats f : all) {
            FieldStats p = f.kind == null ? null : primaryFields.get(fieldKey(f));
            inputs.add(new FieldCounts(f.path, f.kind, f.detail, f.count(), p == null ? 0 : p.count(),
                    f.kind == null ? 0 : route.primaryDiffers(fieldKey(f)), unordered.contains(f.path),
                    f.noise.status(SHAPE_ONLY.apply(policy)),
                    f.kind != DiffKind.VALUE_CHANGED || f.noise.observations() >= policy.minObservations()
                            && !f.noise.mostlyUnrelated(policy),
                    f.kind == DiffKind.VALUE_CHANGED ? f.noise.generatedKind(policy) : null));
        }
        // Counts first without fresh decisions would reuse old ones; judge, cache, then count.
        long compared = compared();
        List<FieldJudgement> judgements = Judge.fields(inputs, compared, groupSamples, routeSamples,
                rs.maxDifferenceRate(), verdictPolicy, testCount.get());
        for (int i = 0; i < all.size(); i++) {
            all.get(i).judgement = judgements.get(i);
        }
        Counts c = counts();
        String mirrorLabel = Verdicts.label(mirrorVersion, "mirror");
        String primaryLabel = Verdicts.label(primaryVersion, "primary");
        ErrorCheck errors = Judge.errors(pairs.sum(), mirrorErrors.sum(), primaryErrors.sum(), mirrorOnlyErrors.sum(),
                primaryOnlyErrors.sum(), mirrorLabel, primaryLabel, verdictPolicy);
        long[] base = sampleLatency.counts();
        boolean samplesBaseline = sampleLatency.count() >= verdictPolicy.minLatencySamples();
        LatencyCheck latency = Judge.latency(samplesBaseline ? primaryLabel + " samples" : primaryLabel,
                samplesBaseline ? base : primary.latencyCounts(), mirror.latencyCounts(), mirrorLabel,
                LatencyHistogram::valueAtRank, verdictPolicy);
        List<VerdictInput.NamedField> named = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            FieldStats f = all.get(i);
            named.add(new VerdictInput.NamedField(f.path, describe(f, mirrorLabel), judgements.get(i)));
        }
        Judge.Decision decision = Judge.decide(new VerdictInput(primaryLabel, mirrorLabel, c.compared(), c.different(),
                named, errors, latency, groupSamples, Duration.between(created, clock.instant()), rs.minComparisons(),
                route.samples.sum() > 0 ? verdictPolicy.minNoiseSamples() : 0, verdictPolicy.minDuration(),
                maxVerdictFields));
        verdict.update(decision.verdict(), decision.line(), clock.instant(), c.compared());
        return new Look(all, judgements, errors, latency, decision, c);
    }

    /** The shape rules alone: learnt-from-sample noise is judged by the statistics instead. */
    private static final java.util.function.Function<NoisePolicy, NoisePolicy> SHAPE_ONLY = p -> new NoisePolicy(
            p.statisticalDetection(), false, p.minObservations(), p.minDifferenceRatio(), p.minUnrelatedRatio());

    private static String fieldKey(FieldStats f) {
        return f.detail == null ? f.path + " " + f.kind : f.path + " " + f.kind + " " + f.detail;
    }

    private static String describe(FieldStats f, String mirrorLabel) {
        return f.kind == null ? "fields beyond the field bounds" : f.kind.describe(f.detail, mirrorLabel);
    }

    GroupReport snapshot(RouteSettings rs) {
        Look look = look(rs);
        Counts c = look.counts();
        String mirrorLabel = Verdicts.label(mirrorVersion, "mirror");
        List<FieldReport> reports = new ArrayList<>(look.fields().size());
        for (int i = 0; i < look.fields().size(); i++) {
            reports.add(fieldReport(look.fields().get(i), look.judgements().get(i), c.compared(), mirrorLabel));
        }
        Map<String, Long> skips = sums(skipped);
        double rate = c.compared() == 0 ? 0 : (double) c.different() / c.compared();
        VerdictState.Snapshot v = verdict.snapshot();
        String line = v.verdict() == look.decision().verdict() || v.reason() == null ? look.decision().line()
                : v.reason();
        return new GroupReport(key.routeKey(), key.method(), key.pathTemplate(), primary.snapshot(primaryVersion),
                mirror.snapshot(mirrorVersion), c.compared(), c.identical(), c.different(), c.noiseOnly(), skips,
                sums(bodiesSkipped), rate, noiseSamples.sum(), reports, v.verdict(), line, v.since(), v.reason(),
                v.after(), look.errors(), look.latency());
    }

    private FieldReport fieldReport(FieldStats f, FieldJudgement j, long compared, String mirrorLabel) {
        FieldStats p = f.kind == null ? null : primaryFields.get(fieldKey(f));
        boolean noise = j.decision() == FieldDecision.NOISE;
        return new FieldReport(f.path, f.kind, f.detail, describe(f, mirrorLabel), f.count(), noise,
                noise ? j.evidence() : null, f.examples(), j.decision(), j.source(), j.evidence(), compared,
                j.primaryDiffers(), j.samples(), j.mirrorRate(), j.primaryRate(), j.pValue(), j.adjustedP(),
                p == null ? List.of() : p.examples());
    }

    /** Inputs of the route's own look: paired error counts. */
    long[] errorCounts() {
        return new long[] {pairs.sum(), mirrorErrors.sum(), primaryErrors.sum(), mirrorOnlyErrors.sum(),
                primaryOnlyErrors.sum()};
    }

    long[] mirrorLatencyCounts() {
        return mirror.latencyCounts();
    }

    long[] primaryLatencyCounts() {
        return primary.latencyCounts();
    }

    VerdictState.Snapshot verdictSnapshot() {
        return verdict.snapshot();
    }

    long noiseSampleCount() {
        return noiseSamples.sum();
    }

    static Map<String, Long> sums(Map<String, LongAdder> m) {
        Map<String, Long> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Sorted field ids that differed together in one exchange. */
    private static final class Signature {
        final int[] ids;
        private final int hash;

        Signature(int[] ids) {
            this.ids = ids;
            this.hash = Arrays.hashCode(ids);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s && Arrays.equals(ids, s.ids);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}

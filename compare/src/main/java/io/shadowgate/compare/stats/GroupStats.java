package io.shadowgate.compare.stats;

import io.shadowgate.compare.capture.ExchangePair;
import io.shadowgate.compare.diff.DiffKind;
import io.shadowgate.compare.diff.Difference;
import io.shadowgate.compare.diff.ExchangeDiff;
import io.shadowgate.compare.diff.Finding;
import io.shadowgate.compare.diff.Outcome;
import io.shadowgate.compare.group.GroupKey;
import io.shadowgate.compare.noise.NoisePolicy;
import io.shadowgate.compare.noise.NoiseStatus;
import io.shadowgate.compare.noise.PathNoise;
import io.shadowgate.compare.report.FieldReport;
import io.shadowgate.compare.report.GroupReport;
import io.shadowgate.compare.report.Verdicts;
import io.shadowgate.compare.settings.CompareSettings;
import io.shadowgate.compare.settings.RouteSettings;
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

    final GroupKey key;
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

    GroupStats(GroupKey key, CompareSettings settings, FieldStats.LockedRandom random, Budget fieldBudget,
            Budget exampleBudget) {
        this.key = key;
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

    void recordNoiseSample(ExchangeDiff sample) {
        noiseSamples.increment();
        Set<String> seen = new HashSet<>();
        for (Difference d : sample.differences()) {
            if (d.kind() != DiffKind.STATUS_CHANGED && d.kind() != DiffKind.MIRROR_FAILED && seen.add(d.path())) {
                noiseFor(d.path()).markLearnedFromSample();
            }
        }
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
        Map<FieldStats, NoiseStatus> status = new HashMap<>();
        for (FieldStats f : distinct.values()) {
            status.computeIfAbsent(f, x -> x.noise.status(policy));
        }
        List<Finding> findings = new ArrayList<>(diffs.size());
        boolean allNoise = true;
        for (Difference diff : diffs) {
            NoiseStatus s = status.get(distinct.get(diff.fieldKey()));
            findings.add(new Finding(diff, s.noise(), s.reason()));
            allNoise &= s.noise();
        }
        Outcome outcome = allNoise ? Outcome.NOISE_ONLY : Outcome.DIFFERENT;
        countSignature(distinct.values(), outcome);
        return new Classification(key, outcome, findings, null);
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
            PathNoise p = f != null ? f.noise : noiseByPath.get(diff.path());
            NoiseStatus s = p == null ? NoiseStatus.NOT_NOISE : p.status(policy);
            findings.add(new Finding(diff, s.noise(), s.reason()));
            allNoise &= s.noise();
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
                    return f != null && f.noise.status(policy).noise();
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

    GroupReport snapshot(RouteSettings rs) {
        Counts c = counts();
        String mirrorLabel = Verdicts.label(mirrorVersion, "mirror");
        List<FieldStats> all = new ArrayList<>(fields.values());
        FieldStats other = fieldsById.get(maxFields);
        if (other != null) {
            all.add(other);
        }
        all.sort(Comparator.comparingLong(FieldStats::count).reversed().thenComparingInt(f -> f.id));
        List<FieldReport> reports = new ArrayList<>(all.size());
        for (FieldStats f : all) {
            NoiseStatus s = f.noise.status(policy);
            String description = f.kind == null
                    ? "fields beyond the field bounds"
                    : f.kind.describe(f.detail, mirrorLabel);
            reports.add(new FieldReport(f.path, f.kind, f.detail, description, f.count(), s.noise(), s.reason(),
                    f.examples()));
        }
        Map<String, Long> skips = sums(skipped);
        double rate = c.compared() == 0 ? 0 : (double) c.different() / c.compared();
        return new GroupReport(key.routeKey(), key.method(), key.pathTemplate(), primary.snapshot(primaryVersion),
                mirror.snapshot(mirrorVersion), c.compared(), c.identical(), c.different(), c.noiseOnly(), skips,
                sums(bodiesSkipped), rate, noiseSamples.sum(), reports,
                Verdicts.decide(c.compared(), c.different(), rs.maxDifferenceRate(), rs.minComparisons()),
                Verdicts.line(primaryVersion, mirrorVersion, c.compared(), c.different(), rs.minComparisons(), reports,
                        maxVerdictFields));
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

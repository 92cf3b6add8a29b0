package io.shadowgate.compare.stats;

import io.shadowgate.compare.capture.ExchangePair;
import io.shadowgate.compare.diff.Difference;
import io.shadowgate.compare.diff.ExchangeDiff;
import io.shadowgate.compare.diff.Finding;
import io.shadowgate.compare.diff.Outcome;
import io.shadowgate.compare.group.GroupKey;
import io.shadowgate.compare.report.ComparisonReport;
import io.shadowgate.compare.report.DifferenceRecord;
import io.shadowgate.compare.report.Example;
import io.shadowgate.compare.report.FieldReport;
import io.shadowgate.compare.report.GroupReport;
import io.shadowgate.compare.report.ReportJson;
import io.shadowgate.compare.report.RouteReport;
import io.shadowgate.compare.report.ErrorCheck;
import io.shadowgate.compare.report.FieldDecision;
import io.shadowgate.compare.report.LatencyCheck;
import io.shadowgate.compare.report.Verdict;
import io.shadowgate.compare.report.Verdicts;
import io.shadowgate.compare.settings.VerdictPolicy;
import io.shadowgate.compare.verdict.FieldJudgement;
import io.shadowgate.compare.verdict.Judge;
import io.shadowgate.compare.verdict.VerdictInput;
import io.shadowgate.compare.verdict.VerdictState;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import io.shadowgate.compare.settings.CompareSettings;
import io.shadowgate.compare.settings.RouteSettings;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * All comparison statistics, grouped, bounded and thread-safe.
 *
 * <p>Any number of threads may record while others build snapshots; there is no global lock.
 * Bounds: {@code maxGroups} groups (then exchanges fold into {@link GroupKey#OTHER} and are counted
 * in {@code foldedExchanges}), each group bounded as described in {@link GroupStats}, global
 * budgets of {@code maxTrackedFields} fields and {@code maxStoredExamples} examples, and a ring
 * buffer of {@code recentDifferences} records of at most {@link DifferenceRecord#MAX_ITEMS}
 * differences each.
 */
public final class CompareStats {

    private final CompareSettings settings;
    private final Clock clock;
    private final FieldStats.LockedRandom random;
    private final Consumer<String> onNewRoute;
    private final ConcurrentHashMap<GroupKey, GroupStats> groups = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<GroupStats>> byRoute = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RouteState> routeStates = new ConcurrentHashMap<>();
    /** Field tests over all groups: the m of the Benjamini–Hochberg correction. */
    private volatile AtomicLong fieldTests = new AtomicLong();
    private final AtomicInteger groupCount = new AtomicInteger();
    private final LongAdder folded = new LongAdder();
    private final RecentDifferences recent;
    private volatile Budgets budgets;
    private volatile Instant since;

    /** The global budgets; replaced as a whole on reset. */
    private record Budgets(Budget fields, Budget examples) {
    }

    /**
     * @param settings   bounds, noise and verdict settings
     * @param clock      time source for record timestamps and the report period
     * @param random     randomness for example sampling (any generator; access is serialised)
     * @param onNewRoute called once per route key (per reset) when its first group is created, e.g. to
     *                   register a per-route gauge; must be cheap and must not call back into this object
     */
    public CompareStats(CompareSettings settings, Clock clock, RandomGenerator random, Consumer<String> onNewRoute) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = new FieldStats.LockedRandom(Objects.requireNonNull(random, "random"));
        this.onNewRoute = onNewRoute == null ? r -> { } : onNewRoute;
        this.recent = new RecentDifferences(settings.recentDifferences());
        this.budgets = newBudgets();
        this.since = clock.instant();
    }

    private Budgets newBudgets() {
        return new Budgets(new Budget(settings.maxTrackedFields()), new Budget(settings.maxStoredExamples()));
    }

    private GroupStats newGroup(GroupKey key) {
        Budgets b = budgets;
        return new GroupStats(key, routeState(key.routeKey()), settings, clock, random, b.fields(), b.examples(),
                fieldTests);
    }

    private RouteState routeState(String routeKey) {
        RouteState r = routeStates.get(routeKey);
        return r != null ? r : routeStates.computeIfAbsent(routeKey,
                k -> new RouteState(k, clock.instant(), settings.maxFieldsPerGroup()));
    }

    /**
     * The group an exchange of {@code key} is counted in: {@code key} itself, or
     * {@link GroupKey#OTHER} once {@code maxGroups} groups exist.
     */
    public GroupKey resolve(GroupKey key) {
        return group(key, false).key;
    }

    /**
     * Records one exchange that reached the comparison thread: both sides' status, errors, latency,
     * then either the skip ({@code diff.skipReason()}) or the comparison.
     */
    public Classification record(ExchangePair pair, ExchangeDiff diff) {
        GroupKey key = GroupKey.of(pair.routeKey(), pair.method(), pair.path());
        GroupStats g = group(key, true);
        g.observe(pair);
        if (!diff.compared()) {
            SkipReason reason = ExchangeDiff.PRIMARY_FAILED.equals(diff.skipReason())
                    ? SkipReason.PRIMARY_FAILED : SkipReason.INTERNAL_ERROR;
            g.recordSkip(reason);
            return new Classification(g.key, Outcome.SKIPPED, List.of(), reason);
        }
        Classification c = g.record(pair.requestId(), diff);
        if (c.outcome() != Outcome.IDENTICAL) {
            recent.add(toRecord(pair, key, c, diff.differencesTruncated()));
        }
        lookIfDue(g);
        return c;
    }

    /**
     * Looks at the verdict when the data has grown enough since the last look (at 20 comparisons, then every 10%
     * more): looks are tied to the amount of data, not to the clock or to who reads the report, so a sticky FAIL
     * depends on the traffic alone.
     */
    private void lookIfDue(GroupStats g) {
        if (g.lookDue(g.compared())) {
            g.look(settings.settingsFor(g.key.routeKey()));
        }
        if (g.route.lookDue()) {
            List<GroupStats> gs = byRoute.get(g.key.routeKey());
            if (gs != null) {
                routeLook(g.route, gs, null);
            }
        }
    }

    /**
     * The locations of the group of {@code key} (or of {@link GroupKey#OTHER} when it folds there)
     * that carry noise evidence: the differ reports whether they were present on both sides of an
     * exchange, so that equal values count as observations. Empty for a group not created yet.
     * A live, read-only, thread-safe view.
     */
    public Set<String> watchedPaths(GroupKey key) {
        GroupStats g = groups.get(key);
        if (g == null && groupCount.get() >= settings.maxGroups()) {
            g = groups.get(GroupKey.OTHER);
        }
        return g == null ? Set.of() : g.watchedPaths();
    }

    /** Records an exchange that was not compared (rate limit, queue bound, closed, error). */
    public Classification recordSkip(GroupKey key, SkipReason reason) {
        GroupStats g = group(key, true);
        g.recordSkip(reason);
        return new Classification(g.key, Outcome.SKIPPED, List.of(), reason);
    }

    /**
     * Learns noise from the differences between two answers of the same version to one request.
     *
     * @param second the second answer (its latency is the latency baseline: it travelled the mirror path)
     */
    public void recordNoiseSample(GroupKey key, ExchangeDiff sample, io.shadowgate.compare.capture.CapturedResponse second) {
        if (sample.compared()) {
            group(key, true).recordNoiseSample(sample, second);
        }
    }

    /** Arrays the group's v1 returns in varying order (compared as multisets); a live read-only view. */
    public Set<String> unorderedPaths(GroupKey key) {
        GroupStats g = groups.get(key);
        if (g == null && groupCount.get() >= settings.maxGroups()) {
            g = groups.get(GroupKey.OTHER);
        }
        return g == null ? Set.of() : g.unorderedPaths();
    }

    /** Classifies a diff with the group's current noise knowledge, recording nothing. */
    public Classification classify(GroupKey key, ExchangeDiff diff) {
        GroupStats g = groups.get(key);
        if (g == null) {
            g = groupCount.get() >= settings.maxGroups() ? groups.get(GroupKey.OTHER) : null;
        }
        if (g == null) {
            // A throw-away group: classify() only reads it, so it costs nothing from the budgets.
            g = new GroupStats(key, new RouteState(key.routeKey(), clock.instant(), 0), settings, clock, random,
                    new Budget(0), new Budget(0), new AtomicLong());
        }
        if (!diff.compared()) {
            return new Classification(g.key, Outcome.SKIPPED, List.of(), SkipReason.PRIMARY_FAILED);
        }
        return g.classify(diff);
    }

    /**
     * Difference ratio of a route (different / compared over its groups, noise excluded), or
     * {@code NaN} when nothing was compared — Micrometer's convention for "no value", which makes a
     * promotion gate wait rather than pass on no data.
     */
    public double differenceRatio(String routeKey) {
        List<GroupStats> gs = byRoute.get(routeKey);
        if (gs == null) {
            return Double.NaN;
        }
        long compared = 0;
        long different = 0;
        for (GroupStats g : gs) {
            GroupStats.Counts c = g.counts();
            compared += c.compared();
            different += c.different();
        }
        return compared == 0 ? Double.NaN : (double) different / compared;
    }

    /** Clears every counter, field, noise evidence and recent record; the period restarts now. */
    public void reset() {
        groups.clear();
        byRoute.clear();
        routeStates.clear();
        fieldTests = new AtomicLong();
        groupCount.set(0);
        folded.reset();
        recent.clear();
        budgets = newBudgets();
        since = clock.instant();
    }

    /** Recent difference records, oldest first. */
    public List<DifferenceRecord> recentDifferences() {
        return recent.snapshot();
    }

    /** Writes the recent difference records as JSON lines, oldest first; does not close the writer. */
    public void exportJsonLines(Writer out) throws IOException {
        for (DifferenceRecord r : recent.snapshot()) {
            out.write(ReportJson.toJsonLine(r));
            out.write('\n');
        }
        out.flush();
    }

    /** Builds an immutable report of everything since the start or the last reset. */
    public ComparisonReport snapshot() {
        List<GroupStats> all = new ArrayList<>(groups.values());
        all.sort(Comparator.comparing((GroupStats g) -> g.key.routeKey()).thenComparing(g -> g.key.method())
                .thenComparing(g -> g.key.pathTemplate()));
        List<GroupReport> groupReports = new ArrayList<>(all.size());
        Map<String, List<GroupReport>> perRoute = new TreeMap<>();
        Map<String, List<GroupStats>> statsPerRoute = new HashMap<>();
        long compared = 0;
        long identical = 0;
        long different = 0;
        long noiseOnly = 0;
        Map<String, Long> skipped = new HashMap<>();
        for (GroupStats g : all) {
            GroupReport r = g.snapshot(settings.settingsFor(g.key.routeKey()));
            groupReports.add(r);
            perRoute.computeIfAbsent(r.route(), k -> new ArrayList<>()).add(r);
            statsPerRoute.computeIfAbsent(r.route(), k -> new ArrayList<>()).add(g);
            compared += r.compared();
            identical += r.identical();
            different += r.different();
            noiseOnly += r.noiseOnly();
            r.skipped().forEach((k, v) -> skipped.merge(k, v, Long::sum));
        }
        List<RouteReport> routes = new ArrayList<>(perRoute.size());
        perRoute.forEach((route, gs) -> routes.add(routeReport(route, gs, statsPerRoute.get(route))));
        ComparisonReport.Limits limits = new ComparisonReport.Limits(settings.maxGroups(), settings.maxFieldsPerGroup(),
                settings.maxTrackedFields(), settings.maxExamplesPerField(), settings.maxStoredExamples(),
                settings.maxValueLength(), settings.recentDifferences());
        return new ComparisonReport(clock.instant(), since, compared, identical, different, noiseOnly, skipped,
                folded.sum(), limits, routes, groupReports);
    }

    private RouteReport routeReport(String route, List<GroupReport> gs, List<GroupStats> stats) {
        long compared = 0;
        long identical = 0;
        long different = 0;
        long noiseOnly = 0;
        long samples = 0;
        String primaryVersion = null;
        String mirrorVersion = null;
        Map<String, Long> skipped = new HashMap<>();
        // Fields with the same path, kind and detail are merged across the route's groups; a field
        // is noise for the route only if it is noise in every group where it differed.
        Map<String, FieldReport> merged = new LinkedHashMap<>();
        for (GroupReport g : gs) {
            compared += g.compared();
            identical += g.identical();
            different += g.different();
            noiseOnly += g.noiseOnly();
            samples += g.noiseSamples();
            g.skipped().forEach((k, v) -> skipped.merge(k, v, Long::sum));
            primaryVersion = primaryVersion != null ? primaryVersion : g.primary().version();
            mirrorVersion = mirrorVersion != null ? mirrorVersion : g.mirror().version();
            for (FieldReport f : g.fields()) {
                merged.merge(f.path() + " " + f.kind() + " " + f.detail(), f, this::mergeFields);
            }
        }
        List<FieldReport> fields = new ArrayList<>(merged.values());
        // Stable sort: ties keep the order in which fields were first seen.
        fields.sort(Comparator.comparingLong(FieldReport::count).reversed());
        double rate = compared == 0 ? 0 : (double) different / compared;
        RouteState state = stats.isEmpty() ? routeState(route) : stats.get(0).route;
        RouteLook look = routeLook(state, stats, gs);
        VerdictState.Snapshot v = state.verdict.snapshot();
        String line = v.verdict() == look.decision().verdict() || v.reason() == null ? look.decision().line()
                : v.reason();
        return new RouteReport(route, primaryVersion, mirrorVersion, gs.size(), compared, identical, different,
                noiseOnly, skipped, rate, fields, v.verdict(), line, samples, v.since(), v.reason(), v.after(),
                look.errors(), look.latency());
    }

    /** The outcome of one look at a route. */
    private record RouteLook(Judge.Decision decision, ErrorCheck errors, LatencyCheck latency) {
    }

    /**
     * One look at a route: its groups' fields (judged in each group, {@code reports} when already built), the route's
     * paired error counts and latency, and the groups' sticky verdicts (a failed group fails the route).
     */
    private RouteLook routeLook(RouteState state, List<GroupStats> gs, List<GroupReport> reports) {
        RouteSettings rs = settings.settingsFor(state.routeKey);
        VerdictPolicy vp = settings.verdictPolicy();
        long compared = 0;
        long different = 0;
        long[] errors = new long[5];
        long[] mirrorLatency = new long[LatencyHistogram.BUCKETS];
        long[] primaryLatency = new long[LatencyHistogram.BUCKETS];
        String primaryVersion = null;
        String mirrorVersion = null;
        Map<String, VerdictInput.NamedField> named = new LinkedHashMap<>();
        String failedGroup = null;
        for (int gi = 0; gi < gs.size(); gi++) {
            GroupStats g = gs.get(gi);
            List<FieldReport> fields;
            long groupCompared;
            long groupDifferent;
            if (reports != null) {
                GroupReport r = reports.get(gi);
                fields = r.fields();
                groupCompared = r.compared();
                groupDifferent = r.different();
                if (r.verdict() == Verdict.FAIL && failedGroup == null) {
                    failedGroup = r.method() + " " + r.pathTemplate() + ": " + r.verdictReason();
                }
            } else {
                GroupStats.Look look = g.look(rs);
                fields = null;
                groupCompared = look.counts().compared();
                groupDifferent = look.counts().different();
                String mirrorLabel = Verdicts.label(g.mirrorVersion(), "mirror");
                for (int i = 0; i < look.fields().size(); i++) {
                    FieldStats f = look.fields().get(i);
                    FieldJudgement j = look.judgements().get(i);
                    String k = f.path + " " + f.kind + " " + f.detail;
                    VerdictInput.NamedField nf = new VerdictInput.NamedField(f.path,
                            f.kind == null ? "fields beyond the field bounds" : f.kind.describe(f.detail, mirrorLabel), j);
                    named.merge(k, nf, CompareStats::worse);
                }
                VerdictState.Snapshot sv = g.verdictSnapshot();
                if (sv.verdict() == Verdict.FAIL && failedGroup == null) {
                    failedGroup = g.key.method() + " " + g.key.pathTemplate() + ": " + sv.reason();
                }
            }
            if (fields != null) {
                for (FieldReport f : fields) {
                    FieldJudgement j = new FieldJudgement(f.decision(), f.evidenceSource(), f.primaryDiffers(),
                            f.samples(), f.mirrorRate(), f.primaryRate(), f.pValue(), f.adjustedPValue(),
                            f.decision() == FieldDecision.UNDECIDED && f.mirrorRate() > rs.maxDifferenceRate(),
                            f.evidence());
                    named.merge(f.path() + " " + f.kind() + " " + f.detail(),
                            new VerdictInput.NamedField(f.path(), f.description(), j), CompareStats::worse);
                }
            }
            compared += groupCompared;
            different += groupDifferent;
            long[] e = g.errorCounts();
            for (int i = 0; i < e.length; i++) {
                errors[i] += e[i];
            }
            add(mirrorLatency, g.mirrorLatencyCounts());
            add(primaryLatency, g.primaryLatencyCounts());
            primaryVersion = primaryVersion != null ? primaryVersion : g.primaryVersion();
            mirrorVersion = mirrorVersion != null ? mirrorVersion : g.mirrorVersion();
        }
        String primaryLabel = Verdicts.label(primaryVersion, "primary");
        String mirrorLabel = Verdicts.label(mirrorVersion, "mirror");
        ErrorCheck errorCheck = Judge.errors(errors[0], errors[1], errors[2], errors[3], errors[4], mirrorLabel,
                primaryLabel, vp);
        boolean samplesBaseline = state.sampleLatency.count() >= vp.minLatencySamples();
        LatencyCheck latency = Judge.latency(samplesBaseline ? primaryLabel + " samples" : primaryLabel,
                samplesBaseline ? state.sampleLatency.counts() : primaryLatency, mirrorLatency, mirrorLabel,
                LatencyHistogram::valueAtRank, vp);
        List<VerdictInput.NamedField> fields = new ArrayList<>(named.values());
        long samples = state.samples.sum();
        Judge.Decision d = Judge.decide(new VerdictInput(primaryLabel, mirrorLabel, compared, different, fields,
                errorCheck, latency, samples, Duration.between(state.created, clock.instant()), rs.minComparisons(),
                samples > 0 ? vp.minNoiseSamples() : 0, vp.minDuration(), settings.maxVerdictFields()));
        if (d.verdict() != Verdict.FAIL && failedGroup != null) {
            d = new Judge.Decision(Verdict.FAIL, String.format(Locale.ROOT, "%s matches %s on %.1f%% of %,d requests; "
                    + "%s", mirrorLabel, primaryLabel, compared == 0 ? 0.0
                    : Math.floor((compared - different) * 1000.0 / compared) / 10.0, compared, failedGroup));
        }
        state.verdict.update(d.verdict(), d.line(), clock.instant(), compared);
        return new RouteLook(d, errorCheck, latency);
    }

    /** The more damning of two judgements of one field in different groups (different, blocking, undecided, noise). */
    private static VerdictInput.NamedField worse(VerdictInput.NamedField a, VerdictInput.NamedField b) {
        return rank(b.judgement()) > rank(a.judgement()) ? b : a;
    }

    private static int rank(FieldJudgement j) {
        return switch (j.decision()) {
            case DIFFERENT -> 3;
            case UNDECIDED -> j.blocksPass() ? 2 : 1;
            case NOISE -> 0;
        };
    }

    private static void add(long[] into, long[] counts) {
        for (int i = 0; i < into.length; i++) {
            into[i] += counts[i];
        }
    }

    private FieldReport mergeFields(FieldReport a, FieldReport b) {
        List<Example> examples = new ArrayList<>(a.examples());
        for (Example e : b.examples()) {
            if (examples.size() < settings.maxExamplesPerField()) {
                examples.add(e);
            }
        }
        boolean noise = a.noise() && b.noise();
        // The route shows the more damning group's decision and evidence; counts add up.
        FieldReport w = rank(b) > rank(a) ? b : a;
        List<Example> primaryExamples = new ArrayList<>(a.primaryExamples());
        for (Example e : b.primaryExamples()) {
            if (primaryExamples.size() < settings.maxExamplesPerField()) {
                primaryExamples.add(e);
            }
        }
        return new FieldReport(a.path(), a.kind(), a.detail(), a.description(), a.count() + b.count(), noise,
                noise ? a.noiseReason() : null, examples, w.decision(), w.evidenceSource(), w.evidence(),
                a.compared() + b.compared(), w.primaryDiffers(), w.samples(), w.mirrorRate(), w.primaryRate(),
                w.pValue(), w.adjustedPValue(), primaryExamples);
    }

    private static int rank(FieldReport f) {
        return switch (f.decision()) {
            case DIFFERENT -> 3;
            case UNDECIDED -> 1;
            case NOISE -> 0;
        };
    }

    private GroupStats group(GroupKey key, boolean countFold) {
        GroupStats g = groups.get(key);
        if (g != null) {
            return g;
        }
        if (groupCount.get() < settings.maxGroups()) {
            g = groups.computeIfAbsent(key, k -> {
                if (groupCount.getAndIncrement() >= settings.maxGroups()) {
                    return null;
                }
                return newGroup(k);
            });
            if (g != null) {
                indexRoute(g);
                return g;
            }
        }
        if (countFold) {
            folded.increment();
        }
        GroupStats other = groups.get(GroupKey.OTHER);
        if (other == null) {
            other = groups.computeIfAbsent(GroupKey.OTHER, this::newGroup);
            indexRoute(other);
        }
        return other;
    }

    private void indexRoute(GroupStats g) {
        List<GroupStats> list = byRoute.computeIfAbsent(g.key.routeKey(), k -> new CopyOnWriteArrayList<>());
        boolean first;
        synchronized (list) {
            // Two threads may both have created-or-found the group; index it once.
            if (list.contains(g)) {
                return;
            }
            first = list.isEmpty();
            list.add(g);
        }
        if (first) {
            onNewRoute.accept(g.key.routeKey());
        }
    }

    /** Keeps the exchange's own route and template even when it was counted in {@code (other)}. */
    private DifferenceRecord toRecord(ExchangePair pair, GroupKey key, Classification c, boolean truncated) {
        List<DifferenceRecord.Item> items = new ArrayList<>();
        for (Finding f : c.findings()) {
            if (items.size() == DifferenceRecord.MAX_ITEMS) {
                truncated = true;
                break;
            }
            Difference d = f.difference();
            items.add(new DifferenceRecord.Item(d.path(), d.concretePath(), d.kind(), d.detail(), d.primaryValue(),
                    d.mirrorValue(), f.noise()));
        }
        return new DifferenceRecord(clock.instant(), pair.requestId(), key.routeKey(), key.method(),
                truncate(pair.path()), key.pathTemplate(), pair.primaryVersion(), pair.mirrorVersion(),
                pair.primary().status(), pair.mirror().status(), c.outcome(), items, truncated);
    }

    private String truncate(String path) {
        return io.shadowgate.compare.diff.Values.truncate(path, 2 * settings.maxValueLength());
    }
}

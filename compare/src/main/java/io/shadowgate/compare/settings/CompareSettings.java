package io.shadowgate.compare.settings;

import io.shadowgate.compare.noise.IgnoreRules;
import io.shadowgate.compare.noise.NoisePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * All settings of the compare module, with documented defaults and bounds.
 *
 * <p>Immutable and thread-safe once built ({@link #builder()}); the only mutable state is an
 * internal cache of merged per-route settings, bounded by {@link #MAX_CACHED_ROUTES}.
 *
 * <p>Every memory bound of the module is here. Per-group bounds ({@code maxFieldsPerGroup},
 * {@code maxExamplesPerField}, {@code maxSignaturesPerGroup}) keep one noisy group from crowding
 * out the others; global budgets ({@code maxTrackedFields}, {@code maxStoredExamples}) keep the
 * total small even when every group is at its bound. With the defaults the worst case is roughly:
 * groups with their two fixed latency histograms 1,000 × 6 KB; 50,000 fields/noise trackers × 350 B;
 * 50,000 examples × 550 B (two values of at most 200 characters); 1,000 × 64 signatures × 200 B;
 * 1,000 recent records × 20 differences × 550 B — about 75 MB in total, independent of traffic.
 * Typical use (tens of routes, a few differing fields each) stays in the low megabytes.
 */
public final class CompareSettings {

    /** Default bound of the engine's queue. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    /**
     * Default bound on the response bytes (bodies of both sides) held by queued comparisons: the queue's count bound
     * alone would let 10,000 pairs of 256 KiB bodies hold gigabytes of heap when comparing falls behind.
     */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 32L * 1024 * 1024;
    /** Default number of comparison threads. */
    public static final int DEFAULT_WORKER_THREADS = 1;
    /** Default maximum comparisons per second; more are skipped as {@code rate_limited}. */
    public static final int DEFAULT_MAX_COMPARISONS_PER_SECOND = 1_000;
    /** Default bound on a body after decompression (gzip/deflate bombs); above it the body is skipped. */
    public static final long DEFAULT_MAX_DECODED_BODY_BYTES = 8L * 1024 * 1024;
    /** Default bound on comparison groups; further groups fold into {@code (other)}. */
    public static final int DEFAULT_MAX_GROUPS = 1_000;
    /** Default bound on distinct differing fields tracked per group; further ones fold into {@code (other fields)}. */
    public static final int DEFAULT_MAX_FIELDS_PER_GROUP = 200;
    /** Default number of example pairs kept per field. */
    public static final int DEFAULT_MAX_EXAMPLES_PER_FIELD = 3;
    /** Default length at which example values are cut. */
    public static final int DEFAULT_MAX_VALUE_LENGTH = 200;
    /** Default bound on differences collected from one exchange. */
    public static final int DEFAULT_MAX_DIFFERENCES_PER_EXCHANGE = 100;
    /** Default bound on fields and noise trackers over all groups together. */
    public static final int DEFAULT_MAX_TRACKED_FIELDS = 50_000;
    /** Default bound on stored examples over all groups together. */
    public static final int DEFAULT_MAX_STORED_EXAMPLES = 50_000;
    /** Default bound on distinct difference signatures (sets of differing fields) per group. */
    public static final int DEFAULT_MAX_SIGNATURES_PER_GROUP = 64;
    /** Default size of the ring buffer of recent difference records. */
    public static final int DEFAULT_RECENT_DIFFERENCES = 1_000;
    /** Default number of fields named in a verdict line. */
    public static final int DEFAULT_MAX_VERDICT_FIELDS = 5;
    /**
     * Default tolerated extra difference rate: a field is a real difference only when v2 differs from v1 more often
     * than two v1 answers differ from each other by at least this much (half a percentage point), and a field without
     * evidence either way blocks PASS only while it differs on more than this share of requests.
     */
    public static final double DEFAULT_MAX_DIFFERENCE_RATE = 0.005;
    /** Default minimum number of comparisons before PASS (FAIL needs only strong evidence). */
    public static final long DEFAULT_MIN_COMPARISONS = 1_000;
    /** Merged per-route settings cached at most for this many routes. */
    public static final int MAX_CACHED_ROUTES = 10_000;

    /**
     * Headers that differ between any two responses and are never compared unless re-enabled with
     * {@link Builder#compareHeader(String...)}. {@code set-cookie} is included because session ids
     * and expiry dates differ on every response; {@code content-length} because the decoded body is
     * compared instead. Application headers (such as {@code x-app-version}) are deliberately not
     * here: noise learning or a user ignore rule handles them.
     */
    public static final Set<String> DEFAULT_IGNORED_HEADERS = Set.copyOf(new LinkedHashSet<>(List.of(
            "date", "x-request-id", "server", "x-envoy-upstream-service-time", "content-length",
            "transfer-encoding", "connection", "keep-alive", "set-cookie", "etag", "last-modified", "age",
            "expires", "traceparent", "tracestate", "b3", "x-b3-*")));

    private final int queueCapacity;
    private final long maxQueuedBytes;
    private final int workerThreads;
    private final int maxComparisonsPerSecond;
    private final long maxDecodedBodyBytes;
    private final int maxGroups;
    private final int maxFieldsPerGroup;
    private final int maxExamplesPerField;
    private final int maxValueLength;
    private final int maxDifferencesPerExchange;
    private final int maxSignaturesPerGroup;
    private final int maxTrackedFields;
    private final int maxStoredExamples;
    private final int recentDifferences;
    private final int maxVerdictFields;
    private final NoisePolicy noisePolicy;
    private final IgnoreRules ignoreRules;
    private final double maxDifferenceRate;
    private final long minComparisons;
    private final VerdictPolicy verdictPolicy;
    private final Map<String, RouteOverrides> routes;
    private final Function<String, RouteOverrides> routeLookup;
    private final RouteSettings defaultRoute;
    /** Swapped whole by {@link #routesChanged()}: a lookup racing with the swap caches into the old map only. */
    private final java.util.concurrent.atomic.AtomicReference<ConcurrentHashMap<String, RouteSettings>> cache =
            new java.util.concurrent.atomic.AtomicReference<>(new ConcurrentHashMap<>());

    private CompareSettings(Builder b) {
        this.queueCapacity = checkRange("queueCapacity", b.queueCapacity, 1, 1_000_000);
        if (b.maxQueuedBytes < 1) {
            throw new IllegalArgumentException("maxQueuedBytes must be positive, got " + b.maxQueuedBytes);
        }
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.workerThreads = checkRange("workerThreads", b.workerThreads, 1, 64);
        this.maxComparisonsPerSecond = checkRange("maxComparisonsPerSecond", b.maxComparisonsPerSecond, 1, 10_000_000);
        if (b.maxDecodedBodyBytes < 1024 || b.maxDecodedBodyBytes > (1L << 30)) {
            throw new IllegalArgumentException("maxDecodedBodyBytes must be between 1024 and 1073741824, got "
                    + b.maxDecodedBodyBytes);
        }
        this.maxDecodedBodyBytes = b.maxDecodedBodyBytes;
        this.maxGroups = checkRange("maxGroups", b.maxGroups, 1, 1_000_000);
        this.maxFieldsPerGroup = checkRange("maxFieldsPerGroup", b.maxFieldsPerGroup, 1, 100_000);
        this.maxExamplesPerField = checkRange("maxExamplesPerField", b.maxExamplesPerField, 0, 100);
        this.maxValueLength = checkRange("maxValueLength", b.maxValueLength, 16, 100_000);
        this.maxDifferencesPerExchange = checkRange("maxDifferencesPerExchange", b.maxDifferencesPerExchange, 1, 100_000);
        this.maxSignaturesPerGroup = checkRange("maxSignaturesPerGroup", b.maxSignaturesPerGroup, 1, 100_000);
        this.maxTrackedFields = checkRange("maxTrackedFields", b.maxTrackedFields, 1, 10_000_000);
        this.maxStoredExamples = checkRange("maxStoredExamples", b.maxStoredExamples, 0, 10_000_000);
        this.recentDifferences = checkRange("recentDifferences", b.recentDifferences, 0, 1_000_000);
        this.maxVerdictFields = checkRange("maxVerdictFields", b.maxVerdictFields, 1, 100);
        this.noisePolicy = Objects.requireNonNull(b.noisePolicy, "noisePolicy");
        this.maxDifferenceRate = checkRate(b.maxDifferenceRate);
        this.minComparisons = checkMinComparisons(b.minComparisons);
        Set<String> headers = new LinkedHashSet<>();
        if (b.defaultIgnoredHeaders) {
            headers.addAll(DEFAULT_IGNORED_HEADERS);
        }
        headers.addAll(b.ignoredHeaders);
        headers.removeAll(b.comparedHeaders);
        this.ignoreRules = IgnoreRules.of(headers, b.ignoredPointers);
        this.routes = Map.copyOf(b.routes);
        this.verdictPolicy = Objects.requireNonNull(b.verdictPolicy, "verdictPolicy");
        this.routeLookup = b.routeLookup;
        this.defaultRoute = new RouteSettings("*", ignoreRules, maxDifferenceRate, minComparisons);
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings with every default. */
    public static CompareSettings defaults() {
        return builder().build();
    }

    /**
     * Effective settings for a route: global ignore rules plus the route's extra rules, and the
     * route's verdict thresholds when it sets them. Overrides come from
     * {@link Builder#route(String, Consumer)} and, if set, {@link Builder#routeOverrides(Function)}
     * (both are merged). Thread-safe.
     */
    public RouteSettings settingsFor(String routeKey) {
        Objects.requireNonNull(routeKey, "routeKey");
        ConcurrentHashMap<String, RouteSettings> cache = this.cache.get();
        RouteSettings cached = cache.get(routeKey);
        if (cached != null) {
            return cached;
        }
        RouteOverrides fromMap = routes.get(routeKey);
        RouteOverrides fromLookup = routeLookup == null ? null : routeLookup.apply(routeKey);
        if (fromMap == null && fromLookup == null) {
            return defaultRoute;
        }
        IgnoreRules rules = ignoreRules;
        double rate = maxDifferenceRate;
        long min = minComparisons;
        for (RouteOverrides o : new RouteOverrides[] {fromMap, fromLookup}) {
            if (o == null) {
                continue;
            }
            rules = rules.plus(o.ignoreRules());
            rate = o.maxDifferenceRate() != null ? o.maxDifferenceRate() : rate;
            min = o.minComparisons() != null ? o.minComparisons() : min;
        }
        RouteSettings merged = new RouteSettings(routeKey, rules, rate, min);
        if (cache.size() < MAX_CACHED_ROUTES) {
            cache.putIfAbsent(routeKey, merged);
        }
        return merged;
    }

    /**
     * Forgets the cached per-route settings: the {@link Builder#routeOverrides(Function) lookup} answers differently
     * from now on (a configuration reload changed the routes' ignore rules). Thread-safe.
     */
    public void routesChanged() {
        cache.set(new ConcurrentHashMap<>());
    }

    /** Bound of the engine's queue. */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** Bound on the response body bytes held by queued comparisons; more are skipped as {@code queue_full}. */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** Number of comparison threads. */
    public int workerThreads() {
        return workerThreads;
    }

    /** Maximum comparisons started per second. */
    public int maxComparisonsPerSecond() {
        return maxComparisonsPerSecond;
    }

    /** Bound on a body after content decoding. */
    public long maxDecodedBodyBytes() {
        return maxDecodedBodyBytes;
    }

    /** Bound on comparison groups. */
    public int maxGroups() {
        return maxGroups;
    }

    /** Bound on distinct differing fields per group. */
    public int maxFieldsPerGroup() {
        return maxFieldsPerGroup;
    }

    /** Example pairs kept per field. */
    public int maxExamplesPerField() {
        return maxExamplesPerField;
    }

    /** Length at which values in examples are cut. */
    public int maxValueLength() {
        return maxValueLength;
    }

    /** Bound on differences collected from one exchange. */
    public int maxDifferencesPerExchange() {
        return maxDifferencesPerExchange;
    }

    /** Bound on distinct difference signatures per group. */
    public int maxSignaturesPerGroup() {
        return maxSignaturesPerGroup;
    }

    /** Bound on fields and noise trackers over all groups. */
    public int maxTrackedFields() {
        return maxTrackedFields;
    }

    /** Bound on stored examples over all groups. */
    public int maxStoredExamples() {
        return maxStoredExamples;
    }

    /** Size of the ring buffer of recent difference records. */
    public int recentDifferences() {
        return recentDifferences;
    }

    /** Number of fields named in a verdict line. */
    public int maxVerdictFields() {
        return maxVerdictFields;
    }

    /** Noise detection thresholds. */
    public NoisePolicy noisePolicy() {
        return noisePolicy;
    }

    /** Global ignore rules (default ignored headers included unless disabled). */
    public IgnoreRules ignoreRules() {
        return ignoreRules;
    }

    /** Global pass threshold. */
    public double maxDifferenceRate() {
        return maxDifferenceRate;
    }

    /** Global minimum comparisons for a verdict. */
    public long minComparisons() {
        return minComparisons;
    }

    /** The verdict's statistics thresholds and minimum data. */
    public VerdictPolicy verdictPolicy() {
        return verdictPolicy;
    }

    static double checkRate(double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("maxDifferenceRate must be between 0 and 1 (0.01 = 1%), got " + rate);
        }
        return rate;
    }

    static long checkMinComparisons(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("minComparisons must be >= 1, got " + n);
        }
        return n;
    }

    private static int checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return "CompareSettings[queueCapacity=" + queueCapacity + ", maxQueuedBytes=" + maxQueuedBytes
                + ", workerThreads=" + workerThreads
                + ", maxComparisonsPerSecond=" + maxComparisonsPerSecond + ", maxGroups=" + maxGroups
                + ", maxFieldsPerGroup=" + maxFieldsPerGroup + ", maxTrackedFields=" + maxTrackedFields
                + ", maxExamplesPerField=" + maxExamplesPerField + ", maxStoredExamples=" + maxStoredExamples
                + ", maxValueLength=" + maxValueLength + ", recentDifferences=" + recentDifferences
                + ", maxDifferenceRate=" + maxDifferenceRate + ", minComparisons=" + minComparisons
                + ", verdictPolicy=" + verdictPolicy + ", noisePolicy=" + noisePolicy + ", ignoreRules=" + ignoreRules + ", routes=" + routes.keySet() + "]";
    }

    /** Builder for {@link CompareSettings}; not thread-safe. Every setter is validated in {@link #build()}. */
    public static final class Builder {
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private int maxComparisonsPerSecond = DEFAULT_MAX_COMPARISONS_PER_SECOND;
        private long maxDecodedBodyBytes = DEFAULT_MAX_DECODED_BODY_BYTES;
        private int maxGroups = DEFAULT_MAX_GROUPS;
        private int maxFieldsPerGroup = DEFAULT_MAX_FIELDS_PER_GROUP;
        private int maxExamplesPerField = DEFAULT_MAX_EXAMPLES_PER_FIELD;
        private int maxValueLength = DEFAULT_MAX_VALUE_LENGTH;
        private int maxDifferencesPerExchange = DEFAULT_MAX_DIFFERENCES_PER_EXCHANGE;
        private int maxSignaturesPerGroup = DEFAULT_MAX_SIGNATURES_PER_GROUP;
        private int maxTrackedFields = DEFAULT_MAX_TRACKED_FIELDS;
        private int maxStoredExamples = DEFAULT_MAX_STORED_EXAMPLES;
        private int recentDifferences = DEFAULT_RECENT_DIFFERENCES;
        private int maxVerdictFields = DEFAULT_MAX_VERDICT_FIELDS;
        private NoisePolicy noisePolicy = NoisePolicy.DEFAULTS;
        private boolean defaultIgnoredHeaders = true;
        private final Set<String> ignoredHeaders = new LinkedHashSet<>();
        private final Set<String> comparedHeaders = new LinkedHashSet<>();
        private final List<String> ignoredPointers = new ArrayList<>();
        private double maxDifferenceRate = DEFAULT_MAX_DIFFERENCE_RATE;
        private long minComparisons = DEFAULT_MIN_COMPARISONS;
        private VerdictPolicy verdictPolicy = VerdictPolicy.DEFAULTS;
        private final Map<String, RouteOverrides> routes = new LinkedHashMap<>();
        private Function<String, RouteOverrides> routeLookup;

        private Builder() {
        }

        /** Bound of the engine's queue (1..1,000,000; default 10,000). */
        public Builder queueCapacity(int n) {
            this.queueCapacity = n;
            return this;
        }

        /** Bound on the response body bytes held by queued comparisons (positive; default 32 MiB). */
        public Builder maxQueuedBytes(long bytes) {
            this.maxQueuedBytes = bytes;
            return this;
        }

        /** Comparison threads (1..64; default 1). */
        public Builder workerThreads(int n) {
            this.workerThreads = n;
            return this;
        }

        /** Maximum comparisons per second (default 1,000). */
        public Builder maxComparisonsPerSecond(int n) {
            this.maxComparisonsPerSecond = n;
            return this;
        }

        /** Bound on a decoded body (default 8 MiB). */
        public Builder maxDecodedBodyBytes(long n) {
            this.maxDecodedBodyBytes = n;
            return this;
        }

        /** Bound on groups (default 1,000). */
        public Builder maxGroups(int n) {
            this.maxGroups = n;
            return this;
        }

        /** Bound on distinct differing fields per group (default 200). */
        public Builder maxFieldsPerGroup(int n) {
            this.maxFieldsPerGroup = n;
            return this;
        }

        /** Examples per field (default 3). */
        public Builder maxExamplesPerField(int n) {
            this.maxExamplesPerField = n;
            return this;
        }

        /** Value length in examples (default 200). */
        public Builder maxValueLength(int n) {
            this.maxValueLength = n;
            return this;
        }

        /** Differences collected per exchange (default 100). */
        public Builder maxDifferencesPerExchange(int n) {
            this.maxDifferencesPerExchange = n;
            return this;
        }

        /** Difference signatures per group (default 64). */
        public Builder maxSignaturesPerGroup(int n) {
            this.maxSignaturesPerGroup = n;
            return this;
        }

        /** Fields and noise trackers over all groups (default 50,000). */
        public Builder maxTrackedFields(int n) {
            this.maxTrackedFields = n;
            return this;
        }

        /** Stored examples over all groups (default 50,000). */
        public Builder maxStoredExamples(int n) {
            this.maxStoredExamples = n;
            return this;
        }

        /** Recent difference records kept for {@code exportJsonLines} (default 1,000; 0 disables). */
        public Builder recentDifferences(int n) {
            this.recentDifferences = n;
            return this;
        }

        /** Fields named in a verdict line (default 5). */
        public Builder maxVerdictFields(int n) {
            this.maxVerdictFields = n;
            return this;
        }

        /** Noise thresholds (default {@link NoisePolicy#DEFAULTS}). */
        public Builder noisePolicy(NoisePolicy policy) {
            this.noisePolicy = policy;
            return this;
        }

        /** Do not ignore {@link #DEFAULT_IGNORED_HEADERS}; only user-added names are ignored. */
        public Builder noDefaultIgnoredHeaders() {
            this.defaultIgnoredHeaders = false;
            return this;
        }

        /** Also ignores these header names everywhere (a trailing {@code *} makes a prefix rule). */
        public Builder ignoreHeader(String... names) {
            for (String n : names) {
                ignoredHeaders.add(IgnoreRules.normaliseHeader(n));
            }
            return this;
        }

        /** Compares these headers even though they are in the default ignore set (e.g. {@code set-cookie}). */
        public Builder compareHeader(String... names) {
            for (String n : names) {
                comparedHeaders.add(IgnoreRules.normaliseHeader(n));
            }
            return this;
        }

        /** Ignores these JSON pointers everywhere ({@code *} matches any array index or key). */
        public Builder ignorePointer(String... pointers) {
            ignoredPointers.addAll(List.of(pointers));
            return this;
        }

        /** The verdict's statistics thresholds and minimum data (default {@link VerdictPolicy#DEFAULTS}). */
        public Builder verdictPolicy(VerdictPolicy policy) {
            this.verdictPolicy = policy;
            return this;
        }

        /**
         * Tolerated extra difference rate of v2 over v1-vs-v1, 0..1 (default 0.005): see
         * {@link #DEFAULT_MAX_DIFFERENCE_RATE}.
         */
        public Builder maxDifferenceRate(double rate) {
            this.maxDifferenceRate = rate;
            return this;
        }

        /** Comparisons needed before PASS (default 1,000). */
        public Builder minComparisons(long n) {
            this.minComparisons = n;
            return this;
        }

        /** Overrides for one route, e.g. {@code route("default/app-vs#0 checkout", r -> r.ignorePointer("/ts"))}. */
        public Builder route(String routeKey, Consumer<RouteOverrides.Builder> overrides) {
            Objects.requireNonNull(routeKey, "routeKey");
            RouteOverrides.Builder rb = RouteOverrides.builder();
            overrides.accept(rb);
            routes.put(routeKey, rb.build());
            return this;
        }

        /**
         * A lookup of per-route overrides (returning {@code null} for none), for callers that hold
         * route configuration elsewhere. Its result is merged after {@link #route(String, Consumer)}'s
         * and cached per route; it must be thread-safe and should be cheap.
         */
        public Builder routeOverrides(Function<String, RouteOverrides> lookup) {
            this.routeLookup = lookup;
            return this;
        }

        /** Validates and builds. */
        public CompareSettings build() {
            return new CompareSettings(this);
        }
    }
}

package io.shadowgate.testkit.scenario;

import java.util.Set;

/**
 * The scenarios of the fixture service: what v2 changes on each, and what a trustworthy verdict says about it. The
 * single source of truth for the fixture ({@link ScenarioService}) and the suite that checks the verdict.
 */
public enum Scenario {
    /** v2 changes nothing: only noise differs. */
    HEALTHY("healthy", Set.of(), Cause.NONE, "nothing planted"),
    /** On 4% of requests (by item) v2's price is a cent too high. */
    RARE_PRICE_BUG("rare-price-bug", Set.of("$.price"), Cause.FIELDS, "wrong price on 4% of requests"),
    /** v1 sorts {@code ranked}; v2 returns it reversed. {@code tags} is a set in random order in both. */
    BROKEN_SORT("broken-sort", Set.of("$.ranked"), Cause.FIELDS, "broken sort next to a random-order set"),
    /** v2 writes {@code updatedAt} (the current time) with a +02:00 offset instead of Z: same instant, other zone. */
    TIME_ZONE("time-zone", Set.of("$.updatedAt"), Cause.FIELDS, "timestamp in another time zone (a noisy field)"),
    /** v2 renamed {@code userName} to {@code username}. */
    RENAMED_FIELD("renamed-field", Set.of("$.userName", "$.username"), Cause.FIELDS, "field renamed"),
    /** v2 answers 40 ms later. */
    SLOWER("slower", Set.of(), Cause.LATENCY, "+40 ms on every request"),
    /** v2 answers 503 on 8% of requests (by item). */
    MORE_ERRORS("more-errors", Set.of("status"), Cause.ERRORS, "503 on 8% of requests");

    /** Share of items with the rare price bug, in percent. */
    public static final int PRICE_BUG_PERCENT = 4;
    /** Share of items v2 fails, in percent. */
    public static final int ERROR_PERCENT = 8;
    /** v2's extra latency on {@link #SLOWER}, in milliseconds. */
    public static final int EXTRA_LATENCY_MILLIS = 40;
    /** Share of answers whose {@code cacheHit} flips, in percent (rare noise, both versions). */
    public static final int CACHE_FLIP_PERCENT = 3;
    /** Fields and headers that are noise on every scenario: never a real difference. */
    public static final Set<String> NOISE = Set.of("$.generatedAt", "$.took", "$.orderRef", "$.tags", "$.cacheHit",
            "header:x-response-time");

    /** What should make the verdict fail. */
    public enum Cause {
        /** Nothing: the verdict should pass. */
        NONE,
        /** The planted fields. */
        FIELDS,
        /** A higher error rate. */
        ERRORS,
        /** Higher latency. */
        LATENCY
    }

    private final String path;
    private final Set<String> plantedFields;
    private final Cause cause;
    private final String description;

    Scenario(String path, Set<String> plantedFields, Cause cause, String description) {
        this.path = path;
        this.plantedFields = plantedFields;
        this.cause = cause;
        this.description = description;
    }

    /** The path segment: the scenario answers {@code /s/<segment>/items/<n>}. */
    public String segment() {
        return path;
    }

    /** The request path for item {@code n}. */
    public String path(int n) {
        return "/s/" + path + "/items/" + n;
    }

    /** Fields (grouping paths) v2 really changes: the verdict must name exactly these. */
    public Set<String> plantedFields() {
        return plantedFields;
    }

    /** What should fail the verdict. */
    public Cause cause() {
        return cause;
    }

    /** A short description for reports. */
    public String description() {
        return description;
    }

    /** The scenario of a path segment, or {@code null}. */
    public static Scenario bySegment(String segment) {
        for (Scenario s : values()) {
            if (s.path.equals(segment)) {
                return s;
            }
        }
        return null;
    }

    /** Whether item {@code n} carries a bug drawn with {@code percent} under {@code seed} (same in v1 and v2). */
    static boolean drawn(long seed, int n, int percent) {
        long z = seed * 0x9E3779B97F4A7C15L + n;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return Long.remainderUnsigned(z, 100) < percent;
    }
}

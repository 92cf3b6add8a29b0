package io.shadowgate.compare.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowgate.compare.diff.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * Comparison metrics on an injected {@link MeterRegistry}.
 *
 * <ul>
 *   <li>{@value #COMPARE} counter, tags {@code route} and {@code result} ∈ {@code identical},
 *       {@code different}, {@code noise_only}, {@code skipped}; exported by Prometheus as
 *       {@code shadowgate_compare_total}. Counted when an exchange is processed, with what was known
 *       about noise at that moment; counters never go back, {@code reset()} does not reset them.</li>
 *   <li>{@value #DIFFERENCE_RATIO} gauge, tag {@code route}: different / compared for the route,
 *       recomputed at each scrape (so it does reflect noise detected later), {@code NaN} when nothing
 *       has been compared since the start or the last reset.</li>
 * </ul>
 * Route tag cardinality is bounded by the group bound: exchanges folded into the overflow group
 * are tagged {@code route="(other)"}. Thread-safe; meters are cached per (route, result).
 */
public final class CompareMetrics implements AutoCloseable {

    /** Counter name ({@code shadowgate_compare_total} in Prometheus). */
    public static final String COMPARE = "shadowgate.compare";
    /** Gauge name ({@code shadowgate_compare_difference_ratio} in Prometheus). */
    public static final String DIFFERENCE_RATIO = "shadowgate.compare.difference.ratio";

    private final MeterRegistry registry;
    private final ToDoubleFunction<String> ratioByRoute;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
    private final List<Meter> registered = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /**
     * @param registry     where meters are registered
     * @param ratioByRoute difference ratio of a route, read at scrape time; must be thread-safe
     */
    public CompareMetrics(MeterRegistry registry, ToDoubleFunction<String> ratioByRoute) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.ratioByRoute = Objects.requireNonNull(ratioByRoute, "ratioByRoute");
    }

    /** Counts one exchange of {@code route} with {@code outcome}; ignored after {@link #close()}. */
    public void count(String route, Outcome outcome) {
        if (closed) {
            return;
        }
        counters.computeIfAbsent(route + '\n' + outcome.label(), k -> {
            Counter c = Counter.builder(COMPARE)
                    .description("Mirrored exchanges by comparison result")
                    .tag("route", route)
                    .tag("result", outcome.label())
                    .register(registry);
            registered.add(c);
            return c;
        }).increment();
    }

    /** Registers the route's difference-ratio gauge once. */
    public void routeSeen(String route) {
        if (closed) {
            return;
        }
        gauges.computeIfAbsent(route, r -> {
            Gauge g = Gauge.builder(DIFFERENCE_RATIO, () -> ratioByRoute.applyAsDouble(r))
                    .description("Share of compared exchanges where the mirror differs from the primary (noise excluded)")
                    .tag("route", r)
                    .register(registry);
            registered.add(g);
            return g;
        });
    }

    /** Removes this instance's meters from the registry; later counts are ignored. */
    @Override
    public void close() {
        closed = true;
        for (Meter m : registered) {
            registry.remove(m);
        }
        registered.clear();
        counters.clear();
        gauges.clear();
    }
}

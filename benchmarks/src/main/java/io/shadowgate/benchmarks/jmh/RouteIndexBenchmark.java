package io.shadowgate.benchmarks.jmh;

import io.shadowgate.benchmarks.harness.BenchConfigs;
import io.shadowgate.benchmarks.proto.IndexedRoutes;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.VirtualService;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.SimpleRequest;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the proposed routing changes buy, on the same 1,000-route table and request as {@link RouteTableBenchmark}:
 * the prototype prefix index ({@link IndexedRoutes}) with the real compiled matchers, and with the prototype
 * {@code SimpleRegex} for the candidates. The set-up checks that all three give the same route for a set of requests.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RouteIndexBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms256m", "-Xmx256m"})
public class RouteIndexBenchmark {

    private RouteTable linear;
    private IndexedRoutes indexed;
    private IndexedRoutes indexedFastRegex;
    private SimpleRequest late;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() {
        String yaml = RouteTables.yaml(BenchConfigs.ROUTES);
        LoadResult loaded = new ConfigLoader().loadString("bench.yaml", yaml);
        VirtualService vs = loaded.resources().stream().filter(r -> r.spec() instanceof VirtualService)
                .map(r -> ((Resource<VirtualService>) r).spec()).findFirst().orElseThrow();
        linear = RouteTables.table(RouteTables.compile(loaded));
        indexed = new IndexedRoutes(linear, vs, false);
        indexedFastRegex = new IndexedRoutes(linear, vs, true);
        late = RouteTables.requestFor(BenchConfigs.LATE_ROUTE);
        for (int i = 0; i < BenchConfigs.ROUTES; i += 7) {
            same(RouteTables.requestFor(i));
            same(SimpleRequest.builder().authority(BenchConfigs.HOST).path(BenchConfigs.routePath(i))
                    .header("x-tenant", "tenant-" + (i + 1)).build());
            same(SimpleRequest.builder().authority(BenchConfigs.HOST).path(BenchConfigs.routePath(i) + "?q=1")
                    .header("x-tenant", BenchConfigs.tenant(i) + "-eu").build());
        }
        same(SimpleRequest.get(BenchConfigs.HOST, "/"));
        same(SimpleRequest.get("other.host", BenchConfigs.routePath(3)));
    }

    private void same(SimpleRequest r) {
        RouteConfig a = linear.route(r);
        RouteConfig b = indexed.route(r);
        RouteConfig c = indexedFastRegex.route(r);
        if (!Objects.equals(a, b) || !Objects.equals(a, c)) {
            throw new IllegalStateException("prototype disagrees on " + r + ": " + name(a) + " / " + name(b) + " / "
                    + name(c));
        }
    }

    private static String name(RouteConfig r) {
        return r == null ? null : r.name();
    }

    /** Today: the linear scan (same as RouteTableBenchmark.lateRouteOf1000). */
    @Benchmark
    public RouteConfig linearScan() {
        return linear.route(late);
    }

    /** Proposed step 1: prefix index, candidates checked by the compiled matchers (RE2/J). */
    @Benchmark
    public RouteConfig prefixIndex() {
        return indexed.route(late);
    }

    /** Proposed steps 1+2: prefix index, candidates checked cheap conditions first with the linear-time matcher. */
    @Benchmark
    public RouteConfig prefixIndexFastRegex() {
        return indexedFastRegex.route(late);
    }
}

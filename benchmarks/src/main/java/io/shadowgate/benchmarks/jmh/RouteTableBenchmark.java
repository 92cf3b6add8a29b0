package io.shadowgate.benchmarks.jmh;

import io.shadowgate.benchmarks.configs.BenchConfigs;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.SimpleRequest;
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
 * One routing decision, {@link RouteTable#route} as the proxy calls it, against the compiled 1,000-route table of the
 * harness's {@code routes-1000} scenario (every route: a uri regex and an {@code x-tenant} header match) and, for
 * scale, against a one-route table. The table's prefix index narrows each decision to the routes whose literal path
 * prefix the request path starts with (here one), evaluated header first, then the regex on the linear-time
 * matcher; before the index every route's regex ran on RE2/J in turn.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RouteTableBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms256m", "-Xmx256m"})
public class RouteTableBenchmark {

    private RouteTable large;
    private RouteTable single;
    private SimpleRequest late;
    private SimpleRequest first;
    private SimpleRequest miss;
    private SimpleRequest plain;

    @Setup
    public void setUp() {
        large = RouteTables.table(RouteTables.compile(RouteTables.yaml(BenchConfigs.ROUTES)));
        single = RouteTables.table(RouteTables.compile(RouteTables.yaml(1)));
        late = RouteTables.requestFor(BenchConfigs.LATE_ROUTE);
        first = RouteTables.requestFor(0);
        // The late route's path with another tenant: every route's regex runs, the late one's header check fails.
        miss = SimpleRequest.builder().authority(BenchConfigs.HOST)
                .path(BenchConfigs.routePath(BenchConfigs.LATE_ROUTE)).header("x-tenant", "nobody").build();
        plain = SimpleRequest.get(BenchConfigs.HOST, "/");
        check(large.route(late), "r" + BenchConfigs.LATE_ROUTE);
        check(large.route(first), "r0");
        if (large.route(miss) != null) {
            throw new IllegalStateException("miss request matched " + large.route(miss).name());
        }
        check(single.route(plain), "primary");
    }

    private static void check(RouteConfig r, String expected) {
        if (r == null || !expected.equals(r.name())) {
            throw new IllegalStateException("expected route " + expected + ", got " + (r == null ? null : r.name()));
        }
    }

    /** The request of the harness's scenario: route 990 of 1,000. */
    @Benchmark
    public RouteConfig lateRouteOf1000() {
        return large.route(late);
    }

    /** The first route of the same table. */
    @Benchmark
    public RouteConfig firstRouteOf1000() {
        return large.route(first);
    }

    /** No route matches: the late route's path with another tenant (a linear scan would try every route). */
    @Benchmark
    public RouteConfig noRouteOf1000() {
        return large.route(miss);
    }

    /** A one-route table (catch-all): the floor. */
    @Benchmark
    public RouteConfig singleRoute() {
        return single.route(plain);
    }
}

package io.shadowgate.benchmarks.jmh;

import io.shadowgate.benchmarks.configs.BenchConfigs;
import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.compile.SnapshotCompiler;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.SimpleRequest;

/** The large route table of the harness's {@code routes-1000} scenario, built the way the gateway builds it. */
public final class RouteTables {

    private RouteTables() {
    }

    /** The YAML of a table of {@code routes} routes (no mirror). */
    public static String yaml(int routes) {
        return BenchConfigs.shadowgateYaml(new BenchConfigs.Ports(19001, 19002, 19003), BenchConfigs.Mirror.NONE, 0,
                routes);
    }

    /** Loads and compiles {@code yaml}; throws when the configuration is rejected. */
    public static RoutingSnapshot compile(String yaml) {
        LoadResult loaded = new ConfigLoader().loadString("bench.yaml", yaml);
        return compile(loaded);
    }

    /** Compiles what was loaded; throws when the configuration is rejected. */
    public static RoutingSnapshot compile(LoadResult loaded) {
        CompileResult result = SnapshotCompiler.compile(loaded, CompileOptions.defaults());
        if (result.snapshot() == null) {
            throw new IllegalStateException("benchmark config rejected: " + result.errors());
        }
        return result.snapshot();
    }

    /** The mesh listener's route table. */
    public static RouteTable table(RoutingSnapshot snapshot) {
        return snapshot.listeners().get(0).routes();
    }

    /** A request that only route {@code i} of the large table matches. */
    public static SimpleRequest requestFor(int i) {
        return SimpleRequest.builder().authority(BenchConfigs.HOST).path(BenchConfigs.routePath(i))
                .header("x-tenant", BenchConfigs.tenant(i)).header("user-agent", "wrk")
                .header("accept", "*/*").build();
    }
}

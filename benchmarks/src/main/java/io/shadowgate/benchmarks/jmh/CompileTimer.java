package io.shadowgate.benchmarks.jmh;

import io.shadowgate.benchmarks.configs.BenchConfigs;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import java.util.Locale;

/**
 * A measured run of building the 1,000-route snapshot in a fresh JVM: the first build (cold, what a gateway's start
 * pays), the second, and the best of the next ten (arguments: routes, repeats). Complements
 * {@link SnapshotCompileBenchmark}, whose single shots are taken after warm-up.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.shadowgate.benchmarks.jmh.CompileTimer</pre>
 * Prints {@code COMPILE routes=1000 first_ms=… second_ms=… best_ms=…}.
 */
public final class CompileTimer {

    private CompileTimer() {
    }

    public static void main(String[] args) {
        int routes = args.length > 0 ? Integer.parseInt(args[0]) : BenchConfigs.ROUTES;
        int repeat = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String yaml = RouteTables.yaml(routes);
        double first = time(yaml);
        double second = time(yaml);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeat; i++) {
            best = Math.min(best, time(yaml));
        }
        System.out.printf(Locale.ROOT, "COMPILE routes=%d yaml_bytes=%d first_ms=%.1f second_ms=%.1f best_ms=%.1f%n",
                routes, yaml.length(), first, second, best);
    }

    private static double time(String yaml) {
        long t0 = System.nanoTime();
        RoutingSnapshot s = RouteTables.compile(yaml);
        long t1 = System.nanoTime();
        if (RouteTables.table(s).virtualHosts().isEmpty()) {
            throw new IllegalStateException("empty snapshot");
        }
        return (t1 - t0) / 1e6;
    }
}

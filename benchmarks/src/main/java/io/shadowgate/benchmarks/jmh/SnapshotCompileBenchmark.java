package io.shadowgate.benchmarks.jmh;

import io.shadowgate.benchmarks.configs.BenchConfigs;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.load.LoadResult;
import io.shadowgate.config.snapshot.RoutingSnapshot;
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
 * Building the 1,000-route snapshot: YAML parsed with {@link ConfigLoader#loadString} and compiled with
 * {@code SnapshotCompiler.compile}, as a config reload does. Single-shot: each iteration is one full build, and the
 * first iterations (cold JIT, as on a gateway's first load) are reported separately by JMH's warm-up lines.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SnapshotCompileBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms256m", "-Xmx512m"})
public class SnapshotCompileBenchmark {

    private String yaml;
    private LoadResult loaded;

    @Setup
    public void setUp() {
        yaml = RouteTables.yaml(BenchConfigs.ROUTES);
        loaded = new ConfigLoader().loadString("bench.yaml", yaml);
    }

    /** YAML text to snapshot: what a reload of the 1,000-route file costs. */
    @Benchmark
    public RoutingSnapshot loadAndCompile1000() {
        return RouteTables.compile(yaml);
    }

    /** The compile step alone (resources already parsed). */
    @Benchmark
    public RoutingSnapshot compile1000() {
        return RouteTables.compile(loaded);
    }
}

package io.shadowgate.benchmarks.jmh;

import io.shadowgate.benchmarks.configs.BenchConfigs;
import io.shadowgate.config.match.CompiledRegex;
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
 * The unit cost behind {@link RouteTableBenchmark}: one full match of a route's uri regex with RE2/J (what
 * {@code RequestMatchers.pathRegex} does), for a path that matches, one that fails at the first character and one that
 * fails after the literal prefix (what {@code RequestMatchers.pathRegex} did before {@link CompiledRegex}); the
 * gateway's {@link CompiledRegex} (linear-time fast path, RE2/J fallback) on the same inputs; and, for comparison, a
 * literal-prefix test and {@code java.util.regex}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RegexBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms256m", "-Xmx256m"})
public class RegexBenchmark {

    private com.google.re2j.Pattern re2;
    private java.util.regex.Pattern jdk;
    private String hit;
    private String missEarly;
    private String missLate;
    private String prefix;
    private CompiledRegex compiled;

    @Setup
    public void setUp() {
        String regex = "/svc" + BenchConfigs.LATE_ROUTE + "/[a-z]+/[0-9]+";
        re2 = com.google.re2j.Pattern.compile(regex);
        jdk = java.util.regex.Pattern.compile(regex);
        hit = BenchConfigs.routePath(BenchConfigs.LATE_ROUTE);
        missEarly = "/other/items/12345";
        missLate = BenchConfigs.routePath(BenchConfigs.LATE_ROUTE + 1);
        prefix = "/svc" + BenchConfigs.LATE_ROUTE + "/";
        compiled = CompiledRegex.compile(regex);
        if (!re2.matches(hit) || re2.matches(missEarly) || re2.matches(missLate) || !jdk.matcher(hit).matches()
                || !compiled.hasFastPath() || !compiled.matches(hit) || compiled.matches(missLate)) {
            throw new IllegalStateException("regex set-up is wrong");
        }
    }

    @Benchmark
    public boolean re2jHit() {
        return re2.matches(hit);
    }

    @Benchmark
    public boolean re2jMissFirstChar() {
        return re2.matches(missEarly);
    }

    @Benchmark
    public boolean re2jMissAfterPrefix() {
        return re2.matches(missLate);
    }

    @Benchmark
    public boolean jdkRegexHit() {
        return jdk.matcher(hit).matches();
    }

    /** The gateway's matcher ({@code config/match}), same pattern and input as re2jHit. */
    @Benchmark
    public boolean compiledRegexHit() {
        return compiled.matches(hit);
    }

    /** The gateway's matcher, same input as re2jMissAfterPrefix. */
    @Benchmark
    public boolean compiledRegexMissAfterPrefix() {
        return compiled.matches(missLate);
    }

    @Benchmark
    public boolean literalPrefixMiss() {
        return missLate.startsWith(prefix);
    }
}

package io.shadowgate.benchmarks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the routing and compile micro-benchmarks in their own JVMs (JMH forks) after the load scenarios, with short
 * but JMH-proper settings, plus {@code io.shadowgate.benchmarks.jmh.CompileTimer} for the cold (first) build. Both
 * are started by name from the benchmarks jar, so the harness does not depend on the {@code jmh} package.
 */
final class JmhRunner {

    /** One JMH figure. */
    record Result(String benchmark, String mode, double score, double error, String unit) {
    }

    private final Options o;
    private final Path work;

    JmhRunner(Options o, Path work) {
        this.o = o;
        this.work = work;
    }

    List<Result> run() throws Exception {
        Harness.log("== JMH: routing decision and snapshot compile (1,000 routes)");
        List<Result> out = new ArrayList<>();
        Path route = work.resolve("jmh-route.json");
        jmh(route, "RouteTableBenchmark", "-wi", "2", "-w", "1s", "-i", "3", "-r", "1s");
        out.addAll(parse(route));
        Path compile = work.resolve("jmh-compile.json");
        jmh(compile, "SnapshotCompileBenchmark", "-wi", "3", "-i", "5");
        out.addAll(parse(compile));
        String timer = Harness.run(List.of(Harness.javaBin(), "-XX:+UseParallelGC", "-Xmx512m", "-cp",
                jar().toString(), "io.shadowgate.benchmarks.jmh.CompileTimer"));
        for (String line : timer.split("\n")) {
            if (line.startsWith("COMPILE ")) {
                for (String kv : line.substring(8).split("\\s+")) {
                    String[] p = kv.split("=");
                    if (p[0].endsWith("_ms")) {
                        out.add(new Result("CompileTimer (fresh JVM) " + p[0].replace("_ms", ""), "once",
                                Double.parseDouble(p[1]), Double.NaN, "ms"));
                    }
                }
            }
        }
        return out;
    }

    private Path jar() {
        if (o.benchJar != null) {
            return o.benchJar;
        }
        try {
            return Path.of(JmhRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return Path.of("benchmarks/target/benchmarks.jar");
        }
    }

    private void jmh(Path json, String include, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Harness.javaBin(), "-jar", jar().toString(), include, "-rf", "json",
                "-rff", json.toString()));
        cmd.addAll(List.of(args));
        Path log = work.resolve("jmh-" + include.replaceAll("[^A-Za-z]+", "_") + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("JMH failed, see " + log);
        }
    }

    private static List<Result> parse(Path json) throws Exception {
        List<Result> out = new ArrayList<>();
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        for (JsonNode b : root) {
            String name = b.get("benchmark").asText();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            JsonNode m = b.get("primaryMetric");
            out.add(new Result(name, b.get("mode").asText(), m.get("score").asDouble(),
                    m.get("scoreError").asDouble(), m.get("scoreUnit").asText()));
        }
        return out;
    }
}

package io.shadowgate.benchmarks.harness;

import io.shadowgate.benchmarks.configs.BenchConfigs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The harness's command line ({@code benchmarks/run.sh --help}). */
final class Options {

    int threads = 1;
    int backendThreads = 1;
    int durationSeconds = 10;
    int warmupSeconds = 5;
    int jvmWarmupSeconds = 15;
    int connections = 50;
    int rate = 2000;
    int slowMirrorMillis = 100;
    int repeat = 1;
    List<String> scenarios = new ArrayList<>();
    Path record;
    Path work = Path.of("benchmarks/target/bench-run");
    Path shadowgateJar = Path.of("cli/target/shadowgate.jar");
    Path benchJar;
    String nginx = "nginx";
    String wrk = "wrk";
    /** The launcher's default ({@code ./shadowgate}); keep the two equal. */
    static final String LAUNCHER_JAVA_OPTS = "-XX:+UseParallelGC -Xms64m -Xmx256m -XX:MaxDirectMemorySize=256m";
    String javaOpts = System.getenv().getOrDefault("SHADOWGATE_JAVA_OPTS", LAUNCHER_JAVA_OPTS);
    List<String> shadowgateArgs = new ArrayList<>();
    /** Shadowgate's {@code --transport}. */
    String transport = "auto";
    /** The transports Shadowgate reported choosing (its {@code transport: X} log line), for the run header. */
    final java.util.Set<String> transportsSeen = new java.util.TreeSet<>();
    String profile;
    Path asyncProfilerLib;
    int soakMinutes;
    boolean jmh = true;
    boolean loadScenarios = true;
    long rssBoundMib = 512;
    int basePort = 18080;
    int waitQuietSeconds;
    /** The first 12 hex digits of the SHA-256 of the Shadowgate jar under test (set by the harness). */
    String jarDigest = "?";
    String commandLine = "";

    static final String USAGE = """
            usage: benchmarks/run.sh [options]
              --threads N            Shadowgate --io-threads and NGINX worker_processes (default 1)
              --backend-threads N    event loops per port of the fixed-response backend (default 1)
              --duration S           measured seconds per run (default 10)
              --warmup S             warm-up seconds per run, same load, not measured (default 5)
              --jvm-warmup S         extra warm-up for Shadowgate, whose JIT compiler is still busy after 5 s on two
                                     cores (default 15; 0 for equal warm-ups)
              --connections N        client connections of the closed-loop scenarios (default 50)
              --rate RPS             request rate of the fixed-rate (open-loop) scenarios (default 2000)
              --slow-mirror-ms MS    delay of the slow mirror (default 100)
              --scenarios A,B,...    subset, in the order given (ids: direct no-mirror mirror-100-fast mirror-100-slow
                                     mirror-10 routes-1000 body-1mib conn-1000 open-direct open-proxy open-mirror-slow)
              --repeat N             run each proxy N times (alternating NGINX/Shadowgate), report medians
              --record FILE          append the dated results to FILE (run.sh: docs/performance.md)
              --no-jmh               skip the JMH micro-benchmarks
              --jmh-only             only the JMH micro-benchmarks
              --soak [MIN]           also a soak of Shadowgate (100% mirror, default 10 min), RSS sampled every 10 s
              --profile async|async:alloc|jfr
                                     profile Shadowgate during each measured window (async-profiler CPU or
                                     allocations, or JFR)
              --async-profiler-lib P libasyncProfiler.so (run.sh fetches it from Maven Central)
              --rss-bound-mib N      the documented peak-RSS bound checked at 1,000 connections and 1 MiB bodies (512)
              --java-opts "..."      Shadowgate JVM options (default: $SHADOWGATE_JAVA_OPTS or the launcher's)
              --transport T          Shadowgate --transport: auto (epoll when it loads), epoll or nio (default auto)
              --shadowgate-arg ARG   extra argument for `shadowgate run` (repeatable), e.g. --no-compare
              --shadowgate-jar P     the runnable jar (default cli/target/shadowgate.jar)
              --work DIR             scratch directory (default benchmarks/target/bench-run)
              --wait-quiet S         before each run, wait up to S s for the machine to be idle (other work < 25% of
                                     a core over 1 s); for shared machines (default 0: do not wait)
              --base-port P          Shadowgate P, admin P+10, NGINX P+1, backends P+921.. (default 18080)
            """;

    static Options parse(String[] args) {
        Options o = new Options();
        // What the user typed (run.sh adds the paths first); shown in the report.
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (List.of("--shadowgate-jar", "--bench-jar", "--work", "--record", "--async-profiler-lib")
                    .contains(args[i])) {
                i++;
            } else {
                shown.add(args[i]);
            }
        }
        o.commandLine = String.join(" ", shown);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--threads" -> o.threads = Integer.parseInt(args[++i]);
                case "--backend-threads" -> o.backendThreads = Integer.parseInt(args[++i]);
                case "--duration" -> o.durationSeconds = Integer.parseInt(args[++i].replace("s", ""));
                case "--warmup" -> o.warmupSeconds = Integer.parseInt(args[++i].replace("s", ""));
                case "--jvm-warmup" -> o.jvmWarmupSeconds = Integer.parseInt(args[++i].replace("s", ""));
                case "--connections" -> o.connections = Integer.parseInt(args[++i]);
                case "--rate" -> o.rate = Integer.parseInt(args[++i]);
                case "--slow-mirror-ms" -> o.slowMirrorMillis = Integer.parseInt(args[++i]);
                case "--scenarios" -> o.scenarios = Arrays.asList(args[++i].split(","));
                case "--repeat" -> o.repeat = Integer.parseInt(args[++i]);
                case "--record" -> o.record = Path.of(args[++i]);
                case "--no-record" -> o.record = null;
                case "--no-jmh" -> o.jmh = false;
                case "--jmh-only" -> o.loadScenarios = false;
                case "--soak" -> {
                    o.soakMinutes = 10;
                    if (i + 1 < args.length && args[i + 1].matches("\\d+")) {
                        o.soakMinutes = Integer.parseInt(args[++i]);
                    }
                }
                case "--profile" -> o.profile = args[++i];
                case "--async-profiler-lib" -> o.asyncProfilerLib = Path.of(args[++i]);
                case "--rss-bound-mib" -> o.rssBoundMib = Long.parseLong(args[++i]);
                case "--java-opts" -> o.javaOpts = args[++i];
                case "--transport" -> o.transport = args[++i];
                case "--shadowgate-arg" -> o.shadowgateArgs.add(args[++i]);
                case "--shadowgate-jar" -> o.shadowgateJar = Path.of(args[++i]);
                case "--bench-jar" -> o.benchJar = Path.of(args[++i]);
                case "--work" -> o.work = Path.of(args[++i]);
                case "--base-port" -> o.basePort = Integer.parseInt(args[++i]);
                case "--wait-quiet" -> o.waitQuietSeconds = Integer.parseInt(args[++i].replace("s", ""));
                case "--nginx" -> o.nginx = args[++i];
                case "--wrk" -> o.wrk = args[++i];
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (o.threads < 1 || o.durationSeconds < 1 || o.warmupSeconds < 0 || o.repeat < 1) {
            throw new IllegalArgumentException("bad option value\n" + USAGE);
        }
        return o;
    }

    int shadowgatePort() {
        return basePort;
    }

    int nginxPort() {
        return basePort + 1;
    }

    int adminPort() {
        return basePort + 10;
    }

    BenchConfigs.Ports backendPorts() {
        return new BenchConfigs.Ports(basePort + 921, basePort + 922, basePort + 923);
    }
}

package io.shadowgate.benchmarks.harness;

import io.shadowgate.benchmarks.configs.BenchConfigs;
import io.shadowgate.benchmarks.configs.BenchConfigs.Mirror;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The benchmark harness behind {@code benchmarks/run.sh}: starts the fixed-response backends, then for each scenario
 * runs the same load through NGINX and through Shadowgate (same thread count, equivalent configuration, a fresh
 * process each, warm-up then a measured window), and prints one table with each Shadowgate figure as a ratio to
 * NGINX's from the same run. See {@code benchmarks/README.md}.
 */
public final class Harness {

    static final String NGINX = "nginx";
    static final String SHADOWGATE = "shadowgate";
    static final String DIRECT = "direct";

    private final Options o;
    private final Path work;
    private final long selfPid = ProcessHandle.current().pid();
    private final List<Process> children = new ArrayList<>();
    private Process backend;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** One measured run. */
    record Row(Scenario scenario, String proxy, int threads, LoadResult load, double proxyCpu, double backendCpu,
               double loadgenCpu, double otherCpu, long peakRssKib, double mirroredPercent, long primaryReceived,
               double syscallsPerRequest, long mirrorConnections) {

        double cpuMicrosPerRequest() {
            return load.requests() == 0 ? 0 : proxyCpu * 1e6 / load.requests();
        }
    }

    Harness(Options o) {
        this.o = o;
        this.work = o.work.toAbsolutePath();
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Harness h = new Harness(o);
        Runtime.getRuntime().addShutdownHook(new Thread(h::stopAll));
        int rc = h.run();
        System.exit(rc);
    }

    int run() throws Exception {
        Files.createDirectories(work);
        Instant started = Instant.now();
        if (Files.isRegularFile(o.shadowgateJar)) {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(o.shadowgateJar));
            o.jarDigest = java.util.HexFormat.of().formatHex(d).substring(0, 12);
        }
        Machine machine = Machine.describe(o);
        log("machine: " + machine.oneLine());
        List<Row> measured = List.of();
        if (o.loadScenarios) {
            preflight();
            startBackend();
            try {
                measured = runScenarios();
                if (o.soakMinutes > 0) {
                    notes.add(soak());
                }
            } finally {
                stopAll();
            }
        }
        List<JmhRunner.Result> jmh = List.of();
        if (o.jmh) {
            jmh = new JmhRunner(o, work).run();
        }
        Report report = new Report(o, machine, started, measured, jmh, notes);
        String text = report.markdown();
        System.out.println();
        System.out.println(text);
        Files.writeString(work.resolve("results-" + stamp(started) + ".md"), text);
        if (o.record != null) {
            String existing = Files.exists(o.record) ? Files.readString(o.record) : "";
            Files.writeString(o.record, (existing.endsWith("\n") || existing.isEmpty() ? "" : "\n") + "\n" + text,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            log("recorded in " + o.record);
        }
        return 0;
    }

    private static String stamp(Instant t) {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(t);
    }

    // ------------------------------------------------------------------------------------------------ set-up

    private void preflight() {
        for (int port : new int[] {o.shadowgatePort(), o.nginxPort(), o.adminPort(), o.backendPorts().v1(),
                o.backendPorts().v2(), o.backendPorts().v2Slow()}) {
            if (RawHttp.listening(port)) {
                throw new IllegalStateException("port " + port + " is in use; stop what listens there or pass "
                        + "--base-port");
            }
        }
        if (!Files.isRegularFile(o.shadowgateJar)) {
            throw new IllegalStateException(o.shadowgateJar + " is missing (run benchmarks/run.sh, which builds it)");
        }
    }

    private Path benchJar() {
        if (o.benchJar != null) {
            return o.benchJar;
        }
        try {
            return Path.of(Harness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return Path.of("benchmarks/target/benchmarks.jar");
        }
    }

    private void startBackend() throws Exception {
        BenchConfigs.Ports p = o.backendPorts();
        List<String> cmd = List.of(javaBin(), "-XX:+UseParallelGC", "-Xms64m", "-Xmx256m", "-cp",
                benchJar().toString(), "io.shadowgate.benchmarks.backend.FixedBackend",
                "--threads", String.valueOf(o.backendThreads),
                "--listen", "127.0.0.1:" + p.v1(), "--listen", "127.0.0.1:" + p.v2(),
                "--listen", "127.0.0.1:" + p.v2Slow() + "@" + o.slowMirrorMillis);
        backend = start(cmd, work.resolve("backend.log"));
        waitUntil(() -> RawHttp.listening(p.v2Slow()), Duration.ofSeconds(20), "backend to listen");
        log("backend pid " + backend.pid() + " on " + p);
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Process start(List<String> cmd, Path logFile) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        synchronized (children) {
            children.add(p);
        }
        return p;
    }

    private void stop(Process p, Duration grace) {
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (children) {
            children.remove(p);
        }
    }

    /** Stops every process this harness started (only those, by pid). */
    void stopAll() {
        List<Process> all;
        synchronized (children) {
            all = new ArrayList<>(children);
        }
        for (Process p : all) {
            stop(p, Duration.ofSeconds(5));
        }
    }

    // ------------------------------------------------------------------------------------------------ scenarios

    private List<Scenario> selected() {
        List<Scenario> all = Scenario.all(o.connections);
        if (o.scenarios.isEmpty()) {
            return all;
        }
        List<Scenario> out = new ArrayList<>();
        for (String id : o.scenarios) {
            out.add(all.stream().filter(s -> s.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown scenario " + id)));
        }
        return out;
    }

    private List<Row> runScenarios() throws Exception {
        List<Scenario> list = selected();
        int index = 0;
        for (Scenario s : list) {
            List<Row> nginxRuns = new ArrayList<>();
            List<Row> sgRuns = new ArrayList<>();
            List<Row> directRuns = new ArrayList<>();
            for (int r = 0; r < o.repeat; r++) {
                if (s.direct()) {
                    directRuns.add(measure(s, DIRECT, r));
                    continue;
                }
                // Alternate who goes first, so a drift in the machine's state does not always favour one proxy.
                boolean nginxFirst = (index + r) % 2 == 0;
                if (nginxFirst) {
                    nginxRuns.add(measure(s, NGINX, r));
                    sgRuns.add(measure(s, SHADOWGATE, r));
                } else {
                    sgRuns.add(measure(s, SHADOWGATE, r));
                    nginxRuns.add(measure(s, NGINX, r));
                }
            }
            if (s.direct()) {
                rows.add(median(directRuns));
            } else {
                rows.add(median(nginxRuns));
                rows.add(median(sgRuns));
            }
            index++;
        }
        return rows;
    }

    /** Field-wise median over repetitions (the row itself when there is one). */
    private static Row median(List<Row> runs) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        Row f = runs.get(0);
        LoadResult l = new LoadResult(
                (long) med(runs, r -> r.load().requests()), med(runs, r -> r.load().seconds()),
                (long) med(runs, r -> r.load().errors()), med(runs, r -> r.load().p50Micros()),
                med(runs, r -> r.load().p90Micros()), med(runs, r -> r.load().p99Micros()),
                med(runs, r -> r.load().p999Micros()), med(runs, r -> r.load().maxMicros()));
        return new Row(f.scenario(), f.proxy(), f.threads(), l, med(runs, Row::proxyCpu), med(runs, Row::backendCpu),
                med(runs, Row::loadgenCpu), med(runs, Row::otherCpu), (long) med(runs, Row::peakRssKib),
                med(runs, Row::mirroredPercent), (long) med(runs, Row::primaryReceived),
                med(runs, Row::syscallsPerRequest), (long) med(runs, Row::mirrorConnections));
    }

    private static double med(List<Row> runs, ToDoubleFunction<Row> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** One run: start the proxy (if any), warm up, measure, stop. */
    private Row measure(Scenario s, String proxy, int repetition) throws Exception {
        String tag = s.id() + "-" + proxy + (o.repeat > 1 ? "-" + repetition : "");
        log("== " + s.id() + " / " + proxy + (o.repeat > 1 ? " #" + (repetition + 1) : ""));
        Process proc = null;
        int port;
        switch (proxy) {
            case NGINX -> {
                proc = startNginx(s, tag);
                port = o.nginxPort();
            }
            case SHADOWGATE -> {
                proc = startShadowgate(s, tag);
                port = o.shadowgatePort();
            }
            default -> port = o.backendPorts().v1();
        }
        try {
            String host = BenchConfigs.HOST;
            int readyPort = port;
            waitUntil(() -> {
                try {
                    return RawHttp.get(readyPort, s.path(), host, s.extraHeaders()).status() == 200;
                } catch (IOException e) {
                    return false;
                }
            }, Duration.ofSeconds(60), proxy + " to answer 200 on " + s.path());
            List<Long> proxyPids = proc == null ? List.of() : pids(proc);
            waitQuiet(proxyPids);
            int warmup = o.warmupSeconds + (proxy.equals(SHADOWGATE) ? o.jvmWarmupSeconds : 0);
            if (warmup > 0) {
                // Fixed-rate scenarios warm up with wrk too (closed loop, same connections): the JIT needs calls, and
                // the open-loop generator then only warms itself up (3 s at the fixed rate).
                Scenario w = s.openLoop() ? new Scenario(s.id(), s.title(), s.mirror(), s.mirrorPercent(), s.routes(),
                        s.connections(), s.postBytes(), false, s.direct()) : s;
                LoadResult warm = load(w, port, warmup, tag + "-warmup", () -> { }, () -> { });
                log(String.format(Locale.ROOT, "   warm-up: %.0f req/s, %d errors", warm.rps(), warm.errors()));
            }
            proxyPids = proc == null ? List.of() : pids(proc);
            Profiler profiler = proxy.equals(SHADOWGATE) && o.profile != null
                    ? Profiler.start(o, work, tag, proc.pid(), o.durationSeconds) : null;
            List<Long> pidsNow = proxyPids;
            Sample[] window = new Sample[2];
            LoadResult result = load(s, port, o.durationSeconds, tag, () -> window[0] = sample(pidsNow, s), () -> {
                try {
                    Thread.sleep(300); // mirrors of the last requests land
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                window[1] = sample(pidsNow, s);
            });
            Sample before = window[0];
            Sample after = window[1];
            if (before == null || after == null) {
                throw new IllegalStateException("the load generator never announced its measured window; see "
                        + work.resolve("load-" + tag + ".log"));
            }
            if (profiler != null) {
                notes.add(profiler.stop());
            }
            long peak = ProcStats.peakRssKib(proxyPids);
            double proxyCpu = (after.proxyTicks - before.proxyTicks) / ProcStats.TICKS_PER_SECOND;
            double backendCpu = (after.backendTicks - before.backendTicks) / ProcStats.TICKS_PER_SECOND;
            double loadgenCpu = (after.childrenTicks - before.childrenTicks + after.selfTicks - before.selfTicks)
                    / ProcStats.TICKS_PER_SECOND;
            double machine = (after.machineTicks - before.machineTicks) / ProcStats.TICKS_PER_SECOND;
            double other = Math.max(0, machine - proxyCpu - backendCpu - loadgenCpu);
            long primary = after.v1 - before.v1;
            long mirrored = s.mirror() == Mirror.FAST ? after.v2 - before.v2
                    : s.mirror() == Mirror.SLOW ? after.v2Slow - before.v2Slow : 0;
            double mirroredPct = s.mirror() == Mirror.NONE || primary <= 0 ? Double.NaN : 100.0 * mirrored / primary;
            double syscalls = result.requests() == 0 ? 0
                    : (double) (after.proxySyscalls - before.proxySyscalls) / result.requests();
            Row row = new Row(s, proxy, proxy.equals(DIRECT) ? 0 : o.threads, result, proxyCpu, backendCpu,
                    loadgenCpu, other, peak, mirroredPct, primary, syscalls,
                    s.mirror() == Mirror.NONE ? 0 : after.mirrorConns - before.mirrorConns);
            log(String.format(Locale.ROOT, "   %.0f req/s, p50 %.3f ms, p99 %.3f ms, errors %d, proxy CPU %.1f s, "
                            + "peak RSS %.0f MiB, mirrored %s, other CPU %.1f s", result.rps(),
                    result.p50Micros() / 1000, result.p99Micros() / 1000, result.errors(), proxyCpu, peak / 1024.0,
                    Double.isNaN(mirroredPct) ? "-" : String.format(Locale.ROOT, "%.1f%%", mirroredPct), other));
            return row;
        } finally {
            if (proc != null) {
                stop(proc, Duration.ofSeconds(10));
            }
        }
    }

    /** With {@code --wait-quiet}: waits (bounded) until nothing but our idle processes uses the CPU. */
    private void waitQuiet(List<Long> proxyPids) throws InterruptedException {
        if (o.waitQuietSeconds <= 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.waitQuietSeconds);
        long waitedFrom = System.nanoTime();
        double others = 0;
        while (System.nanoTime() < deadline) {
            long m0 = ProcStats.machineBusyTicks();
            long ours0 = ProcStats.cpuTicks(proxyPids) + ProcStats.cpuTicks(backend.pid())
                    + ProcStats.cpuTicks(selfPid);
            Thread.sleep(1000);
            long m1 = ProcStats.machineBusyTicks();
            long ours1 = ProcStats.cpuTicks(proxyPids) + ProcStats.cpuTicks(backend.pid())
                    + ProcStats.cpuTicks(selfPid);
            others = ((m1 - m0) - (ours1 - ours0)) / ProcStats.TICKS_PER_SECOND;
            if (others < 0.25) {
                if (System.nanoTime() - waitedFrom > TimeUnit.SECONDS.toNanos(2)) {
                    log(String.format(Locale.ROOT, "   machine quiet after %.0f s",
                            (System.nanoTime() - waitedFrom) / 1e9));
                }
                return;
            }
        }
        log(String.format(Locale.ROOT, "   machine still busy after %d s (other work %.0f%% of a core): measuring"
                        + " anyway",
                o.waitQuietSeconds, others * 100));
    }

    private static List<Long> pids(Process p) {
        List<Long> out = new ArrayList<>();
        out.add(p.pid());
        p.toHandle().descendants().forEach(h -> out.add(h.pid()));
        return out;
    }

    private record Sample(long proxyTicks, long backendTicks, long childrenTicks, long selfTicks, long machineTicks,
                          long v1, long v2, long v2Slow, long proxySyscalls, long mirrorConns) {
    }

    private Sample sample(Collection<Long> proxyPids, Scenario s) {
        BenchConfigs.Ports p = o.backendPorts();
        return new Sample(ProcStats.cpuTicks(proxyPids), ProcStats.cpuTicks(backend.pid()),
                ProcStats.childrenCpuTicks(selfPid), ProcStats.cpuTicks(selfPid), ProcStats.machineBusyTicks(),
                RawHttp.backendRequests(p.v1()), s.mirror() == Mirror.FAST ? RawHttp.backendRequests(p.v2()) : 0,
                s.mirror() == Mirror.SLOW ? RawHttp.backendRequests(p.v2Slow()) : 0, ProcStats.ioSyscalls(proxyPids),
                s.mirror() == Mirror.NONE ? 0 : RawHttp.backendStat(s.mirror() == Mirror.FAST ? p.v2() : p.v2Slow(),
                        "connections"));
    }

    // ------------------------------------------------------------------------------------------------ proxies

    private Process startNginx(Scenario s, String tag) throws Exception {
        Files.createDirectories(work.resolve("nginx-tmp"));
        Path conf = work.resolve("nginx-" + s.id() + ".conf");
        Files.writeString(conf, BenchConfigs.nginxConf(work.toString(), o.threads, o.nginxPort(), o.backendPorts(),
                s.mirror(), s.mirrorPercent(), s.routes()));
        Process p = start(List.of(o.nginx, "-c", conf.toString(), "-p", work.toString(), "-e",
                work.resolve("nginx-error.log").toString()), work.resolve("nginx.log"));
        waitUntil(() -> RawHttp.listening(o.nginxPort()) || !p.isAlive(), Duration.ofSeconds(20), "nginx");
        if (!p.isAlive()) {
            throw new IllegalStateException("nginx exited; see " + work.resolve("nginx.log") + " and "
                    + work.resolve("nginx-error.log"));
        }
        return p;
    }

    private Process startShadowgate(Scenario s, String tag) throws Exception {
        Path yaml = work.resolve("shadowgate-" + s.id() + ".yaml");
        Files.writeString(yaml, BenchConfigs.shadowgateYaml(o.backendPorts(), s.mirror(), s.mirrorPercent(),
                s.routes()));
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        for (String opt : o.javaOpts.trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                cmd.add(opt);
            }
        }
        if ("jfr".equals(o.profile)) {
            cmd.add("-XX:StartFlightRecording=delay=" + (o.warmupSeconds + o.jvmWarmupSeconds + 2) + "s,duration="
                    + o.durationSeconds
                    + "s,settings=profile,filename=" + work.resolve("shadowgate-" + tag + ".jfr"));
        }
        cmd.addAll(List.of("-jar", o.shadowgateJar.toAbsolutePath().toString(), "run", "-f", yaml.toString(),
                "--listen", "127.0.0.1:" + o.shadowgatePort(), "--admin", "127.0.0.1:" + o.adminPort(),
                "--access-log", "off", "--io-threads", String.valueOf(o.threads), "--drain-timeout", "1s",
                "--transport", o.transport));
        cmd.addAll(o.shadowgateArgs);
        Process p = start(cmd, work.resolve("shadowgate.log"));
        waitUntil(() -> {
            if (!p.isAlive()) {
                return true;
            }
            try {
                return RawHttp.get(o.adminPort(), "/ready", "127.0.0.1", List.of()).status() == 200;
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(60), "shadowgate /ready");
        if (!p.isAlive()) {
            throw new IllegalStateException("shadowgate exited; see " + work.resolve("shadowgate.log"));
        }
        noteTransport(work.resolve("shadowgate.log"));
        return p;
    }

    /** Records the transport of the last start ({@code transport: epoll (…)} in the appended log). */
    private void noteTransport(Path logFile) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("transport: (\\w+)")
                .matcher(Files.readString(logFile));
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last != null) {
            o.transportsSeen.add(last);
        }
    }

    // ------------------------------------------------------------------------------------------------ load

    /**
     * Runs the load generator; {@code onStart}/{@code onEnd} run right around the measured window (for wrk: around
     * the process; for the open-loop generator: at its {@code MEASURE start}/{@code MEASURE end} lines, so its own
     * warm-up is not counted).
     */
    private LoadResult load(Scenario s, int port, int seconds, String tag, Runnable onStart, Runnable onEnd)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        if (s.openLoop()) {
            cmd.addAll(List.of(javaBin(), "-XX:+UseParallelGC", "-Xms128m", "-Xmx256m", "-cp", benchJar().toString(),
                    "io.shadowgate.benchmarks.load.OpenLoop", "--url", "http://127.0.0.1:" + port + s.path(),
                    "--header", "Host: " + BenchConfigs.HOST, "--rate", String.valueOf(o.rate),
                    "--connections", String.valueOf(s.connections()), "--warmup", "3",
                    "--duration", String.valueOf(seconds)));
            for (String h : s.extraHeaders()) {
                cmd.addAll(List.of("--header", h));
            }
        } else {
            Path lua = work.resolve(s.postBytes() > 0 ? "post-" + s.postBytes() + ".lua" : "get.lua");
            if (!Files.exists(lua)) {
                Files.writeString(lua, luaScript(s.postBytes()));
            }
            cmd.addAll(List.of(o.wrk, "-t", String.valueOf(Math.min(2, s.connections())), "-c",
                    String.valueOf(s.connections()), "-d", seconds + "s", "--timeout", "10s", "-s", lua.toString(),
                    "-H", "Host: " + BenchConfigs.HOST));
            for (String h : s.extraHeaders()) {
                cmd.addAll(List.of("-H", h));
            }
            cmd.add("http://127.0.0.1:" + port + s.path());
        }
        Path out = work.resolve("load-" + tag + ".log");
        boolean marked = s.openLoop();
        if (!marked) {
            onStart.run();
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        synchronized (children) {
            children.add(p);
        }
        StringBuilder text = new StringBuilder();
        boolean[] ended = new boolean[1];
        Thread reader = new Thread(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    text.append(line).append('\n');
                    if (marked && line.equals("MEASURE start")) {
                        onStart.run();
                    } else if (marked && line.equals("MEASURE end")) {
                        onEnd.run();
                        ended[0] = true;
                    }
                }
            } catch (IOException e) {
                text.append("harness: ").append(e).append('\n');
            }
        }, "load-output");
        reader.start();
        try {
            if (!p.waitFor(seconds + o.warmupSeconds + o.jvmWarmupSeconds + 60L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("load generator hung: " + cmd);
            }
            reader.join(10_000);
        } finally {
            synchronized (children) {
                children.remove(p);
            }
        }
        Files.writeString(out, text);
        if (!marked || !ended[0]) {
            onEnd.run();
        }
        LoadResult r = LoadResult.parse(text.toString());
        if (r == null) {
            throw new IllegalStateException("no RESULT line from " + cmd + ":\n" + text);
        }
        return r;
    }

    /** wrk's script: prints the exact percentiles, and for POST scenarios sets the body. */
    static String luaScript(int postBytes) {
        StringBuilder l = new StringBuilder();
        if (postBytes > 0) {
            l.append("wrk.method = \"POST\"\n");
            l.append("wrk.body = string.rep(\"x\", ").append(postBytes).append(")\n");
            l.append("wrk.headers[\"Content-Type\"] = \"application/octet-stream\"\n");
        }
        l.append("""
                done = function(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("RESULT requests=%d duration_us=%d connect=%d read=%d write=%d status=%d "
                    .. "timeout=%d p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f mean_us=%.1f\\n",
                    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
                    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
                    latency.max, latency.mean))
                end
                """);
        return l.toString();
    }

    // ------------------------------------------------------------------------------------------------ soak

    /** Shadowgate alone under 100% mirroring for {@code soakMinutes}; RSS sampled every 10 s. */
    private String soak() throws Exception {
        Scenario s = Scenario.all(o.connections).stream().filter(x -> x.id().equals("mirror-100-fast")).findFirst()
                .orElseThrow();
        log("== soak: " + o.soakMinutes + " min of " + s.title() + " through Shadowgate");
        Process proc = startShadowgate(s, "soak");
        try {
            waitUntil(() -> {
                try {
                    return RawHttp.get(o.shadowgatePort(), "/", BenchConfigs.HOST, List.of()).status() == 200;
                } catch (IOException e) {
                    return false;
                }
            }, Duration.ofSeconds(60), "shadowgate");
            List<long[]> samples = new ArrayList<>();
            Thread sampler = new Thread(() -> {
                long t0 = System.nanoTime();
                while (!Thread.currentThread().isInterrupted()) {
                    samples.add(new long[] {(System.nanoTime() - t0) / 1_000_000_000L, ProcStats.rssKib(proc.pid())});
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            LoadResult r = load(s, o.shadowgatePort(), o.soakMinutes * 60, "soak", () -> { }, () -> { });
            sampler.interrupt();
            sampler.join();
            long peak = ProcStats.peakRssKib(proc.pid());
            String series = samples.stream().map(x -> x[0] + "s:" + (x[1] / 1024) + "MiB")
                    .collect(Collectors.joining(" "));
            long firstMinuteMax = samples.stream().filter(x -> x[0] <= 60).mapToLong(x -> x[1]).max().orElse(0);
            long lastMinuteMax = samples.stream().filter(x -> x[0] >= o.soakMinutes * 60L - 60).mapToLong(x -> x[1])
                    .max().orElse(0);
            return String.format(Locale.ROOT, "Soak (%d min, %s, Shadowgate): %.0f req/s, p99 %.2f ms, %d errors, "
                            + "peak RSS %d MiB, max RSS first minute %d MiB, last minute %d MiB. Samples: %s",
                    o.soakMinutes, s.title(), r.rps(), r.p99Micros() / 1000, r.errors(), peak / 1024,
                    firstMinuteMax / 1024, lastMinuteMax / 1024, series);
        } finally {
            stop(proc, Duration.ofSeconds(10));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitUntil(Check c, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (c.ok()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }

    static void log(String line) {
        System.err.println("[bench " + DateTimeFormatter.ISO_LOCAL_TIME.withZone(ZoneOffset.UTC)
                .format(Instant.now()).substring(0, 8) + "] " + line);
    }

    static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out.trim();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}

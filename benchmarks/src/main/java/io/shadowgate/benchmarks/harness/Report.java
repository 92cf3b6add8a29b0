package io.shadowgate.benchmarks.harness;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The Markdown the harness prints and records: the table, the targets, the micro-benchmarks. */
final class Report {

    /** Below this share of requests mirrored, a "100% mirror" row does not count for its target. */
    static final double MIN_FULL_MIRROR_PERCENT = 95;

    private final Options o;
    private final Machine m;
    private final Instant started;
    private final List<Harness.Row> rows;
    private final List<JmhRunner.Result> jmh;
    private final List<String> notes;

    Report(Options o, Machine m, Instant started, List<Harness.Row> rows, List<JmhRunner.Result> jmh,
           List<String> notes) {
        this.o = o;
        this.m = m;
        this.started = started;
        this.rows = rows;
        this.jmh = jmh;
        this.notes = notes;
    }

    /** {@code `--transport auto` → epoll}: what was asked and what Shadowgate logged it chose. */
    static String transport(Options o) {
        return "`--transport " + o.transport + "`" + (o.transportsSeen.isEmpty() ? ""
                : " → " + String.join("/", o.transportsSeen));
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("### Run ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
                .format(started)).append("\n\n");
        sb.append("`benchmarks/run.sh").append(o.commandLine.isEmpty() ? "" : " " + o.commandLine).append("`\n\n");
        sb.append(String.format(Locale.ROOT, "- Machine: nproc %d, %s, %,d MiB RAM, kernel %s, %s; %s; %s; git %s; "
                        + "load average %.2f at start.%n", m.nproc(), m.cpu(), m.memMib(), m.kernel(), m.jdk(),
                "NGINX " + m.nginx(), m.wrk(), m.git(), m.loadAverage()));
        sb.append(String.format(Locale.ROOT, "- Threads: Shadowgate `--io-threads %d`, NGINX `worker_processes %d`; "
                        + "backend %d event loop(s) per port; Shadowgate jar sha256 %s…, JVM `%s`, transport %s%s.%n",
                o.threads, o.threads, o.backendThreads, o.jarDigest, o.javaOpts, transport(o),
                o.shadowgateArgs.isEmpty() ? ""
                        : ", extra args `" + String.join(" ", o.shadowgateArgs) + "`"));
        sb.append(String.format(Locale.ROOT, "- Each run: a fresh proxy process, %d s warm-up (same load; Shadowgate "
                        + "%d s more for its JIT), %d s measured%s. Closed loop: wrk, %d connections (conn-1000: "
                        + "1,000). Open loop: %,d req/s on %d connections after a wrk warm-up, latency from each "
                        + "request's due time. Slow mirror: %d ms.%n",
                o.warmupSeconds, o.jvmWarmupSeconds, o.durationSeconds,
                o.repeat > 1 ? ", median of " + o.repeat + " runs" : "", o.connections, o.rate, o.connections,
                o.slowMirrorMillis));
        sb.append("- mirrored: share of proxied requests the mirror backend received, and the connections opened to "
                + "it during the window.\n");
        sb.append("- CPU s: the proxy's user+system CPU over the measured window (NGINX: master + workers). Peak RSS: "
                + "VmHWM (NGINX: summed over its processes). I/O syscalls/req: read- and write-like system calls of "
                + "the proxy (syscr + syscw of /proc/PID/io) per request; NGINX reads sockets with recv(), which is "
                + "not counted, so compare this column between Shadowgate rows only. other CPU s: machine process time "
                + "(user+system+steal, softirq excluded) not used by the proxy, backend, load generator or harness: "
                + "other work on the machine or its host; ⚠ when above 15% of it, the run was disturbed, and targets "
                + "computed from such rows are reported as inconclusive. ×NGINX: Shadowgate's figure "
                + "divided by NGINX's.\n\n");
        if (!rows.isEmpty()) {
            table(sb);
            targets(sb);
        }
        if (!jmh.isEmpty()) {
            sb.append("\nMicro-benchmarks (JMH 1.37, 1 fork; score ± 99.9% error):\n\n");
            sb.append("| benchmark | mode | score | unit |\n|---|---|---:|---|\n");
            for (JmhRunner.Result r : jmh) {
                sb.append("| ").append(r.benchmark()).append(" | ").append(r.mode()).append(" | ")
                        .append(Double.isNaN(r.error()) ? fmt(r.score())
                                : fmt(r.score()) + " ± " + fmt(r.error()))
                        .append(" | ").append(r.unit()).append(" |\n");
            }
            jmhTargets(sb);
        }
        for (String n : notes) {
            sb.append("\n- ").append(n).append('\n');
        }
        return sb.toString();
    }

    private void table(StringBuilder sb) {
        sb.append("| scenario | proxy | thr | conns | req/s | p50 ms | p99 ms | errors | mirrored | CPU s | "
                + "CPU µs/req | I/O syscalls/req | peak RSS MiB | other CPU s | ×NGINX req/s | ×NGINX p50 | "
                + "×NGINX p99 | ×NGINX CPU/req | ×NGINX RSS |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Harness.Row r : rows) {
            boolean direct = r.proxy().equals(Harness.DIRECT);
            Optional<Harness.Row> n = r.proxy().equals(Harness.SHADOWGATE) ? find(r.scenario().id(), Harness.NGINX)
                    : Optional.empty();
            String other = fmt1(r.otherCpu()) + (disturbed(r) ? " ⚠" : "");
            sb.append("| ").append(r.scenario().id()).append(" | ").append(direct ? "direct" : r.proxy())
                    .append(" | ").append(direct ? "–" : String.valueOf(r.threads()))
                    .append(" | ").append(r.scenario().connections())
                    .append(" | ").append(String.format(Locale.ROOT, "%,.0f", r.load().rps()))
                    .append(" | ").append(r.load().requests() == 0 ? "–" : ms(r.load().p50Micros()))
                    .append(" | ").append(r.load().requests() == 0 ? "–" : ms(r.load().p99Micros()))
                    .append(" | ").append(r.load().errors() > 0.01 * (r.load().requests() + r.load().errors())
                            ? r.load().errors() + " (overloaded)" : String.valueOf(r.load().errors()))
                    .append(" | ").append(Double.isNaN(r.mirroredPercent()) ? "–"
                            : String.format(Locale.ROOT, "%.1f%% (%,d new conns)", r.mirroredPercent(),
                            r.mirrorConnections()))
                    .append(" | ").append(direct ? "–" : fmt1(r.proxyCpu()))
                    .append(" | ").append(direct ? "–" : fmt1(r.cpuMicrosPerRequest()))
                    .append(" | ").append(direct ? "–" : fmt1(r.syscallsPerRequest()))
                    .append(" | ").append(direct ? "–" : String.valueOf(r.peakRssKib() / 1024))
                    .append(" | ").append(other);
            if (n.isPresent()) {
                Harness.Row x = n.get();
                sb.append(" | ").append(ratio(r.load().rps(), x.load().rps()))
                        .append(" | ").append(ratio(r.load().p50Micros(), x.load().p50Micros()))
                        .append(" | ").append(ratio(r.load().p99Micros(), x.load().p99Micros()))
                        .append(" | ").append(ratio(r.cpuMicrosPerRequest(), x.cpuMicrosPerRequest()))
                        .append(" | ").append(ratio(r.peakRssKib(), x.peakRssKib()));
            } else {
                sb.append(" | | | | | ");
            }
            sb.append(" |\n");
        }
    }

    private Optional<Harness.Row> find(String scenario, String proxy) {
        return rows.stream().filter(r -> r.scenario().id().equals(scenario) && r.proxy().equals(proxy)).findFirst();
    }

    private void targets(StringBuilder sb) {
        List<String[]> t = new ArrayList<>();
        Optional<Harness.Row> sgPlain = find("no-mirror", Harness.SHADOWGATE);
        Optional<Harness.Row> ngPlain = find("no-mirror", Harness.NGINX);
        if (sgPlain.isPresent() && ngPlain.isPresent()) {
            double r = sgPlain.get().load().rps() / ngPlain.get().load().rps();
            t.add(row("no mirror: req/s ≥ NGINX's", String.format(Locale.ROOT, "%.2f×", r), r >= 1.0, true,
                    sgPlain.get(), ngPlain.get()));
            double a = sgPlain.get().load().p99Micros();
            double b = ngPlain.get().load().p99Micros();
            t.add(row("no mirror: p99 ≤ NGINX's", ms(a) + " ms vs " + ms(b) + " ms", a <= b, true, sgPlain.get(),
                    ngPlain.get()));
        }
        Optional<Harness.Row> sgFast = find("mirror-100-fast", Harness.SHADOWGATE);
        Optional<Harness.Row> ngFast = find("mirror-100-fast", Harness.NGINX);
        if (sgFast.isPresent() && ngFast.isPresent()) {
            double r = sgFast.get().load().rps() / ngFast.get().load().rps();
            t.add(fullyMirrored(row("100% mirror (fast): req/s ≥ 2× NGINX's", String.format(Locale.ROOT,
                    "%.2f× (mirrored %.1f%%)", r, sgFast.get().mirroredPercent()), r >= 2.0, true, sgFast.get(),
                    ngFast.get()), sgFast.get()));
        }
        Optional<Harness.Row> sgSlow = find("mirror-100-slow", Harness.SHADOWGATE);
        if (sgSlow.isPresent() && sgPlain.isPresent()) {
            double r = sgSlow.get().load().rps() / sgPlain.get().load().rps();
            t.add(fullyMirrored(row("100% mirror (100 ms): req/s ≥ 0.9× own no-mirror",
                    String.format(Locale.ROOT, "%.2f× (mirrored %.1f%%)", r, sgSlow.get().mirroredPercent()),
                    r >= 0.9, true, sgSlow.get(), sgPlain.get()), sgSlow.get()));
            double d = (sgSlow.get().load().p99Micros() - sgPlain.get().load().p99Micros()) / 1000;
            t.add(fullyMirrored(row("100% mirror (100 ms): p99 ≤ own no-mirror p99 + 1 ms",
                    String.format(Locale.ROOT, "%+.3f ms", d), d <= 1.0, true, sgSlow.get(), sgPlain.get()),
                    sgSlow.get()));
        }
        Optional<Harness.Row> od = find("open-direct", Harness.DIRECT);
        for (String id : new String[] {"open-proxy", "open-mirror-slow"}) {
            Optional<Harness.Row> sg = find(id, Harness.SHADOWGATE);
            Optional<Harness.Row> ng = find(id, Harness.NGINX);
            if (od.isPresent() && sg.isPresent() && sg.get().load().requests() > 0) {
                double p50 = (sg.get().load().p50Micros() - od.get().load().p50Micros()) / 1000;
                double p99 = (sg.get().load().p99Micros() - od.get().load().p99Micros()) / 1000;
                String nginx = ng.filter(x -> x.load().requests() > 0).map(x -> String.format(Locale.ROOT,
                        " (NGINX %+.3f / %+.3f ms)",
                        (x.load().p50Micros() - od.get().load().p50Micros()) / 1000,
                        (x.load().p99Micros() - od.get().load().p99Micros()) / 1000))
                        .orElse(ng.isPresent() ? " (NGINX could not sustain the rate)" : "");
                String label = id.equals("open-proxy") ? "fixed rate, no mirror" : "fixed rate, 100% mirror (100 ms)";
                t.add(row(label + ": added p50 ≤ 0.2 ms, p99 ≤ 1 ms",
                        String.format(Locale.ROOT, "%+.3f / %+.3f ms", p50, p99) + nginx, p50 <= 0.2 && p99 <= 1.0,
                        p50 > -0.05 && p99 > -0.5, sg.get(), od.get()));
            }
        }
        for (String id : new String[] {"conn-1000", "body-1mib"}) {
            find(id, Harness.SHADOWGATE).ifPresent(r -> t.add(row(id + ": peak RSS ≤ " + o.rssBoundMib + " MiB",
                    (r.peakRssKib() / 1024) + " MiB" + find(id, Harness.NGINX)
                            .map(x -> " (NGINX " + x.peakRssKib() / 1024 + " MiB)").orElse(""),
                    r.peakRssKib() / 1024 <= o.rssBoundMib)));
        }
        for (Harness.Row r : rows) {
            if (r.load().errors() > 0 && !r.scenario().openLoop()) {
                t.add(row(r.scenario().id() + " / " + r.proxy() + ": no errors", r.load().errors() + " errors",
                        false));
            }
        }
        if (t.isEmpty()) {
            return;
        }
        sb.append("\nTargets (ratios from this run):\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (String[] x : t) {
            sb.append("| ").append(x[0]).append(" | ").append(x[1]).append(" | ").append(x[2]).append(" |\n");
        }
    }

    private void jmhTargets(StringBuilder sb) {
        List<String[]> t = new ArrayList<>();
        for (JmhRunner.Result r : jmh) {
            if (r.benchmark().endsWith("lateRouteOf1000")) {
                double ns = r.unit().startsWith("ns") ? r.score() : r.score() * 1000;
                t.add(row("routing decision, route 990 of 1,000: well under 1 µs",
                        String.format(Locale.ROOT, "%,.0f ns", ns), ns < 500));
            }
            if (r.benchmark().endsWith("loadAndCompile1000")) {
                t.add(row("YAML → snapshot, 1,000 routes (warm): < 1 s", fmt(r.score()) + " " + r.unit(),
                        r.unit().equals("ms/op") ? r.score() < 1000 : r.score() < 1));
            }
            if (r.benchmark().endsWith("first")) {
                t.add(row("YAML → snapshot, 1,000 routes (fresh JVM, first build): < 1 s", fmt(r.score()) + " ms",
                        r.score() < 1000));
            }
        }
        if (!t.isEmpty()) {
            sb.append("\n| target | measured | verdict |\n|---|---|---|\n");
            for (String[] x : t) {
                sb.append("| ").append(x[0]).append(" | ").append(x[1]).append(" | ").append(x[2]).append(" |\n");
            }
        }
    }

    private static String[] row(String target, String measured, boolean ok) {
        return new String[] {target, measured, ok ? "met" : "**not met**"};
    }

    /** A verdict that only stands when none of {@code used} was disturbed and the figure makes sense. */
    private String[] row(String target, String measured, boolean ok, boolean sane, Harness.Row... used) {
        for (Harness.Row r : used) {
            if (disturbed(r)) {
                return new String[] {target, measured, "inconclusive (disturbed run: " + r.scenario().id() + " / "
                        + r.proxy() + ")"};
            }
        }
        if (!sane) {
            return new String[] {target, measured, "inconclusive (baseline slower than the proxy: noise)"};
        }
        return row(target, measured, ok);
    }

    /**
     * A 100%-mirror target only stands when (nearly) every request was mirrored: a proxy that sheds mirrors (the
     * in-flight cap, {@code --mirror-cpu-budget}) measures a different, cheaper workload.
     */
    private static String[] fullyMirrored(String[] verdict, Harness.Row mirrored) {
        double share = mirrored.mirroredPercent();
        if (!Double.isNaN(share) && share < MIN_FULL_MIRROR_PERCENT && verdict[2].equals("met")) {
            return new String[] {verdict[0], verdict[1], String.format(Locale.ROOT,
                    "not comparable (only %.1f%% mirrored; the target is for 100%%)", share)};
        }
        return verdict;
    }

    private boolean disturbed(Harness.Row r) {
        return r.otherCpu() > 0.15 * o.durationSeconds * m.nproc();
    }

    private static String ms(double micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000);
    }

    private static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmt(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String ratio(double a, double b) {
        if (b == 0 || Double.isNaN(a) || Double.isNaN(b)) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", a / b);
    }
}

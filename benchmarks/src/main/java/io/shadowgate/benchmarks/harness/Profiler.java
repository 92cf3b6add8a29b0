package io.shadowgate.benchmarks.harness;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Profiles Shadowgate during one measured window. {@code async}: async-profiler loaded into the running JVM through the
 * attach API at the start of the window (CPU samples from perf events, falling back to {@code itimer} where perf events
 * are not allowed) and stopped at its end, written as collapsed stacks ({@code *.collapsed}, one line per stack with
 * its sample count; feed it to any flame-graph tool) and the top frames by self and inclusive samples
 * ({@code *.flat.txt}). {@code jfr}: the JFR
 * recording is started by a JVM flag with the warm-up as delay (see {@code Harness#startShadowgate}); nothing to do
 * here. {@code async:alloc}: async-profiler's allocation profile instead of CPU ({@code alloc-*.collapsed}, bytes).
 */
final class Profiler {

    private final Options o;
    private final Path out;
    private final long pid;
    private final String event;

    private Profiler(Options o, Path out, long pid, String event) {
        this.o = o;
        this.out = out;
        this.pid = pid;
        this.event = event;
    }

    static Profiler start(Options o, Path work, String tag, long pid, int seconds) {
        if (!o.profile.startsWith("async")) {
            return new Profiler(o, work.resolve("shadowgate-" + tag + ".jfr"), pid, "jfr");
        }
        if (o.asyncProfilerLib == null) {
            throw new IllegalStateException("--profile async needs --async-profiler-lib (run.sh sets it)");
        }
        Path base = work.resolve("profile-" + tag);
        if (o.profile.equals("async:alloc")) {
            // Allocation profile: samples every 512 KiB allocated, weighted by bytes.
            try {
                agent(o, pid, "start,event=alloc,alloc=512k");
                return new Profiler(o, work.resolve("alloc-" + tag), pid, "alloc");
            } catch (Exception e) {
                throw new IllegalStateException("async-profiler alloc mode failed: " + e.getMessage(), e);
            }
        }
        for (String event : new String[] {"cpu", "itimer"}) {
            try {
                agent(o, pid, "start,event=" + event + ",interval=1000000");
                return new Profiler(o, base, pid, event);
            } catch (Exception e) {
                Harness.log("   async-profiler event " + event + " failed: " + e.getMessage());
            }
        }
        throw new IllegalStateException("async-profiler could not start");
    }

    String stop() {
        if (event.equals("jfr")) {
            return "JFR recording: " + out;
        }
        try {
            agent(o, pid, "stop,file=" + out + ".collapsed,collapsed");
            Path collapsed = Path.of(out + ".collapsed");
            Files.writeString(Path.of(out + ".flat.txt"), summarize(Files.readAllLines(collapsed), 40));
        } catch (Exception e) {
            return "async-profiler stop failed: " + e.getMessage();
        }
        return "async-profiler (" + event + "): " + out + ".collapsed, " + out + ".flat.txt";
    }

    /** Top frames by self samples and by inclusive samples, from collapsed stacks. */
    static String summarize(List<String> collapsed, int top) {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        long all = 0;
        for (String line : collapsed) {
            int sp = line.lastIndexOf(' ');
            if (sp < 0) {
                continue;
            }
            long n = Long.parseLong(line.substring(sp + 1).trim());
            String[] frames = line.substring(0, sp).split(";");
            all += n;
            self.merge(frames[frames.length - 1], n, Long::sum);
            for (String f : new HashSet<>(Arrays.asList(frames))) {
                total.merge(f, n, Long::sum);
            }
        }
        StringBuilder sb = new StringBuilder("samples: " + all + "\n\n-- self --\n");
        append(sb, self, all, top);
        sb.append("\n-- inclusive --\n");
        append(sb, total, all, top * 2);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Map<String, Long> m, long all, int top) {
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%6.2f%%  %8d  %s%n",
                        100.0 * e.getValue() / Math.max(1, all), e.getValue(), e.getKey())));
    }

    private static void agent(Options o, long pid, String args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            vm.loadAgentPath(o.asyncProfilerLib.toAbsolutePath().toString(), args);
        } finally {
            vm.detach();
        }
    }
}

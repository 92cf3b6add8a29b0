package io.shadowgate.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the results were measured on. */
record Machine(int nproc, String cpu, String kernel, String jdk, String nginx, String wrk, long memMib,
               String git, double loadAverage) {

    static Machine describe(Options o) {
        String cpu = "?";
        long mem = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    mem = Long.parseLong(l.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // keep "?"
        }
        String kernel = read("/proc/sys/kernel/osrelease");
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        String nginx = Harness.run(List.of(o.nginx, "-v")).replace("nginx version: ", "");
        String wrk = Harness.run(List.of(o.wrk, "-v"));
        wrk = wrk.isEmpty() ? "?" : wrk.lines().findFirst().orElse("?").replaceAll("\\s*Copyright.*", "");
        String head = Harness.run(List.of("git", "rev-parse", "--short", "HEAD"));
        String dirty = Harness.run(List.of("git", "status", "--porcelain", "--untracked-files=no"));
        String git = head.isEmpty() || head.contains("fatal") ? "?"
                : head + (dirty.isEmpty() ? "" : " + uncommitted changes");
        return new Machine(Runtime.getRuntime().availableProcessors(), cpu, kernel, jdk, nginx, wrk, mem, git,
                ProcStats.loadAverage());
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    String oneLine() {
        return String.format(Locale.ROOT, "nproc %d, %s, %d MiB RAM, kernel %s, %s, NGINX %s, %s, git %s, "
                + "load average %.2f at start", nproc, cpu, memMib, kernel, jdk, nginx, wrk, git, loadAverage);
    }
}

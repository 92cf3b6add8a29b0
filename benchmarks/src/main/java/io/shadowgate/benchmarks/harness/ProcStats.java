package io.shadowgate.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Reads CPU time and memory from Linux's {@code /proc}. CPU figures are in clock ticks, converted with
 * {@link #TICKS_PER_SECOND} ({@code getconf CLK_TCK}, 100 on every Linux that matters).
 */
final class ProcStats {

    static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** {@code utime + stime} of {@code pid} in ticks (0 when the process is gone). */
    static long cpuTicks(long pid) {
        long[] f = statFields(pid);
        return f == null ? 0 : f[13] + f[14];
    }

    /** {@code cutime + cstime} of {@code pid}: CPU of its children that exited and were waited for. */
    static long childrenCpuTicks(long pid) {
        long[] f = statFields(pid);
        return f == null ? 0 : f[15] + f[16];
    }

    /** Sum of {@link #cpuTicks} over {@code pids}. */
    static long cpuTicks(Collection<Long> pids) {
        long sum = 0;
        for (long p : pids) {
            sum += cpuTicks(p);
        }
        return sum;
    }

    /** {@code syscr + syscw} of {@code /proc/PID/io}: read- and write-like system calls made so far. */
    static long ioSyscalls(long pid) {
        long n = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                if (l.startsWith("syscr:") || l.startsWith("syscw:")) {
                    n += Long.parseLong(l.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not readable
        }
        return n;
    }

    /** Sum of {@link #ioSyscalls} over {@code pids}. */
    static long ioSyscalls(Collection<Long> pids) {
        long sum = 0;
        for (long p : pids) {
            sum += ioSyscalls(p);
        }
        return sum;
    }

    /** {@code VmHWM} (peak resident set) of {@code pid} in KiB, 0 when unknown. */
    static long peakRssKib(long pid) {
        return statusKib(pid, "VmHWM:");
    }

    /** {@code VmRSS} of {@code pid} in KiB, 0 when unknown. */
    static long rssKib(long pid) {
        return statusKib(pid, "VmRSS:");
    }

    /** Sum of {@link #peakRssKib} over {@code pids} (shared pages of NGINX's processes count once per process). */
    static long peakRssKib(Collection<Long> pids) {
        long sum = 0;
        for (long p : pids) {
            sum += peakRssKib(p);
        }
        return sum;
    }

    /**
     * Ticks the whole machine spent running processes, plus steal: {@code user + nice + system + steal} of
     * {@code /proc/stat}'s {@code cpu} line. Interrupt and softirq time (loopback TCP processing that no process is
     * charged for) is left out, so that "machine − ours" counts other processes, and, through steal, other guests of a
     * virtual machine's host.
     */
    static long machineBusyTicks() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] p = first.trim().split("\\s+");
            return Long.parseLong(p[1]) + Long.parseLong(p[2]) + Long.parseLong(p[3])
                    + (p.length > 8 ? Long.parseLong(p[8]) : 0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** {@code irq + softirq} ticks of the whole machine. */
    static long machineIrqTicks() {
        try {
            String[] p = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return Long.parseLong(p[6]) + Long.parseLong(p[7]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The 1-minute load average, or -1. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The fields of {@code /proc/PID/stat} after the command name, indexed as in proc(5) minus one. */
    private static long[] statFields(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int close = s.lastIndexOf(')');
            String[] rest = s.substring(close + 2).trim().split("\\s+");
            // proc(5) numbers fields from 1: pid(1) comm(2) state(3) ...; rest[0] is state (field 3).
            long[] f = new long[rest.length + 2];
            for (int i = 0; i < rest.length; i++) {
                try {
                    f[i + 2] = Long.parseLong(rest[i]);
                } catch (NumberFormatException e) {
                    f[i + 2] = 0;
                }
            }
            return f;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long statusKib(long pid, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
            for (String l : lines) {
                if (l.startsWith(key)) {
                    return Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }
}

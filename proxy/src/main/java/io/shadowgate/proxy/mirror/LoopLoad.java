package io.shadowgate.proxy.mirror;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How busy one event loop is: the share of wall-clock time its thread was running or waiting for a CPU (not blocked
 * waiting for I/O) over the last window of at least {@link #WINDOW_NANOS}. Measured lazily, when a mirror is about to
 * start, so an idle loop does no work for it: one read of the thread's scheduler statistics per window. Confined to
 * the loop's thread.
 */
final class LoopLoad {

    /** Shortest measuring window. */
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LongSupplier busyClock;
    private boolean started;
    private long windowStart;
    private long busyAtWindowStart;
    private double fraction;

    /**
     * @param busyClock the calling thread's busy time so far in nanoseconds (only differences are used)
     */
    LoopLoad(LongSupplier busyClock) {
        this.busyClock = busyClock;
    }

    /** The busy share (0..1, slightly above 1 by rounding) of the last complete window; 0 before the first one. */
    double busyFraction(long nowNanos) {
        if (!started) {
            started = true;
            windowStart = nowNanos;
            busyAtWindowStart = busyClock.getAsLong();
            return 0;
        }
        long elapsed = nowNanos - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            long busy = busyClock.getAsLong();
            fraction = (busy - busyAtWindowStart) / (double) elapsed;
            windowStart = nowNanos;
            busyAtWindowStart = busy;
        }
        return fraction;
    }

    /**
     * The best busy clock of the platform, for the calling thread: on Linux, time on a CPU plus time waiting in the
     * run queue ({@code /proc/thread-self/schedstat}) — a loop starved of CPU by other processes is as saturated as
     * one using a whole core; elsewhere the thread's CPU time; without either, always 0 (the budget never trips).
     */
    static LongSupplier platformBusyClock() {
        if (schedstat() >= 0) {
            return LoopLoad::schedstat;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads.isCurrentThreadCpuTimeSupported()) {
            if (!threads.isThreadCpuTimeEnabled()) {
                threads.setThreadCpuTimeEnabled(true);
            }
            return threads::getCurrentThreadCpuTime;
        }
        return () -> 0;
    }

    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

    /** Nanoseconds the calling thread ran plus waited to run, or -1 when unavailable. */
    static long schedstat() {
        byte[] b;
        try {
            b = Files.readAllBytes(SCHEDSTAT);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return -1;
        }
        String[] f = new String(b, StandardCharsets.US_ASCII).trim().split(" ");
        if (f.length < 2) {
            return -1;
        }
        try {
            return Long.parseLong(f[0]) + Long.parseLong(f[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

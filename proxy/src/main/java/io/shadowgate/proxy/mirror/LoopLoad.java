package io.shadowgate.proxy.mirror;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How busy one event loop is: the share of wall-clock time its thread spent on a CPU over the last window of at least
 * {@link #WINDOW_NANOS}. Measured lazily, when a mirror is about to start, so an idle loop does no work for it: one
 * read of the thread's CPU clock per window. Confined to the loop's thread.
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
     * The calling thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime()}, a {@code clock_gettime} on
     * Linux): a loop using 80% of a core is saturated whatever else runs on the machine, and a loop merely starved by
     * other processes does not drop mirrors. Without thread CPU time, always 0 (the budget never trips).
     */
    static LongSupplier platformBusyClock() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads.isCurrentThreadCpuTimeSupported()) {
            if (!threads.isThreadCpuTimeEnabled()) {
                threads.setThreadCpuTimeEnabled(true);
            }
            return threads::getCurrentThreadCpuTime;
        }
        return () -> 0;
    }
}

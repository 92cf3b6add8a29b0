package io.shadowgate.proxy.mirror;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One log line per kind of event per interval, with the number suppressed since the last line, so a failing mirror
 * under load writes a handful of lines, not one per request.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final Map<String, long[]> state = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> suppressed = new ConcurrentHashMap<>();

    /** Logs to {@code log}, at most one line per kind every {@code interval}. */
    public RateLimitedLog(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /** Logs {@code message} unless a line of {@code kind} was logged within the interval (then counts it). */
    public void warn(String kind, String message) {
        String line = admit(kind, message);
        if (line != null) {
            log.warn(line);
        }
    }

    /** As {@link #warn}, at info level: for what a client did wrong, which is no fault of the gateway. */
    public void info(String kind, String message) {
        String line = admit(kind, message);
        if (line != null) {
            log.info(line);
        }
    }

    /** The line to log now, with the count suppressed since the last one, or {@code null} within the interval. */
    private String admit(String kind, String message) {
        long now = System.nanoTime();
        long[] last = state.computeIfAbsent(kind, k -> new long[] {now - intervalNanos - 1});
        AtomicLong count = suppressed.computeIfAbsent(kind, k -> new AtomicLong());
        synchronized (last) {
            if (now - last[0] < intervalNanos) {
                count.incrementAndGet();
                return null;
            }
            last[0] = now;
        }
        long n = count.getAndSet(0);
        return n == 0 ? message : message + " (" + n + " similar suppressed)";
    }
}

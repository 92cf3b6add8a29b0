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
final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final Map<String, long[]> state = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> suppressed = new ConcurrentHashMap<>();

    RateLimitedLog(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    void warn(String kind, String message) {
        long now = System.nanoTime();
        long[] last = state.computeIfAbsent(kind, k -> new long[] {now - intervalNanos - 1});
        AtomicLong count = suppressed.computeIfAbsent(kind, k -> new AtomicLong());
        synchronized (last) {
            if (now - last[0] < intervalNanos) {
                count.incrementAndGet();
                return;
            }
            last[0] = now;
        }
        long n = count.getAndSet(0);
        log.warn(n == 0 ? message : message + " (" + n + " similar suppressed)");
    }
}

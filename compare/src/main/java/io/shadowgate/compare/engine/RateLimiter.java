package io.shadowgate.compare.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lock-free rate limiter (generic cell rate algorithm): admits {@code permitsPerSecond} on average
 * with bursts of up to one second's worth. Time comes from the injected {@link Clock}, so tests can
 * drive it. Thread-safe; {@link #tryAcquire()} never blocks.
 */
final class RateLimiter {

    private final Clock clock;
    private final long intervalNanos;
    private final long burstNanos;
    /** Theoretical arrival time of the next permit, in epoch nanoseconds. */
    private final AtomicLong tat = new AtomicLong(Long.MIN_VALUE);

    RateLimiter(Clock clock, int permitsPerSecond) {
        if (permitsPerSecond < 1) {
            throw new IllegalArgumentException("permitsPerSecond must be >= 1, got " + permitsPerSecond);
        }
        this.clock = clock;
        this.intervalNanos = Math.max(1, 1_000_000_000L / permitsPerSecond);
        this.burstNanos = intervalNanos * permitsPerSecond;
    }

    boolean tryAcquire() {
        long now = nowNanos();
        while (true) {
            long current = tat.get();
            long base = Math.max(current, now);
            long next = base + intervalNanos;
            if (next - now > burstNanos) {
                return false;
            }
            if (tat.compareAndSet(current, next)) {
                return true;
            }
        }
    }

    private long nowNanos() {
        Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}

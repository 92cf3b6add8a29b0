package io.shadowgate.proxy.runtime;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The proxy's one injected source of randomness: the per-request 64-bit value (Envoy's {@code stream_id}) that
 * decides the weighted pick and every mirror, and the draws of faults, load balancers, retry jitter and noise samples.
 * Injected ({@code ProxyServer.start}) so tests can make splits, sampling and faults exact.
 */
@FunctionalInterface
public interface RandomSource {

    /** The production source: {@link ThreadLocalRandom}, no contention across event loops. */
    RandomSource THREAD_LOCAL = () -> ThreadLocalRandom.current().nextLong();

    /** A new random value. Called on event loops; must be thread-safe. */
    long nextLong();

    /** A value in {@code [0, bound)} from {@code source} (faults per million, retry jitter). */
    static long below(RandomSource source, long bound) {
        return Math.floorMod(source.nextLong(), bound);
    }

    /** A value in {@code [0, 100)} from {@code source} (percentages). */
    static double percent(RandomSource source) {
        return (source.nextLong() >>> 11) * 0x1.0p-53 * 100.0;
    }
}

package io.shadowgate.proxy.runtime;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The per-request 64-bit random value (Envoy's {@code stream_id}) that decides the weighted pick and every mirror.
 * Injected so tests can make splits and sampling exact.
 */
@FunctionalInterface
public interface RandomSource {

    /** The production source: {@link ThreadLocalRandom}, no contention across event loops. */
    RandomSource THREAD_LOCAL = () -> ThreadLocalRandom.current().nextLong();

    /** A new random value. Called on event loops; must be thread-safe. */
    long nextLong();
}

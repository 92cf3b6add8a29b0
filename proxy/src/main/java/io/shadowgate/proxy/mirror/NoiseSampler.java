package io.shadowgate.proxy.mirror;

import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.proxy.options.ProxyOptions;
import java.util.concurrent.ConcurrentHashMap;
import io.shadowgate.proxy.runtime.RandomSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Decides which mirrored requests also get a <em>noise sample</em>: a second copy to the primary's own version, whose
 * answer the comparison pairs with the user's (v1 against v1) to learn what differs between two answers of one
 * version. Thread-safe, lock-free; called on event loops, so it allocates nothing per request (one map lookup, a few
 * atomics).
 *
 * <ul>
 *   <li>Only methods safe to repeat ({@link MirrorOptions#SAFE_METHODS}) unless the route names others
 *       ({@code shadowgate.io/noise-sample-methods}).</li>
 *   <li>Every eligible request while the primary destination has had fewer than
 *       {@link ProxyOptions#capture()} samples, then {@link ProxyOptions#capture()}
 *       of them: much while little is known, little once it is.</li>
 *   <li>At most {@link ProxyOptions#capture()} (or the route's
 *       {@code shadowgate.io/noise-samples-per-second}) extra requests per second to each primary destination, bursts of
 *       one second's worth: the cap on the load samples add to v1. 0 forbids samples.</li>
 * </ul>
 * The mirror budgets (in-flight limit, buffer bytes, CPU budget) apply to samples as to any mirror; the caller checks
 * them.
 */
final class NoiseSampler {

    private static final long SECOND = 1_000_000_000L;

    private final ProxyOptions options;
    private final RandomSource random;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Destination> destinations = new ConcurrentHashMap<>();

    /**
     * @param options   the gateway-wide share, learning count and rate cap
     * @param nanoClock monotonic time in nanoseconds (the rate cap)
     */
    NoiseSampler(ProxyOptions options, LongSupplier nanoClock) {
        this(options, nanoClock, RandomSource.THREAD_LOCAL);
    }

    /** @param random draws the sample share (the proxy's injected source) */
    NoiseSampler(ProxyOptions options, LongSupplier nanoClock, RandomSource random) {
        this.options = options;
        this.nanoClock = nanoClock;
        this.random = random;
    }

    /** Samples sent to one primary destination, and its rate cap's state. */
    private static final class Destination {
        final AtomicLong sent = new AtomicLong();
        /** Chosen but over the rate cap: counted here, not per request through the observer (no allocation). */
        final java.util.concurrent.atomic.LongAdder rateLimited = new java.util.concurrent.atomic.LongAdder();
        /** Generic cell rate algorithm: the theoretical arrival time of the next sample. */
        final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    }

    /** The outcome of one decision. */
    enum Decision {
        /** Send a sample. */
        SAMPLE,
        /** Not this request (method, share, or samples off). */
        NO,
        /** Chosen, but the rate cap is reached (counted by the sampler, see {@link #rateLimited(String)}). */
        RATE_LIMITED
    }

    /**
     * Whether this request gets a noise sample to {@code cluster} (the primary's destination).
     *
     * @param cluster the primary destination's cluster name
     * @param method  the request's method
     * @param route   the route's mirror options (annotations)
     */
    Decision decide(String cluster, String method, MirrorOptions route) {
        double perSecond = route.noiseSamplesPerSecond() != null ? route.noiseSamplesPerSecond()
                : options.capture().noiseSamplesPerSecond();
        if (perSecond <= 0 || options.capture().noiseSamplePercent() <= 0 || !route.allowsNoiseSample(method)) {
            return Decision.NO;
        }
        Destination d = destinations.get(cluster);
        if (d == null) {
            d = destinations.computeIfAbsent(cluster, k -> new Destination());
        }
        if (d.sent.get() >= options.capture().noiseSampleLearning()
                && RandomSource.percent(random) >= options.capture().noiseSamplePercent()) {
            return Decision.NO;
        }
        if (!acquire(d, perSecond)) {
            d.rateLimited.increment();
            return Decision.RATE_LIMITED;
        }
        d.sent.incrementAndGet();
        return Decision.SAMPLE;
    }

    private boolean acquire(Destination d, double perSecond) {
        long interval = Math.max(1, (long) (SECOND / perSecond));
        long now = nanoClock.getAsLong();
        while (true) {
            long tat = d.nextAllowed.get();
            long start = tat == Long.MIN_VALUE || tat < now ? now : tat;
            if (start - now > Math.max(0, SECOND - interval)) {
                return false;
            }
            if (d.nextAllowed.compareAndSet(tat, start + interval)) {
                return true;
            }
        }
    }

    /** Samples chosen for {@code cluster} but not sent because of the rate cap. */
    long rateLimited(String cluster) {
        Destination d = destinations.get(cluster);
        return d == null ? 0 : d.rateLimited.sum();
    }

    /** Samples sent so far to {@code cluster}. */
    long sent(String cluster) {
        Destination d = destinations.get(cluster);
        return d == null ? 0 : d.sent.get();
    }
}

package io.shadowgate.proxy.server;

import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.mirror.MirrorDispatcher;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.runtime.SnapshotHolder;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.observe.RequestTracer;
import io.shadowgate.proxy.upstream.ClusterManager;
import io.shadowgate.proxy.upstream.ConnectionPool;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every client connection shares: options, the snapshot, clusters, the primary pool, the mirror dispatcher, the
 * observer and the random source. Thread-safe; built once by {@code ProxyServer}.
 */
public final class ProxyRuntime {

    private final ProxyOptions options;
    private final SnapshotHolder snapshots;
    private final ClusterManager clusters;
    private final ConnectionPool primaryPool;
    private final MirrorDispatcher mirrors;
    private final ProxyObserver observer;
    private final RandomSource random;
    private final RequestTracer tracer;
    private final Clock clock;
    private final AtomicInteger activeExchanges = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong retryBufferedBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean draining;

    public ProxyRuntime(ProxyOptions options, SnapshotHolder snapshots, ClusterManager clusters,
                        ConnectionPool primaryPool, MirrorDispatcher mirrors, ProxyObserver observer,
                        RandomSource random, RequestTracer tracer) {
        this(options, snapshots, clusters, primaryPool, mirrors, observer, random, tracer, Clock.systemUTC());
    }

    /**
     * @param random the random source of per-request decisions (weighted pick, mirror sampling) and of faults and
     *               retry jitter
     * @param clock  the wall clock of request timestamps (durations use the monotonic {@code System.nanoTime()})
     */
    public ProxyRuntime(ProxyOptions options, SnapshotHolder snapshots, ClusterManager clusters,
                        ConnectionPool primaryPool, MirrorDispatcher mirrors, ProxyObserver observer,
                        RandomSource random, RequestTracer tracer, Clock clock) {
        this.clock = clock;
        this.options = options;
        this.snapshots = snapshots;
        this.clusters = clusters;
        this.primaryPool = primaryPool;
        this.mirrors = mirrors;
        this.observer = observer;
        this.random = random;
        this.tracer = tracer;
    }

    public ProxyOptions options() {
        return options;
    }

    public SnapshotHolder snapshots() {
        return snapshots;
    }

    public ClusterManager clusters() {
        return clusters;
    }

    public ConnectionPool primaryPool() {
        return primaryPool;
    }

    public MirrorDispatcher mirrors() {
        return mirrors;
    }

    public ProxyObserver observer() {
        return observer;
    }

    public RequestTracer tracer() {
        return tracer;
    }

    public RandomSource random() {
        return random;
    }

    /** The wall clock of request timestamps. */
    public Clock clock() {
        return clock;
    }

    /** Requests in flight on all listeners. */
    public AtomicInteger activeExchanges() {
        return activeExchanges;
    }

    /** Request body bytes currently kept for retries by all requests (budget: {@code retryGlobalBufferBytes}). */
    public java.util.concurrent.atomic.AtomicLong retryBufferedBytes() {
        return retryBufferedBytes;
    }

    /** Whether the proxy is shutting down: responses close their connections. */
    public boolean draining() {
        return draining;
    }

    /** Starts draining. */
    public void startDraining() {
        draining = true;
    }
}

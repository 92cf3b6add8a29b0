package io.shadowgate.proxy.upstream;

import io.shadowgate.proxy.observe.ClusterView;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.config.snapshot.ClusterConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runtime state of one cluster: its resolved endpoints and load balancer (replaced together, atomically, when DNS
 * or config changes) and circuit-breaker counters. Thread-safe.
 */
public final class UpstreamCluster implements ClusterView {

    private final ClusterConfig config;
    private final RandomSource random;
    private volatile State state;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger pendingRequests = new AtomicInteger();
    private final AtomicInteger activeRetries = new AtomicInteger();
    private final ClusterStats stats = new ClusterStats();
    private volatile OutlierDetector outlierDetector;

    private record State(List<UpstreamEndpoint> endpoints, LoadBalancer balancer) {
    }

    public UpstreamCluster(ClusterConfig config, List<UpstreamEndpoint> endpoints) {
        this(config, endpoints, RandomSource.THREAD_LOCAL);
    }

    /** @param random draws for the load balancer's random picks */
    public UpstreamCluster(ClusterConfig config, List<UpstreamEndpoint> endpoints, RandomSource random) {
        this.config = config;
        this.random = random;
        setEndpoints(endpoints);
    }

    /** The compiled configuration. */
    @Override
    public ClusterConfig config() {
        return config;
    }

    /** The current endpoints. */
    public List<UpstreamEndpoint> endpoints() {
        return state.endpoints();
    }

    /** Replaces the endpoints (after DNS resolution) and rebuilds the balancer. */
    public void setEndpoints(List<UpstreamEndpoint> endpoints) {
        this.state = new State(List.copyOf(endpoints), LoadBalancer.forEndpoints(config.loadBalancer(), endpoints,
                random));
    }

    /**
     * Picks an endpoint; {@code null} when none is healthy (Envoy's {@code UH}). Ejected endpoints are skipped unless
     * outlier detection is in panic ({@code minHealthPercent}).
     */
    public UpstreamEndpoint choose(long hash, boolean hasHash, UpstreamEndpoint exclude) {
        State s = state;
        long now = System.nanoTime();
        OutlierDetector detector = outlierDetector;
        if (detector != null && detector.panic(s.endpoints(), now)) {
            now = LoadBalancer.IGNORE_EJECTIONS;
        }
        return s.balancer().choose(hash, hasHash, now, exclude);
    }

    @Override
    public int connectionCount() {
        return connections.get();
    }

    @Override
    public int activeRequestCount() {
        return activeRequests.get();
    }

    @Override
    public int pendingRequestCount() {
        return pendingRequests.get();
    }

    @Override
    public List<UpstreamEndpoint> endpointViews() {
        return state.endpoints();
    }

    /** Open upstream connections of this cluster, all event loops together. */
    public AtomicInteger connections() {
        return connections;
    }

    /** Requests in flight to this cluster. */
    public AtomicInteger activeRequests() {
        return activeRequests;
    }

    /** Requests waiting for a connection. */
    public AtomicInteger pendingRequests() {
        return pendingRequests;
    }

    /** Retries in progress (the {@code maxRetries} circuit breaker). */
    public AtomicInteger activeRetries() {
        return activeRetries;
    }

    /** Retry, circuit-breaker and outlier counters. */
    public ClusterStats stats() {
        return stats;
    }

    /** The cluster's outlier detector, or {@code null} when it has no {@code outlierDetection}. */
    public OutlierDetector outlierDetector() {
        return outlierDetector;
    }

    void outlierDetector(OutlierDetector detector) {
        this.outlierDetector = detector;
    }
}

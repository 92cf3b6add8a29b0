package io.shadowgate.proxy.upstream;

import io.shadowgate.config.snapshot.ClusterConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runtime state of one cluster: its resolved endpoints and load balancer (replaced together, atomically, when DNS
 * or config changes) and circuit-breaker counters. Thread-safe.
 */
public final class UpstreamCluster {

    private final ClusterConfig config;
    private volatile State state;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger pendingRequests = new AtomicInteger();

    private record State(List<UpstreamEndpoint> endpoints, LoadBalancer balancer) {
    }

    public UpstreamCluster(ClusterConfig config, List<UpstreamEndpoint> endpoints) {
        this.config = config;
        setEndpoints(endpoints);
    }

    /** The compiled configuration. */
    public ClusterConfig config() {
        return config;
    }

    /** The current endpoints. */
    public List<UpstreamEndpoint> endpoints() {
        return state.endpoints();
    }

    /** Replaces the endpoints (after DNS resolution) and rebuilds the balancer. */
    public void setEndpoints(List<UpstreamEndpoint> endpoints) {
        this.state = new State(List.copyOf(endpoints), LoadBalancer.forEndpoints(config.loadBalancer(), endpoints));
    }

    /** Picks an endpoint; {@code null} when none is healthy (Envoy's {@code UH}). */
    public UpstreamEndpoint choose(long hash, boolean hasHash, UpstreamEndpoint exclude) {
        return state.balancer().choose(hash, hasHash, System.nanoTime(), exclude);
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
}

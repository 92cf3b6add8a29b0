package io.shadowgate.proxy.upstream;

import io.shadowgate.proxy.observe.EndpointView;
import io.shadowgate.config.snapshot.EndpointConfig;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resolved upstream endpoint and its shared runtime state: active requests (for least-request balancing and
 * {@code /clusters}) and outlier-detection state. Thread-safe.
 */
public final class UpstreamEndpoint implements EndpointView {

    private final InetSocketAddress address;
    private final String hostPort;
    private final EndpointConfig config;
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger consecutive5xx = new AtomicInteger();
    private final AtomicInteger consecutiveGatewayErrors = new AtomicInteger();
    private volatile long ejectedUntilNanos;
    private volatile int ejections;

    public UpstreamEndpoint(InetSocketAddress address, EndpointConfig config) {
        this.address = address;
        this.config = config;
        this.hostPort = address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** The socket address to connect to. */
    public InetSocketAddress address() {
        return address;
    }

    /** {@code ip:port}, for logs and the {@code upstream_host} field. */
    @Override
    public String hostPort() {
        return hostPort;
    }

    /** Labels from the ServiceEntry or WorkloadEntry. */
    @Override
    public Map<String, String> labels() {
        return config.labels();
    }

    /** The configured endpoint this was resolved from. */
    @Override
    public EndpointConfig config() {
        return config;
    }

    /** Load-balancing weight. */
    @Override
    public int weight() {
        return Math.max(1, config.weight());
    }

    /** Requests in flight to this endpoint. */
    @Override
    public int activeRequests() {
        return activeRequests.get();
    }

    /** A request to this endpoint started. */
    public void requestStarted() {
        activeRequests.incrementAndGet();
    }

    /** A request to this endpoint ended. */
    public void requestEnded() {
        activeRequests.decrementAndGet();
    }

    /** Whether outlier detection currently ejects this endpoint. */
    @Override
    public boolean ejected(long nowNanos) {
        long until = ejectedUntilNanos;
        return until != 0 && nowNanos - until < 0;
    }

    /** Ejects until {@code untilNanos} (System.nanoTime based). */
    public void eject(long untilNanos) {
        ejections++;
        ejectedUntilNanos = untilNanos;
    }

    /** Whether an ejection is recorded whose time is over (outlier detection's sweep then ends it). */
    public boolean ejectionPending(long nowNanos) {
        long until = ejectedUntilNanos;
        return until != 0 && nowNanos - until >= 0;
    }

    /** Ends an ejection. */
    public void uneject() {
        ejectedUntilNanos = 0;
    }

    /** How many times this endpoint was ejected. */
    @Override
    public int ejections() {
        return ejections;
    }

    /** Consecutive 5xx counter for outlier detection. */
    public AtomicInteger consecutive5xx() {
        return consecutive5xx;
    }

    /** Consecutive gateway-error (502/503/504, connect failure) counter for outlier detection. */
    public AtomicInteger consecutiveGatewayErrors() {
        return consecutiveGatewayErrors;
    }

    @Override
    public String toString() {
        return hostPort;
    }
}

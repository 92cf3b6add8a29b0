package io.shadowgate.proxy.hardening;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.config.snapshot.EndpointConfig;
import io.shadowgate.config.snapshot.FaultConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.LoadBalancerConfig;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.config.snapshot.MirrorPolicy;
import io.shadowgate.config.snapshot.OutlierConfig;
import io.shadowgate.config.snapshot.RequestMatcher;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteOrigin;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import io.shadowgate.config.snapshot.WeightedDestination;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.observe.RequestLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hand-built snapshots for the hardening tests (an extended copy of {@code io.shadowgate.proxy.Snapshots}): clusters
 * with connection-pool and outlier settings, routes with retries, faults and timeouts. Nothing here depends on the
 * YAML compiler, so these tests exercise the data path alone.
 */
final class Fixtures {

    static final String HOST = "app.default.svc.cluster.local";

    private Fixtures() {
    }

    /** A cluster of {@code 127.0.0.1} endpoints on {@code ports}. */
    static ClusterConfig cluster(String subset, ConnectionPoolConfig pool, OutlierConfig outlier,
                                 LoadBalancerConfig lb, int... ports) {
        List<EndpointConfig> eps = new ArrayList<>();
        for (int p : ports) {
            eps.add(new EndpointConfig("127.0.0.1", p, Map.of("version", subset == null ? "v1" : subset), 1, null,
                    "test"));
        }
        return new ClusterConfig(ClusterConfig.nameOf(HOST, 80, subset), HOST, "default", 80, "http", "HTTP", subset,
                "STATIC", eps, lb, pool, outlier);
    }

    static ClusterConfig cluster(String subset, int... ports) {
        return cluster(subset, ConnectionPoolConfig.DEFAULT, null, LoadBalancerConfig.DEFAULT, ports);
    }

    static ConnectionPoolConfig pool(int maxConnections, int maxPending, int maxRequests, int maxRetries) {
        return new ConnectionPoolConfig(maxConnections, Duration.ofSeconds(2), maxPending, maxRequests, 0, maxRetries,
                Duration.ofHours(1));
    }

    static ConnectionPoolConfig pool(int maxConnections, Duration connectTimeout, int maxPending, int maxRequests,
                                     int maxRequestsPerConnection, int maxRetries, Duration idleTimeout) {
        return new ConnectionPoolConfig(maxConnections, connectTimeout, maxPending, maxRequests,
                maxRequestsPerConnection, maxRetries, idleTimeout);
    }

    /** Round robin: deterministic endpoint order for retry and outlier tests. */
    static final LoadBalancerConfig RR = new LoadBalancerConfig("ROUND_ROBIN", null);

    /** The runtime endpoint of {@code cluster} on {@code port}. */
    static io.shadowgate.proxy.upstream.UpstreamEndpoint endpoint(ProxyServer proxy, ClusterConfig cluster, int port) {
        return proxy.clusters().get(cluster.name()).endpoints().stream()
                .filter(e -> e.address().getPort() == port).findFirst().orElseThrow();
    }

    /** The runtime cluster. */
    static io.shadowgate.proxy.upstream.UpstreamCluster runtime(ProxyServer proxy, ClusterConfig cluster) {
        return proxy.clusters().get(cluster.name());
    }

    static WeightedDestination dest(ClusterConfig c) {
        return new WeightedDestination(c.name(), c.host(), c.subset(), c.port(), 100, HeaderOps.NONE,
                HeaderOps.NONE, null);
    }

    static MirrorPolicy mirror(ClusterConfig c) {
        return new MirrorPolicy(c.name(), c.host(), c.subset(), c.port(), 1_000_000, 1_000_000);
    }

    static RetryConfig retries(int attempts, String... retryOn) {
        return new RetryConfig(attempts, Duration.ZERO, Set.of(retryOn), Set.of(), false, true, Duration.ofMillis(1));
    }

    static RetryConfig retries(int attempts, Duration perTry, Set<Integer> codes, String... retryOn) {
        return new RetryConfig(attempts, perTry, Set.of(retryOn), codes, false, true, Duration.ofMillis(1));
    }

    static ForwardAction forward(ClusterConfig primary, Duration timeout, RetryConfig retries, FaultConfig fault,
                                 ClusterConfig... mirrors) {
        List<MirrorPolicy> ms = new ArrayList<>();
        for (ClusterConfig m : mirrors) {
            ms.add(mirror(m));
        }
        return new ForwardAction(List.of(dest(primary)), 1, null, timeout, retries, fault, ms,
                MirrorOptions.DEFAULTS, false);
    }

    static ForwardAction forward(ClusterConfig primary) {
        return forward(primary, Duration.ZERO, RetryConfig.NONE, null);
    }

    static RoutingSnapshot snapshot(ForwardAction action, ClusterConfig... clusters) {
        RouteConfig route = new RouteConfig("r0", new RouteOrigin("default", "vs", 0, -1, null, null, 0),
                RequestMatcher.ANY, action, null);
        RouteTable table = new RouteTable(List.of(new VirtualHostConfig("*:0", List.of("*"), List.of(route))));
        Map<String, ClusterConfig> map = new HashMap<>();
        for (ClusterConfig c : clusters) {
            map.put(c.name(), c);
        }
        return new RoutingSnapshot("sha256:hardening", Instant.now(), List.of("test"),
                List.of(new ListenerConfig("127.0.0.1_0", "127.0.0.1", 0, List.of(), table)), map, List.of());
    }

    /** Options for tests: two event loops, short but not flaky timeouts. */
    static ProxyOptions.Builder options() {
        return ProxyOptions.builder().ioThreads(2).drainTimeout(Duration.ofMillis(200));
    }

    static ProxyServer start(RoutingSnapshot snapshot, ProxyOptions options, ProxyObserver observer) {
        return ProxyServer.start(snapshot, options, observer, RandomSource.THREAD_LOCAL);
    }

    /** Records primary request logs. */
    static final class Logs implements ProxyObserver {
        final List<RequestLog> requests = new CopyOnWriteArrayList<>();
        final List<RequestLog> mirrors = new CopyOnWriteArrayList<>();

        @Override
        public void onRequest(RequestLog log) {
            requests.add(log);
        }

        @Override
        public void onMirror(RequestLog log) {
            mirrors.add(log);
        }

        /** Waits (bounded) for {@code n} primary logs and returns them. */
        List<RequestLog> await(int n) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (requests.size() < n && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return List.copyOf(requests);
        }

        /** The log of the request to {@code path}, waiting (bounded) for it (logs of different loops interleave). */
        RequestLog forPath(String path) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                for (RequestLog l : requests) {
                    if (l.path().equals(path)) {
                        return l;
                    }
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw new AssertionError("no request log for " + path + " in " + requests);
        }

        /** The {@code n}-th primary log (1-based), waiting (bounded) for it. */
        RequestLog nth(int n) {
            List<RequestLog> logs = await(n);
            if (logs.size() < n) {
                throw new AssertionError("expected " + n + " request logs, got " + logs);
            }
            return logs.get(n - 1);
        }

        RequestLog last() {
            await(1);
            return requests.get(requests.size() - 1);
        }
    }
}

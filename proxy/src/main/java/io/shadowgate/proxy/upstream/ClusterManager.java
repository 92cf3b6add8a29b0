package io.shadowgate.proxy.upstream;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.EndpointConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.runtime.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an {@link UpstreamCluster} for every cluster of the current snapshot. On a snapshot change, clusters whose
 * config is unchanged keep their runtime state (endpoint health, counters); endpoint state is also kept across
 * changes by cluster name and address (each cluster has its own endpoint objects, as each Envoy cluster has its own
 * hosts: outlier state and active-request counts are per cluster). DNS clusters are resolved on an event loop with
 * Netty's non-blocking resolver and re-resolved every {@code dnsRefresh}.
 *
 * <p>A cluster with {@code outlierDetection} gets an {@link OutlierDetector} whose sweep runs on the same event loop
 * every {@code interval}; it is replaced with its cluster and stopped when the cluster goes away.
 */
public final class ClusterManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterManager.class);

    private final EventLoop dnsLoop;
    private final DnsNameResolver resolver;
    private final Duration dnsRefresh;
    private final RandomSource random;
    private volatile Map<String, UpstreamCluster> clusters = Map.of();
    private final Map<String, UpstreamEndpoint> endpointsByKey = new ConcurrentHashMap<>();
    private final Map<String, OutlierDetector> detectors = new ConcurrentHashMap<>();
    private ScheduledFuture<?> refreshTask;

    public ClusterManager(EventLoopGroup group, Transport transport, Duration dnsRefresh) {
        this(group, transport, dnsRefresh, RandomSource.THREAD_LOCAL);
    }

    /** @param random draws for the load balancers' random picks (the proxy's injected source) */
    public ClusterManager(EventLoopGroup group, Transport transport, Duration dnsRefresh, RandomSource random) {
        this.random = random;
        this.dnsLoop = group.next();
        this.dnsRefresh = dnsRefresh;
        this.resolver = new DnsNameResolverBuilder(dnsLoop)
                .datagramChannelType(transport.datagramChannel())
                .build();
        this.refreshTask = dnsLoop.scheduleWithFixedDelay(this::refreshDns, dnsRefresh.toMillis(),
                dnsRefresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The runtime cluster named {@code name}, or {@code null}. */
    public UpstreamCluster get(String name) {
        return clusters.get(name);
    }

    /** All runtime clusters, for {@code /clusters}. */
    public Map<String, UpstreamCluster> all() {
        return clusters;
    }

    /**
     * Makes the runtime clusters follow {@code snapshot}. Static endpoints are ready when this returns; DNS ones are
     * resolved asynchronously (their clusters have no endpoints until then).
     */
    public void update(RoutingSnapshot snapshot) {
        Map<String, UpstreamCluster> old = clusters;
        Map<String, UpstreamCluster> next = new HashMap<>();
        for (ClusterConfig cfg : snapshot.clusters().values()) {
            UpstreamCluster existing = old.get(cfg.name());
            if (existing != null && existing.config().equals(cfg)) {
                next.put(cfg.name(), existing);
                continue;
            }
            UpstreamCluster cluster = new UpstreamCluster(cfg, staticEndpoints(cfg), random);
            next.put(cfg.name(), cluster);
        }
        clusters = Map.copyOf(next);
        updateDetectors(next);
        dnsLoop.execute(this::refreshDns);
    }

    /** One outlier detector per cluster with {@code outlierDetection}, following cluster replacement and removal. */
    private synchronized void updateDetectors(Map<String, UpstreamCluster> next) {
        for (var it = detectors.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            UpstreamCluster c = next.get(e.getKey());
            if (c != e.getValue().cluster() || c.config().outlier() == null) {
                e.getValue().close();
                it.remove();
            }
        }
        for (UpstreamCluster c : next.values()) {
            if (c.config().outlier() != null && !detectors.containsKey(c.config().name())) {
                OutlierDetector d = new OutlierDetector(c, c.config().outlier());
                c.outlierDetector(d);
                d.start(dnsLoop);
                detectors.put(c.config().name(), d);
            }
        }
    }

    private List<UpstreamEndpoint> staticEndpoints(ClusterConfig cfg) {
        List<UpstreamEndpoint> list = new ArrayList<>();
        for (EndpointConfig ep : cfg.endpoints()) {
            InetAddress ip = ipLiteral(ep.address());
            if (ip != null) {
                list.add(endpoint(cfg.name(), new InetSocketAddress(ip, ep.port()), ep));
            }
        }
        return list;
    }

    private UpstreamEndpoint endpoint(String cluster, InetSocketAddress address, EndpointConfig cfg) {
        String key = cluster + "|" + address + "|" + cfg;
        return endpointsByKey.computeIfAbsent(key, k -> new UpstreamEndpoint(address, cfg));
    }

    private void refreshDns() {
        for (UpstreamCluster cluster : clusters.values()) {
            ClusterConfig cfg = cluster.config();
            List<EndpointConfig> named = new ArrayList<>();
            for (EndpointConfig ep : cfg.endpoints()) {
                if (ipLiteral(ep.address()) == null) {
                    named.add(ep);
                }
            }
            if (named.isEmpty()) {
                continue;
            }
            resolveAll(cluster, named);
        }
    }

    private void resolveAll(UpstreamCluster cluster, List<EndpointConfig> named) {
        List<UpstreamEndpoint> resolved = new ArrayList<>(staticEndpoints(cluster.config()));
        int[] remaining = {named.size()};
        for (EndpointConfig ep : named) {
            resolver.resolveAll(ep.address()).addListener(f -> {
                if (f.isSuccess()) {
                    @SuppressWarnings("unchecked")
                    List<InetAddress> addresses = (List<InetAddress>) f.getNow();
                    for (InetAddress a : addresses) {
                        resolved.add(endpoint(cluster.config().name(), new InetSocketAddress(a, ep.port()), ep));
                    }
                } else {
                    log.warn("DNS resolution of {} for cluster {} failed: {}", ep.address(), cluster.config().name(),
                            f.cause().toString());
                }
                if (--remaining[0] == 0 && clusters.get(cluster.config().name()) == cluster) {
                    List<UpstreamEndpoint> current = cluster.endpoints();
                    if (!current.equals(resolved)) {
                        cluster.setEndpoints(resolved);
                        log.info("cluster {} now has {} endpoint(s) from DNS", cluster.config().name(),
                                resolved.size());
                    }
                }
            });
        }
    }

    /** The address if {@code s} is an IPv4/IPv6 literal, else {@code null}; never does a DNS lookup. */
    static InetAddress ipLiteral(String s) {
        String host = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v4 = host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        boolean v6 = host.indexOf(':') >= 0;
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (refreshTask != null) {
            refreshTask.cancel(false);
        }
        synchronized (this) {
            detectors.values().forEach(OutlierDetector::close);
            detectors.clear();
        }
        resolver.close();
    }
}

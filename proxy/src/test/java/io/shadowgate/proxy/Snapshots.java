package io.shadowgate.proxy;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.config.snapshot.EndpointConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.LoadBalancerConfig;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.config.snapshot.MirrorPolicy;
import io.shadowgate.config.snapshot.RequestMatcher;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteOrigin;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import io.shadowgate.config.snapshot.WeightedDestination;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Hand-built snapshots for data-path tests that must not depend on the YAML compiler. */
final class Snapshots {

    private Snapshots() {
    }

    static ClusterConfig cluster(String host, String subset, int... ports) {
        List<EndpointConfig> eps = new java.util.ArrayList<>();
        for (int p : ports) {
            eps.add(new EndpointConfig("127.0.0.1", p, Map.of("version", subset == null ? "v1" : subset), 1, null,
                    "test"));
        }
        return new ClusterConfig(ClusterConfig.nameOf(host, 80, subset), host, "default", 80, "http", "HTTP", subset,
                "STATIC", eps, LoadBalancerConfig.DEFAULT, ConnectionPoolConfig.DEFAULT, null);
    }

    static WeightedDestination dest(ClusterConfig c, int weight) {
        return new WeightedDestination(c.name(), c.host(), c.subset(), c.port(), weight, HeaderOps.NONE,
                HeaderOps.NONE, null);
    }

    static MirrorPolicy mirror(ClusterConfig c, int perMillion) {
        return new MirrorPolicy(c.name(), c.host(), c.subset(), c.port(), perMillion, 1_000_000);
    }

    static ForwardAction forward(List<WeightedDestination> dests, List<MirrorPolicy> mirrors, Duration timeout,
                                 MirrorOptions options) {
        int total = dests.stream().mapToInt(WeightedDestination::weight).sum();
        return new ForwardAction(dests, Math.max(1, total), null, timeout, RetryConfig.ISTIO_DEFAULT, null, mirrors,
                options, null);
    }

    static RoutingSnapshot snapshot(ForwardAction action, ClusterConfig... clusters) {
        RouteConfig route = new RouteConfig("r0", new RouteOrigin("default", "vs", 0, -1, null, null, 0),
                RequestMatcher.ANY, action, null);
        RouteTable table = new RouteTable(List.of(new VirtualHostConfig("*:0", List.of("*"), List.of(route))));
        Map<String, ClusterConfig> map = new HashMap<>();
        for (ClusterConfig c : clusters) {
            map.put(c.name(), c);
        }
        return new RoutingSnapshot("sha256:test", Instant.now(), List.of("test"),
                List.of(new ListenerConfig("127.0.0.1_0", "127.0.0.1", 0, List.of(), table)), map, List.of());
    }
}

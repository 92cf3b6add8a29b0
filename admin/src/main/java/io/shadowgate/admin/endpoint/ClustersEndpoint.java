package io.shadowgate.admin.endpoint;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.observe.ClusterView;
import io.shadowgate.proxy.observe.EndpointView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code GET /clusters}: runtime state of every upstream cluster, as Envoy's {@code /clusters} prints it
 * ({@code cluster::host:port::stat::value} lines), or JSON with {@code ?format=json}.
 *
 * <p>Per cluster: circuit-breaker thresholds, open connections ({@code cx_active}), requests in flight
 * ({@code rq_active}) and mirrored requests in flight ({@code mirror_rq_active}). Per endpoint: requests in flight,
 * health ({@code healthy}, or {@code /failed_outlier_check} while ejected), ejections so far, weight, locality and
 * labels.
 */
public final class ClustersEndpoint implements AdminEndpoint {

    private final ProxyServer proxy;

    public ClustersEndpoint(ProxyServer proxy) {
        this.proxy = proxy;
    }

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "upstream clusters and endpoints: health, ejections, active requests (?format=json)";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        Map<String, ClusterView> clusters = proxy.clusterViews();
        long now = System.nanoTime();
        if (request.wantsJson()) {
            List<Object> statuses = new ArrayList<>();
            for (var e : clusters.entrySet()) {
                statuses.add(json(e.getKey(), e.getValue(), now));
            }
            return AdminResponse.json(200, Map.of("cluster_statuses", statuses));
        }
        StringBuilder sb = new StringBuilder();
        for (var e : clusters.entrySet()) {
            text(sb, e.getKey(), e.getValue(), now);
        }
        return AdminResponse.text(200, sb.toString());
    }

    private void text(StringBuilder sb, String name, ClusterView c, long now) {
        ClusterConfig cfg = c.config();
        ConnectionPoolConfig cp = cfg.connectionPool() == null ? ConnectionPoolConfig.DEFAULT : cfg.connectionPool();
        line(sb, name, "observability_name", name);
        line(sb, name, "default_priority::max_connections", limit(cp.maxConnections()));
        line(sb, name, "default_priority::max_pending_requests", limit(cp.maxPendingRequests()));
        line(sb, name, "default_priority::max_requests", limit(cp.maxRequests()));
        line(sb, name, "default_priority::max_retries", limit(cp.maxRetries()));
        line(sb, name, "added_via_api", "true");
        line(sb, name, "cx_active", c.connectionCount());
        line(sb, name, "rq_active", c.activeRequestCount());
        line(sb, name, "rq_pending_active", c.pendingRequestCount());
        line(sb, name, "mirror_rq_active", proxy.mirrors().inFlight(name));
        for (EndpointView ep : c.endpointViews()) {
            String p = name + "::" + ep.hostPort();
            line(sb, p, "hostname", ep.config().address());
            line(sb, p, "rq_active", ep.activeRequests());
            line(sb, p, "health_flags", ep.ejected(now) ? "/failed_outlier_check" : "healthy");
            line(sb, p, "ejections", ep.ejections());
            line(sb, p, "weight", ep.weight());
            String[] loc = locality(ep.config().locality());
            line(sb, p, "region", loc[0]);
            line(sb, p, "zone", loc[1]);
            line(sb, p, "sub_zone", loc[2]);
            line(sb, p, "labels", new TreeMap<>(ep.labels()).entrySet().stream()
                    .map(x -> x.getKey() + "=" + x.getValue()).collect(Collectors.joining(",")));
        }
    }

    private Map<String, Object> json(String name, ClusterView c, long now) {
        ClusterConfig cfg = c.config();
        ConnectionPoolConfig cp = cfg.connectionPool() == null ? ConnectionPoolConfig.DEFAULT : cfg.connectionPool();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("host", cfg.host());
        m.put("port", cfg.port());
        m.put("subset", cfg.subset());
        m.put("resolution", cfg.resolution());
        Map<String, Object> cb = new LinkedHashMap<>();
        cb.put("max_connections", limit(cp.maxConnections()));
        cb.put("max_pending_requests", limit(cp.maxPendingRequests()));
        cb.put("max_requests", limit(cp.maxRequests()));
        cb.put("max_retries", limit(cp.maxRetries()));
        m.put("circuit_breakers", cb);
        m.put("outlier_detection", cfg.outlier() != null);
        m.put("connections_active", c.connectionCount());
        m.put("requests_active", c.activeRequestCount());
        m.put("requests_pending", c.pendingRequestCount());
        m.put("mirror_requests_active", proxy.mirrors().inFlight(name));
        List<Object> hosts = new ArrayList<>();
        for (EndpointView ep : c.endpointViews()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("address", ep.hostPort());
            h.put("hostname", ep.config().address());
            h.put("labels", new TreeMap<>(ep.labels()));
            h.put("locality", ep.config().locality());
            h.put("weight", ep.weight());
            h.put("requests_active", ep.activeRequests());
            boolean ejected = ep.ejected(now);
            h.put("health", ejected ? "ejected" : "healthy");
            h.put("ejections", ep.ejections());
            h.put("source", ep.config().source());
            hosts.add(h);
        }
        m.put("host_statuses", hosts);
        return m;
    }

    private static void line(StringBuilder sb, String prefix, String stat, Object value) {
        sb.append(prefix).append("::").append(stat).append("::").append(value == null ? "" : value).append('\n');
    }

    private static long limit(int v) {
        return v == Integer.MAX_VALUE ? 4294967295L : v;
    }

    private static String[] locality(String l) {
        String[] out = {"", "", ""};
        if (l != null && !l.isEmpty()) {
            String[] parts = l.split("/", 3);
            System.arraycopy(parts, 0, out, 0, parts.length);
        }
        return out;
    }
}

package io.shadowgate.proxy.mirror;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.config.snapshot.EndpointConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.HeaderValue;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.LoadBalancerConfig;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.config.snapshot.MirrorPolicy;
import io.shadowgate.config.snapshot.RequestMatcher;
import io.shadowgate.config.snapshot.RequestView;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.config.snapshot.RewriteConfig;
import io.shadowgate.config.snapshot.RouteAction;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteOrigin;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import io.shadowgate.config.snapshot.WeightedDestination;
import io.shadowgate.proxy.options.ProxyOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-built snapshots for the mirror tests (a richer copy of {@code io.shadowgate.proxy.Snapshots}: several
 * routes, several mirrors, rewrites, header operations, mirror options, route timeouts), plus raw request helpers.
 * Nothing here depends on the YAML compiler.
 */
final class MirrorFixtures {

    /** The service every test routes to; v1 is the primary subset, v2 (and more) the mirrors. */
    static final String HOST = "app.default.svc.cluster.local";

    private MirrorFixtures() {
    }

    /**
     * Proxy options every test starts from: two event loops, a short drain so a failing test still ends quickly, and
     * no CPU budget (tested on its own in {@link MirrorCpuBudgetTest}: a loaded machine must not drop these mirrors).
     */
    static ProxyOptions.Builder options() {
        return ProxyOptions.builder().ioThreads(2).drainTimeout(Duration.ofSeconds(2)).mirrorCpuBudget(1);
    }

    static ClusterConfig cluster(String subset, int... ports) {
        List<EndpointConfig> eps = new ArrayList<>();
        for (int p : ports) {
            eps.add(new EndpointConfig("127.0.0.1", p, Map.of("version", subset), 1, null, "test"));
        }
        return new ClusterConfig(ClusterConfig.nameOf(HOST, 80, subset), HOST, "default", 80, "http", "HTTP", subset,
                "STATIC", eps, LoadBalancerConfig.DEFAULT, ConnectionPoolConfig.DEFAULT, null);
    }

    static WeightedDestination dest(ClusterConfig c) {
        return dest(c, HeaderOps.NONE);
    }

    static WeightedDestination dest(ClusterConfig c, HeaderOps requestHeaders) {
        return new WeightedDestination(c.name(), c.host(), c.subset(), c.port(), 100, requestHeaders, HeaderOps.NONE,
                null);
    }

    /** A mirror policy {@code numerator/denominator} (100 or 1,000,000), as Istio emits it. */
    static MirrorPolicy mirror(ClusterConfig c, int numerator, int denominator) {
        return new MirrorPolicy(c.name(), c.host(), c.subset(), c.port(), numerator, denominator);
    }

    /** Istio's default for an absent percentage: 100/HUNDRED. */
    static MirrorPolicy mirrorAll(ClusterConfig c) {
        return mirror(c, 100, 100);
    }

    /** A mirror to a cluster that is not in the snapshot (host or subset missing). */
    static MirrorPolicy mirrorToUnknown(String subset) {
        return new MirrorPolicy(ClusterConfig.nameOf(HOST, 80, subset), HOST, subset, 80, 100, 100);
    }

    static ForwardAction forward(WeightedDestination primary, List<MirrorPolicy> mirrors) {
        return forward(primary, mirrors, null, Duration.ZERO, MirrorOptions.DEFAULTS);
    }

    static ForwardAction forward(WeightedDestination primary, List<MirrorPolicy> mirrors, MirrorOptions options) {
        return forward(primary, mirrors, null, Duration.ZERO, options);
    }

    /** No retries: a hostile-mirror test must see exactly one attempt of everything. */
    static ForwardAction forward(WeightedDestination primary, List<MirrorPolicy> mirrors, RewriteConfig rewrite,
                                 Duration timeout, MirrorOptions options) {
        return new ForwardAction(List.of(primary), 1, rewrite, timeout, RetryConfig.NONE, null, mirrors, options,
                null);
    }

    /** {@code action} with a fault injection. */
    static ForwardAction withFault(ForwardAction a, io.shadowgate.config.snapshot.FaultConfig fault) {
        return new ForwardAction(a.destinations(), a.totalWeight(), a.rewrite(), a.timeout(), a.retries(), fault,
                a.mirrors(), a.mirrorOptions(), a.compare());
    }

    /** {@code rewrite.uri} replacing {@code matchedPrefix}. */
    static RewriteConfig prefixRewrite(String matchedPrefix, String replacement) {
        return new RewriteConfig(replacement, matchedPrefix, null, null, null);
    }

    static MirrorOptions mirrorOptions(Set<String> methods, Set<String> strip, HeaderOps copy,
                                       MirrorOptions.SampleKey key, Boolean shadowSuffix) {
        return new MirrorOptions(methods, strip, copy, key, shadowSuffix, null, null, null, null, null);
    }

    /** One header stage: removes, then sets (name, literal value pairs). */
    static HeaderOps ops(List<String> remove, String... setPairs) {
        List<HeaderOps.Entry> set = new ArrayList<>();
        for (int i = 0; i < setPairs.length; i += 2) {
            set.add(new HeaderOps.Entry(setPairs[i], HeaderValue.literal(setPairs[i + 1])));
        }
        return new HeaderOps(List.of(new HeaderOps.Stage(remove, set, List.of())));
    }

    /** Matches paths starting with {@code prefix}. */
    static RequestMatcher pathPrefix(String prefix) {
        return new RequestMatcher() {
            @Override
            public boolean matches(RequestView request) {
                return request.path().startsWith(prefix);
            }

            @Override
            public String describe() {
                return "uri prefix \"" + prefix + "\"";
            }
        };
    }

    static RouteConfig route(String name, RequestMatcher matcher, RouteAction action) {
        return new RouteConfig(name, new RouteOrigin("default", "vs", 0, -1, null, null, 0), matcher, action, null);
    }

    /** One catch-all route. */
    static RoutingSnapshot snapshot(RouteAction action, ClusterConfig... clusters) {
        return snapshot(List.of(route("r0", RequestMatcher.ANY, action)), clusters);
    }

    /** Routes in first-match order on one listener (port 0) for every host. */
    static RoutingSnapshot snapshot(List<RouteConfig> routes, ClusterConfig... clusters) {
        RouteTable table = new RouteTable(List.of(new VirtualHostConfig("*:0", List.of("*"), routes)));
        Map<String, ClusterConfig> map = new HashMap<>();
        for (ClusterConfig c : clusters) {
            map.put(c.name(), c);
        }
        return new RoutingSnapshot("sha256:mirror-test", Instant.now(), List.of("test"),
                List.of(new ListenerConfig("127.0.0.1_0", "127.0.0.1", 0, List.of(), table)), map, List.of());
    }

    // ------------------------------------------------------------------ raw requests

    /** A bodyless GET with the given extra header lines ({@code "name: value"}). */
    static String get(String path, String... headerLines) {
        return head("GET", path, headerLines) + "\r\n";
    }

    /** Request head (request line and headers, without the terminating empty line). */
    static String head(String method, String path, String... headerLines) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: app.example.com\r\n");
        for (String h : headerLines) {
            sb.append(h).append("\r\n");
        }
        return sb.toString();
    }

    /** A whole request with a Content-Length body. */
    static byte[] withBody(String method, String path, byte[] body, String... headerLines) {
        String h = head(method, path, headerLines) + "Content-Length: " + body.length + "\r\n\r\n";
        return concat(h.getBytes(StandardCharsets.ISO_8859_1), body);
    }

    /** A whole request with a chunked body cut into {@code chunk}-byte pieces. */
    static byte[] chunked(String method, String path, byte[] body, int chunk, String... headerLines) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length + 1024);
        byte[] h = (head(method, path, headerLines) + "Transfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(h);
        for (int off = 0; off < body.length; off += chunk) {
            int n = Math.min(chunk, body.length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package io.shadowgate.admin.endpoint;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.config.snapshot.CorsConfig;
import io.shadowgate.config.snapshot.DirectResponseAction;
import io.shadowgate.config.snapshot.EndpointConfig;
import io.shadowgate.config.snapshot.FaultConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.LoadBalancerConfig;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.config.snapshot.MirrorPolicy;
import io.shadowgate.config.snapshot.OutlierConfig;
import io.shadowgate.config.snapshot.RedirectAction;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.config.snapshot.RewriteConfig;
import io.shadowgate.config.snapshot.RouteAction;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteOrigin;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.StringMatcher;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import io.shadowgate.config.snapshot.WeightedDestination;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders a {@link RoutingSnapshot} as a JSON tree for {@code /config_dump}. Built by hand: matchers, header values
 * and RE2 patterns are not beans, so they are shown by their {@code describe()} / {@code source()} forms. Durations
 * print as Istio writes them ({@code 1.5s}), {@code "none"} for zero timeouts; keys are snake_case.
 */
public final class ConfigDumpJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_BODY_CHARS = 1024;

    private ConfigDumpJson() {
    }

    /** The whole snapshot. */
    public static ObjectNode render(RoutingSnapshot s) {
        ObjectNode root = F.objectNode();
        root.put("version", s.version());
        root.put("compiled_at", s.compiledAt() == null ? null : s.compiledAt().toString());
        strings(root.putArray("sources"), s.sources());
        root.set("listeners", listeners(s));
        root.set("clusters", clusters(s));
        root.set("diagnostics", diagnostics(s));
        return root;
    }

    /** The listeners with their virtual hosts and routes. */
    public static ArrayNode listeners(RoutingSnapshot s) {
        ArrayNode out = F.arrayNode();
        for (ListenerConfig l : s.listeners()) {
            ObjectNode n = out.addObject();
            n.put("name", l.name());
            n.put("address", l.bindHost() + ":" + l.port());
            strings(n.putArray("gateways"), l.gateways());
            ArrayNode vhs = n.putArray("virtual_hosts");
            for (VirtualHostConfig vh : l.routes().virtualHosts()) {
                ObjectNode v = vhs.addObject();
                v.put("name", vh.name());
                strings(v.putArray("domains"), vh.domains());
                ArrayNode routes = v.putArray("routes");
                for (RouteConfig r : vh.routes()) {
                    routes.add(route(r));
                }
            }
        }
        return out;
    }

    /** Every cluster, sorted by name. */
    public static ArrayNode clusters(RoutingSnapshot s) {
        ArrayNode out = F.arrayNode();
        for (ClusterConfig c : new TreeMap<>(s.clusters()).values()) {
            out.add(cluster(c));
        }
        return out;
    }

    /** The warnings kept with the snapshot. */
    public static ArrayNode diagnostics(RoutingSnapshot s) {
        ArrayNode out = F.arrayNode();
        for (Diagnostic d : s.diagnostics()) {
            ObjectNode n = out.addObject();
            n.put("severity", d.severity() == null ? null : d.severity().name().toLowerCase(java.util.Locale.ROOT));
            n.put("code", d.code());
            n.put("message", d.message());
            n.put("file", d.file());
            n.put("line", d.line());
            n.put("resource", d.kind() == null ? null
                    : d.kind() + " " + (d.namespace() == null ? "default" : d.namespace()) + "/" + d.name());
            n.put("field", d.field());
            n.put("text", d.format());
        }
        return out;
    }

    static ObjectNode route(RouteConfig r) {
        ObjectNode n = F.objectNode();
        n.put("name", r.name());
        RouteOrigin o = r.origin();
        if (o != null) {
            ObjectNode on = n.putObject("origin");
            on.put("key", o.key());
            on.put("namespace", o.namespace());
            on.put("virtual_service", o.name());
            on.put("http_index", o.httpIndex());
            on.put("match_index", o.matchIndex());
            on.put("delegate", o.delegate());
            on.put("file", o.file());
            on.put("line", o.line());
        }
        n.put("match", r.matcher() == null ? null : r.matcher().describe());
        n.set("action", action(r.action()));
        if (r.cors() != null) {
            n.set("cors", cors(r.cors()));
        }
        return n;
    }

    static ObjectNode action(RouteAction action) {
        ObjectNode n = F.objectNode();
        if (action instanceof ForwardAction f) {
            n.put("type", "forward");
            ArrayNode ds = n.putArray("destinations");
            for (WeightedDestination d : f.destinations()) {
                ObjectNode dn = ds.addObject();
                dn.put("cluster", d.cluster());
                dn.put("host", d.host());
                dn.put("subset", d.subset());
                dn.put("port", d.port());
                dn.put("weight", d.weight());
                if (f.destinations().size() > 1 && f.totalWeight() > 0) {
                    dn.put("percent", d.weight() * 100.0 / f.totalWeight());
                }
                dn.put("host_rewrite", d.hostRewrite());
                headerOps(dn, "request_headers", d.requestHeaders());
                headerOps(dn, "response_headers", d.responseHeaders());
            }
            n.put("total_weight", f.totalWeight());
            ArrayNode ms = n.putArray("mirrors");
            for (MirrorPolicy m : f.mirrors()) {
                ObjectNode mn = ms.addObject();
                mn.put("cluster", m.cluster());
                mn.put("host", m.host());
                mn.put("subset", m.subset());
                mn.put("port", m.port());
                mn.put("percentage", m.percent());
                mn.put("fraction", m.numerator() + "/" + m.denominator());
            }
            if (f.mirrorOptions() != null && !f.mirrorOptions().equals(MirrorOptions.DEFAULTS)) {
                n.set("mirror_options", mirrorOptions(f.mirrorOptions()));
            }
            if (f.compare() != null) {
                n.put("compare", f.compare());
            }
            n.put("timeout", duration(f.timeout()));
            if (f.retries() != null) {
                n.set("retries", retries(f.retries()));
            }
            if (f.rewrite() != null) {
                n.set("rewrite", rewrite(f.rewrite()));
            }
            if (f.fault() != null) {
                n.set("fault", fault(f.fault()));
            }
        } else if (action instanceof RedirectAction r) {
            n.put("type", "redirect");
            n.put("code", r.code());
            n.put("uri", r.uri());
            n.put("prefix_rewrite", r.prefixRewrite());
            n.put("authority", r.authority());
            if (r.port() > 0) {
                n.put("port", r.port());
            }
            n.put("derive_port", r.derivePort());
            n.put("scheme", r.scheme());
            headerOps(n, "response_headers", r.headers());
        } else if (action instanceof DirectResponseAction d) {
            n.put("type", "direct_response");
            n.put("status", d.status());
            n.put("body_bytes", d.body().length);
            String body = new String(d.body(), StandardCharsets.UTF_8);
            n.put("body", body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) + "..." : body);
            headerOps(n, "response_headers", d.headers());
        } else if (action != null) {
            n.put("type", action.getClass().getSimpleName());
        }
        return n;
    }

    static ObjectNode cluster(ClusterConfig c) {
        ObjectNode n = F.objectNode();
        n.put("name", c.name());
        n.put("host", c.host());
        n.put("namespace", c.namespace());
        n.put("port", c.port());
        n.put("port_name", c.portName());
        n.put("protocol", c.protocol());
        n.put("subset", c.subset());
        n.put("resolution", c.resolution());
        ArrayNode eps = n.putArray("endpoints");
        for (EndpointConfig e : c.endpoints()) {
            ObjectNode en = eps.addObject();
            en.put("address", e.address());
            en.put("port", e.port());
            ObjectNode labels = en.putObject("labels");
            new TreeMap<>(e.labels()).forEach(labels::put);
            en.put("weight", e.weight());
            en.put("locality", e.locality());
            en.put("source", e.source());
        }
        LoadBalancerConfig lb = c.loadBalancer();
        if (lb != null) {
            ObjectNode ln = n.putObject("load_balancer");
            ln.put("simple", lb.simple());
            if (lb.hash() != null) {
                LoadBalancerConfig.HashPolicy h = lb.hash();
                ObjectNode hn = ln.putObject("consistent_hash");
                hn.put("source", h.source());
                hn.put("name", h.name());
                hn.put("cookie_path", h.cookiePath());
                hn.put("cookie_ttl", h.cookieTtl() == null ? null : duration(h.cookieTtl()));
                hn.put("algorithm", h.maglev() ? "maglev" : "ring_hash");
                hn.put("table_size", h.tableSize());
            }
        }
        ConnectionPoolConfig cp = c.connectionPool();
        if (cp != null) {
            ObjectNode pn = n.putObject("connection_pool");
            pn.put("max_connections", limit(cp.maxConnections()));
            pn.put("connect_timeout", duration(cp.connectTimeout()));
            pn.put("max_pending_requests", limit(cp.maxPendingRequests()));
            pn.put("max_requests", limit(cp.maxRequests()));
            pn.put("max_requests_per_connection", cp.maxRequestsPerConnection());
            pn.put("max_retries", limit(cp.maxRetries()));
            pn.put("idle_timeout", duration(cp.idleTimeout()));
        }
        OutlierConfig od = c.outlier();
        if (od != null) {
            ObjectNode on = n.putObject("outlier_detection");
            on.put("consecutive_5xx", od.consecutive5xx());
            on.put("consecutive_gateway_errors", od.consecutiveGatewayErrors());
            on.put("interval", duration(od.interval()));
            on.put("base_ejection_time", duration(od.baseEjectionTime()));
            on.put("max_ejection_percent", od.maxEjectionPercent());
            on.put("min_health_percent", od.minHealthPercent());
        } else {
            n.putNull("outlier_detection");
        }
        return n;
    }

    private static ObjectNode retries(RetryConfig r) {
        ObjectNode n = F.objectNode();
        n.put("attempts", r.attempts());
        n.put("per_try_timeout", duration(r.perTryTimeout()));
        strings(n.putArray("retry_on"), new TreeSet<>(r.retryOn()));
        ArrayNode codes = n.putArray("retriable_status_codes");
        new TreeSet<>(r.retriableStatusCodes()).forEach(codes::add);
        n.put("retry_remote_localities", r.retryRemoteLocalities());
        return n;
    }

    private static ObjectNode rewrite(RewriteConfig r) {
        ObjectNode n = F.objectNode();
        n.put("uri", r.prefix());
        n.put("matched_prefix", r.matchedPrefix());
        n.put("uri_regex", r.regex() == null ? null : r.regex().pattern());
        n.put("uri_regex_rewrite", r.regexReplacement());
        n.put("authority", r.authority());
        return n;
    }

    private static ObjectNode fault(FaultConfig f) {
        ObjectNode n = F.objectNode();
        if (f.delay() != null) {
            n.put("delay", duration(f.delay()));
            n.put("delay_percentage", f.delayPerMillion() / 10_000.0);
        }
        if (f.abortHttpStatus() > 0 || f.abortGrpcStatus() != null) {
            if (f.abortHttpStatus() > 0) {
                n.put("abort_http_status", f.abortHttpStatus());
            }
            n.put("abort_grpc_status", f.abortGrpcStatus());
            n.put("abort_percentage", f.abortPerMillion() / 10_000.0);
        }
        return n;
    }

    private static ObjectNode mirrorOptions(MirrorOptions m) {
        ObjectNode n = F.objectNode();
        strings(n.putArray("methods"), new TreeSet<>(m.methods()));
        strings(n.putArray("strip_headers"), new TreeSet<>(m.stripHeaders()));
        headerOps(n, "copy_headers", m.copyHeaders());
        if (m.sampleKey() != null) {
            n.put("sample_key", m.sampleKey().source() + ":" + m.sampleKey().name());
        }
        if (m.shadowHostSuffix() != null) {
            n.put("shadow_host_suffix", m.shadowHostSuffix());
        }
        if (m.maxInFlight() != null) {
            n.put("max_in_flight", m.maxInFlight());
        }
        if (m.timeout() != null) {
            n.put("timeout", duration(m.timeout()));
        }
        if (m.maxBufferedBytes() != null) {
            n.put("max_buffered_bytes", m.maxBufferedBytes());
        }
        if (m.noiseSamplesPerSecond() != null) {
            n.put("noise_samples_per_second", m.noiseSamplesPerSecond());
        }
        if (m.noiseSampleMethods() != null) {
            strings(n.putArray("noise_sample_methods"), new TreeSet<>(m.noiseSampleMethods()));
        }
        return n;
    }

    private static ObjectNode cors(CorsConfig c) {
        ObjectNode n = F.objectNode();
        ArrayNode origins = n.putArray("allow_origins");
        for (StringMatcher m : c.allowOrigins()) {
            origins.add(m.describe());
        }
        n.put("allow_methods", c.allowMethods());
        n.put("allow_headers", c.allowHeaders());
        n.put("expose_headers", c.exposeHeaders());
        if (c.maxAgeSeconds() >= 0) {
            n.put("max_age_seconds", c.maxAgeSeconds());
        }
        if (c.allowCredentials() != null) {
            n.put("allow_credentials", c.allowCredentials());
        }
        n.put("unmatched_preflights", c.forwardUnmatchedPreflights() ? "FORWARD" : "IGNORE");
        return n;
    }

    private static void headerOps(ObjectNode parent, String key, HeaderOps ops) {
        if (ops == null || ops.isEmpty()) {
            return;
        }
        ArrayNode stages = parent.putArray(key);
        for (HeaderOps.Stage s : ops.stages()) {
            ObjectNode sn = stages.addObject();
            strings(sn.putArray("remove"), s.remove());
            ObjectNode set = sn.putObject("set");
            for (HeaderOps.Entry e : s.set()) {
                set.put(e.name(), e.value() == null ? null : e.value().source());
            }
            ObjectNode add = sn.putObject("add");
            for (HeaderOps.Entry e : s.add()) {
                add.put(e.name(), e.value() == null ? null : e.value().source());
            }
        }
    }

    private static void strings(ArrayNode array, Collection<String> values) {
        for (String v : values) {
            array.add(v);
        }
    }

    /** Envoy prints "unlimited" thresholds as 2^32-1; the snapshot stores them as {@link Integer#MAX_VALUE}. */
    private static long limit(int v) {
        return v == Integer.MAX_VALUE ? 4294967295L : v;
    }

    /** {@code 10s}, {@code 1.5s}, {@code 250ms}; {@code none} for zero or {@code null}. */
    static String duration(Duration d) {
        if (d == null || d.isZero()) {
            return "none";
        }
        long ms = d.toMillis();
        if (ms % 1000 == 0) {
            return (ms / 1000) + "s";
        }
        if (ms >= 1000) {
            return (ms / 1000.0) + "s";
        }
        return ms + "ms";
    }
}

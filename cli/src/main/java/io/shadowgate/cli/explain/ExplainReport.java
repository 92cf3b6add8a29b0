package io.shadowgate.cli.explain;

import io.shadowgate.config.decide.DecisionTrace;
import io.shadowgate.config.decide.MirrorSampling;
import io.shadowgate.config.decide.RouteDecider;
import io.shadowgate.config.decide.RouteDecision;
import io.shadowgate.config.model.Durations;
import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
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
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteOrigin;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.SimpleRequest;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import io.shadowgate.config.snapshot.WeightedDestination;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders one request's {@link RouteDecision} and its {@link DecisionTrace} for {@code shadowgate explain}: the same
 * facts as a JSON document ({@link #json()}) and as text lines ({@link #text()}), built side by side so the two never
 * disagree. The decision itself is {@link RouteDecider#decide}, the one the proxy makes per request; this class only
 * describes it (and the configuration around it: weights, rewrites, retries, faults, clusters).
 */
public final class ExplainReport {
    private final RoutingSnapshot snapshot;
    private final ListenerConfig listener;
    private final SimpleRequest request;
    private final Long seed;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final List<String> text = new ArrayList<>();
    private RouteDecision decision;

    private ExplainReport(RoutingSnapshot snapshot, ListenerConfig listener, SimpleRequest request, Long seed) {
        this.snapshot = snapshot;
        this.listener = listener;
        this.request = request;
        this.seed = seed;
    }

    /**
     * Decides {@code request} (whose listener port is {@code listener}'s) and renders the decision.
     *
     * @param seed the request's random value, or {@code null}: then only the odds of the weighted pick and of
     *             random mirror sampling are shown (a sample key present in the request still decides its mirrors)
     */
    public static ExplainReport explain(RoutingSnapshot snapshot, ListenerConfig listener, SimpleRequest request,
                                        Long seed) {
        ExplainReport report = new ExplainReport(snapshot, listener, request, seed);
        report.render();
        return report;
    }

    /** The JSON document (maps, lists and scalars in output order). */
    public Map<String, Object> json() {
        return json;
    }

    /** The text lines. */
    public List<String> text() {
        return text;
    }

    private void render() {
        DecisionTrace trace = new DecisionTrace();
        // Without --seed the random value is unknown; 0 stands in, and nothing it decides is shown.
        decision = RouteDecider.decide(snapshot, request, seed == null ? 0 : seed, trace);
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("method", request.method());
        req.put("scheme", request.scheme());
        req.put("authority", request.authority());
        req.put("path", request.path());
        req.put("headers", new TreeMap<>(request.headers()));
        req.put("seed", seed);
        json.put("config", snapshot.version());
        json.put("request", req);
        text.add("Request:      " + request.method() + " " + request.scheme() + "://" + request.authority()
                + request.path() + (request.headers().isEmpty() ? "" : " " + new TreeMap<>(request.headers()))
                + (seed == null ? "" : "  (seed " + Long.toUnsignedString(seed) + ")"));
        Map<String, Object> lj = new LinkedHashMap<>();
        lj.put("name", listener.name());
        lj.put("port", listener.port());
        lj.put("gateways", listener.gateways());
        json.put("listener", lj);
        text.add("Listener:     " + listener.name() + (listener.gateways().isEmpty() ? " (mesh: no Gateway "
                + "resources)" : " (gateways " + String.join(", ", listener.gateways()) + ")"));
        long warnings = snapshot.diagnostics().stream()
                .filter(d -> d.severity() == io.shadowgate.config.diagnostics.Severity.WARNING).count();
        json.put("warnings", warnings);
        text.add("Config:       " + snapshot.version() + " from " + String.join(", ", snapshot.sources())
                + (warnings == 0 ? "" : "  (" + warnings + " warning" + (warnings == 1 ? "" : "s")
                + ": shadowgate validate shows them)"));

        VirtualHostConfig vh = decision.virtualHost();
        if (vh == null) {
            List<String> domains = new ArrayList<>();
            listener.routes().virtualHosts().forEach(v -> domains.addAll(v.domains()));
            json.put("virtualHost", null);
            json.put("result", "notFound");
            json.put("status", 404);
            json.put("responseFlag", "NR");
            text.add("Virtual host: none for authority " + request.authority() + " (this listener serves "
                    + domains + ")");
            text.add("Result:       404 (NR): no route; nothing is forwarded or mirrored");
            return;
        }
        Map<String, Object> vj = new LinkedHashMap<>();
        vj.put("name", vh.name());
        vj.put("domains", vh.domains());
        json.put("virtualHost", vj);
        text.add("Virtual host: " + vh.name() + " (domains " + String.join(", ", vh.domains()) + ")");
        text.add("");
        text.add("Routes, in order (the first match wins):");
        List<Map<String, Object>> tried = new ArrayList<>();
        json.put("routes", tried);
        for (DecisionTrace.RouteStep step : trace.routes()) {
            RouteConfig r = step.route();
            Map<String, Object> rj = route(r, step.index());
            rj.put("matched", step.matched());
            rj.put("mismatch", step.mismatch());
            tried.add(rj);
            text.add("  #" + step.index() + "  " + describe(r));
            if (!step.matched()) {
                text.add("       no match: " + step.mismatch());
                continue;
            }
            text.add("       MATCH: " + r.matcher().describe());
        }
        RouteConfig matched = decision.route();
        if (matched == null) {
            json.put("result", "notFound");
            json.put("status", 404);
            json.put("responseFlag", "NR");
            text.add("Result:       404 (NR): no route of " + vh.name() + " matches; nothing is forwarded or "
                    + "mirrored");
            return;
        }
        json.put("route", route(matched, tried.size() - 1));
        text.add("");
        if (matched.action() instanceof ForwardAction f) {
            forward(f);
        } else if (matched.action() instanceof RedirectAction rd) {
            json.put("result", "redirect");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", rd.code());
            m.put("location", rd.location(request));
            m.put("responseHeaders", ops(rd.headers()));
            json.put("redirect", m);
            text.add("Action:       redirect " + rd.code() + " to " + rd.location(request)
                    + " (nothing is forwarded or mirrored)");
            opsText("Response headers", rd.headers());
        } else if (matched.action() instanceof DirectResponseAction dr) {
            json.put("result", "directResponse");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", dr.status());
            m.put("bodyBytes", dr.body().length);
            m.put("body", new String(dr.body(), StandardCharsets.UTF_8));
            m.put("responseHeaders", ops(dr.headers()));
            json.put("directResponse", m);
            text.add("Action:       direct response " + dr.status() + " with a " + dr.body().length
                    + "-byte body (nothing is forwarded or mirrored)");
            opsText("Response headers", dr.headers());
        }
        if (matched.cors() != null) {
            json.put("cors", Map.of("allowMethods", String.valueOf(matched.cors().allowMethods()),
                    "maxAgeSeconds", matched.cors().maxAgeSeconds()));
            text.add("CORS:         origins " + matched.cors().allowOrigins().stream()
                    .map(o -> o.describe()).toList() + ", methods " + matched.cors().allowMethods());
        }
    }

    private Map<String, Object> route(RouteConfig r, int index) {
        RouteOrigin o = r.origin();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("name", r.name());
        m.put("virtualService", o.namespace() + "/" + o.name());
        m.put("http", o.httpIndex());
        m.put("match", o.matchIndex());
        m.put("delegate", o.delegate());
        m.put("file", o.file());
        m.put("line", o.line());
        m.put("condition", r.matcher().describe());
        return m;
    }

    private static String describe(RouteConfig r) {
        RouteOrigin o = r.origin();
        StringBuilder sb = new StringBuilder();
        if (o.httpIndex() < 0) {
            sb.append(r.name() == null ? "route" : r.name()).append(" from ").append(o.namespace()).append('/')
                    .append(o.name());
        } else {
            sb.append("VirtualService ").append(o.namespace()).append('/').append(o.name()).append(" http[")
                    .append(o.httpIndex()).append(']');
            if (o.matchIndex() >= 0) {
                sb.append(" match[").append(o.matchIndex()).append(']');
            }
            if (r.name() != null) {
                sb.append(" \"").append(r.name()).append('"');
            }
            if (o.delegate() != null) {
                sb.append(" (delegated to ").append(o.delegate()).append(')');
            }
        }
        if (o.file() != null) {
            sb.append("  ").append(o.file()).append(o.line() > 0 ? ":" + o.line() : "");
        }
        return sb.toString();
    }

    private void forward(ForwardAction f) {
        json.put("result", "forward");
        Map<String, Object> fj = new LinkedHashMap<>();
        json.put("forward", fj);
        WeightedDestination picked = seed == null ? null : decision.destination();
        text.add("Action:       forward to " + (f.destinations().size() == 1 ? "one destination"
                : f.destinations().size() + " weighted destinations (total weight " + f.totalWeight() + ")"));
        List<Map<String, Object>> ds = new ArrayList<>();
        long lower = 0;
        for (WeightedDestination d : f.destinations()) {
            double share = f.destinations().size() == 1 ? 100.0 : d.weight() * 100.0 / f.totalWeight();
            Map<String, Object> dj = new LinkedHashMap<>();
            dj.put("cluster", d.cluster());
            dj.put("host", d.host());
            dj.put("subset", d.subset());
            dj.put("port", d.port());
            dj.put("weight", f.destinations().size() == 1 ? null : d.weight());
            dj.put("percent", share);
            dj.put("picked", picked == null ? null : picked == d);
            dj.put("hostRewrite", d.hostRewrite());
            dj.put("requestHeaders", ops(d.requestHeaders()));
            dj.put("responseHeaders", ops(d.responseHeaders()));
            ds.add(dj);
            String range = f.destinations().size() == 1 ? "" : "  [" + lower + ", " + (lower + d.weight()) + ")";
            text.add("  " + (picked == d ? "-> " : "   ") + d.cluster() + "  " + (f.destinations().size() == 1
                    ? "all traffic" : "weight " + d.weight() + " = " + pct(share)) + range);
            lower += d.weight();
        }
        fj.put("totalWeight", f.totalWeight());
        fj.put("destinations", ds);
        if (picked != null) {
            long point = f.destinations().size() == 1 ? 0 : Long.remainderUnsigned(seed, f.totalWeight());
            fj.put("picked", picked.cluster());
            text.add("  picked by seed " + Long.toUnsignedString(seed) + (f.destinations().size() == 1 ? ""
                    : ": " + Long.toUnsignedString(seed) + " % " + f.totalWeight() + " = " + point)
                    + " -> " + picked.cluster());
        } else {
            fj.put("picked", null);
            if (f.destinations().size() > 1) {
                text.add("  (the pick depends on the request's random value; pass --seed N to see one)");
            }
        }
        WeightedDestination shown = picked != null ? picked : f.destinations().get(0);
        RewriteConfig rw = f.rewrite();
        Map<String, Object> rwj = new LinkedHashMap<>();
        String newPath = rw == null ? request.path() : rw.rewritePath(request.path());
        rwj.put("path", request.path());
        rwj.put("rewrittenPath", newPath);
        rwj.put("authority", shown.hostRewrite());
        fj.put("rewrite", rwj);
        if (!newPath.equals(request.path())) {
            text.add("Rewrite:      path " + request.path() + " -> " + newPath + " (x-envoy-original-path is set)");
        }
        if (shown.hostRewrite() != null) {
            text.add("Rewrite:      authority " + request.authority() + " -> " + shown.hostRewrite());
        }
        String whose = f.destinations().size() == 1 ? "" : picked != null ? " (picked destination)"
                : " (for " + shown.cluster() + ")";
        opsText("Request headers" + whose, shown.requestHeaders());
        opsText("Response headers" + whose, shown.responseHeaders());
        fj.put("timeout", f.timeout().isZero() ? null : duration(f.timeout()));
        text.add("Timeout:      " + (f.timeout().isZero() ? "none (Istio's default: no timeout)"
                : duration(f.timeout())));
        retries(f.retries(), fj);
        fault(f.fault(), fj);
        mirrors(f, fj);
        fj.put("compare", f.compare());
        text.add("Compare:      " + (f.compare() == null ? "gateway default (--compare)"
                : f.compare() ? "yes (shadowgate.io/compare)" : "no (shadowgate.io/compare)"));
        clusters(f, picked);
    }

    private void retries(RetryConfig r, Map<String, Object> fj) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempts", r.attempts());
        m.put("retryOn", r.retryOn().stream().sorted().toList());
        m.put("retriableStatusCodes", r.retriableStatusCodes().stream().sorted().toList());
        m.put("perTryTimeout", r.perTryTimeout().isZero() ? null : duration(r.perTryTimeout()));
        m.put("istioDefault", r.equals(RetryConfig.ISTIO_DEFAULT));
        fj.put("retries", m);
        if (r.attempts() == 0) {
            text.add("Retries:      none (attempts: 0)");
            return;
        }
        text.add("Retries:      " + r.attempts() + " on " + String.join(",", r.retryOn().stream().sorted().toList())
                + (r.retriableStatusCodes().isEmpty() ? "" : " " + r.retriableStatusCodes().stream().sorted()
                .toList()) + (r.perTryTimeout().isZero() ? "" : ", per try " + duration(r.perTryTimeout()))
                + (r.equals(RetryConfig.ISTIO_DEFAULT) ? " (Istio's default policy)" : ""));
    }

    private void fault(FaultConfig fault, Map<String, Object> fj) {
        if (fault == null) {
            fj.put("fault", null);
            text.add("Fault:        none");
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delay", fault.delay() == null ? null : fault.delay().toString());
        m.put("delayPercent", fault.delayPerMillion() / 10_000.0);
        m.put("abortHttpStatus", fault.abortHttpStatus() == 0 ? null : fault.abortHttpStatus());
        m.put("abortGrpcStatus", fault.abortGrpcStatus());
        m.put("abortPercent", fault.abortPerMillion() / 10_000.0);
        fj.put("fault", m);
        List<String> parts = new ArrayList<>();
        if (fault.delay() != null) {
            parts.add("delay " + duration(fault.delay()) + " for " + pct(fault.delayPerMillion() / 10_000.0));
        }
        if (fault.abortHttpStatus() != 0 || fault.abortGrpcStatus() != null) {
            parts.add("abort with " + (fault.abortHttpStatus() != 0 ? String.valueOf(fault.abortHttpStatus())
                    : "gRPC " + fault.abortGrpcStatus()) + " for " + pct(fault.abortPerMillion() / 10_000.0)
                    + " (an aborted request is neither forwarded nor mirrored)");
        }
        text.add("Fault:        " + (parts.isEmpty() ? "none effective" : String.join("; ", parts)));
    }

    private void mirrors(ForwardAction f, Map<String, Object> fj) {
        List<Map<String, Object>> ms = new ArrayList<>();
        fj.put("mirrors", ms);
        if (f.mirrors().isEmpty()) {
            text.add("Mirrors:      none");
            return;
        }
        MirrorSampling sampling = decision.mirrors();
        MirrorOptions.SampleKey key = sampling.sampleKey();
        Long value = key != null ? Long.valueOf(sampling.value()) : seed;
        String valueSource = key != null ? "hash of " + key.source() + " " + key.name() : "seed";
        boolean methodAllowed = sampling.methodAllowed();
        text.add("Mirrors:      " + (value == null ? "(pass --seed N to see whether this request is mirrored)"
                : "decided by the " + valueSource + (methodAllowed ? "" : "; method " + request.method()
                + " is not mirrored (shadowgate.io/mirror-methods)")));
        for (MirrorPolicy p : f.mirrors()) {
            Boolean sampled = value == null ? null : sampling.mirrors(p);
            boolean exists = snapshot.cluster(p.cluster()) != null;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", p.cluster());
            m.put("host", p.host());
            m.put("subset", p.subset());
            m.put("port", p.port());
            m.put("percent", p.percent());
            m.put("numerator", p.numerator());
            m.put("denominator", p.denominator());
            m.put("sampled", sampled);
            m.put("clusterExists", exists);
            ms.add(m);
            String verdict = sampled == null ? "" : sampled
                    ? (exists ? "  -> mirrored" : "  -> sampled, but the cluster does not exist: dropped")
                    : "  -> not mirrored";
            if (value != null && sampled != null && methodAllowed) {
                verdict += " (" + Long.toUnsignedString(value) + " % " + p.denominator() + " = "
                        + Long.remainderUnsigned(value, p.denominator()) + (sampled ? " < " : " >= ")
                        + p.numerator() + ")";
            }
            text.add("  " + p.cluster() + "  " + pct(p.percent()) + (exists ? "" : "  (no such cluster)")
                    + verdict);
        }
    }

    private void clusters(ForwardAction f, WeightedDestination picked) {
        List<Map<String, Object>> cs = new ArrayList<>();
        json.put("clusters", cs);
        for (WeightedDestination d : f.destinations()) {
            if (picked != null && picked != d) {
                continue;
            }
            ClusterConfig c = snapshot.cluster(d.cluster());
            Map<String, Object> cj = new LinkedHashMap<>();
            cj.put("name", d.cluster());
            cj.put("exists", c != null);
            cs.add(cj);
            text.add("");
            if (c == null) {
                text.add("Cluster " + d.cluster() + " does not exist: requests to it get 503 (NC). Declare the "
                        + "host's port in a ServiceEntry and the subset in a DestinationRule.");
                continue;
            }
            text.add("Cluster " + c.name() + "  (" + c.resolution() + ", port " + c.portName() + "/"
                    + c.protocol() + ", from " + c.namespace() + ")");
            LoadBalancerConfig lb = c.loadBalancer();
            String lbText = lb.hash() == null ? lb.simple() : (lb.hash().maglev() ? "MAGLEV" : "RING_HASH")
                    + " on " + lb.hash().source() + (lb.hash().name() == null ? "" : " " + lb.hash().name());
            cj.put("loadBalancer", lbText);
            text.add("  load balancer:     " + lbText);
            ConnectionPoolConfig p = c.connectionPool();
            Map<String, Object> pj = new LinkedHashMap<>();
            pj.put("maxConnections", p.maxConnections());
            pj.put("connectTimeout", duration(p.connectTimeout()));
            pj.put("maxPendingRequests", p.maxPendingRequests());
            pj.put("maxRequests", p.maxRequests());
            pj.put("maxRequestsPerConnection", p.maxRequestsPerConnection());
            pj.put("maxRetries", p.maxRetries());
            pj.put("idleTimeout", duration(p.idleTimeout()));
            cj.put("connectionPool", pj);
            text.add("  connection pool:   max connections " + limit(p.maxConnections()) + ", pending "
                    + limit(p.maxPendingRequests()) + ", requests " + limit(p.maxRequests()) + ", retries "
                    + limit(p.maxRetries()) + ", connect timeout " + duration(p.connectTimeout())
                    + ", idle timeout " + duration(p.idleTimeout()));
            OutlierConfig o = c.outlier();
            if (o == null) {
                cj.put("outlierDetection", null);
                text.add("  outlier detection: off");
            } else {
                Map<String, Object> oj = new LinkedHashMap<>();
                oj.put("consecutive5xx", o.consecutive5xx());
                oj.put("consecutiveGatewayErrors", o.consecutiveGatewayErrors());
                oj.put("interval", duration(o.interval()));
                oj.put("baseEjectionTime", duration(o.baseEjectionTime()));
                oj.put("maxEjectionPercent", o.maxEjectionPercent());
                cj.put("outlierDetection", oj);
                text.add("  outlier detection: eject after " + o.consecutive5xx() + " consecutive 5xx, every "
                        + duration(o.interval()) + ", for " + duration(o.baseEjectionTime()) + " x ejections, at "
                        + "most " + o.maxEjectionPercent() + "%");
            }
            List<Map<String, Object>> es = new ArrayList<>();
            cj.put("endpoints", es);
            text.add("  endpoints (" + c.endpoints().size() + ")" + (c.endpoints().isEmpty()
                    ? ": none, requests get 503 (UH)" : ":"));
            for (EndpointConfig e : c.endpoints()) {
                Map<String, Object> ej = new LinkedHashMap<>();
                ej.put("address", e.address());
                ej.put("port", e.port());
                ej.put("labels", new TreeMap<>(e.labels()));
                ej.put("weight", e.weight());
                ej.put("locality", e.locality());
                es.add(ej);
                text.add("    " + e.address() + ":" + e.port() + "  " + new TreeMap<>(e.labels())
                        + (e.weight() == 1 ? "" : "  weight " + e.weight())
                        + (e.locality() == null ? "" : "  " + e.locality()));
            }
        }
    }

    private void opsText(String title, HeaderOps ops) {
        if (ops == null || ops.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        for (HeaderOps.Stage s : ops.stages()) {
            s.remove().forEach(n -> parts.add("remove " + n));
            s.set().forEach(e -> parts.add("set " + e.name() + ": " + e.value().source()));
            s.add().forEach(e -> parts.add("add " + e.name() + ": " + e.value().source()));
        }
        if (!parts.isEmpty()) {
            String label = title + ":";
            text.add((label.length() < 14 ? String.format("%-14s", label) : label + " ")
                    + String.join("; ", parts));
        }
    }

    private static List<Map<String, Object>> ops(HeaderOps ops) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (ops == null) {
            return out;
        }
        for (HeaderOps.Stage s : ops.stages()) {
            s.remove().forEach(n -> out.add(op("remove", n, null)));
            s.set().forEach(e -> out.add(op("set", e.name(), e.value().source())));
            s.add().forEach(e -> out.add(op("add", e.name(), e.value().source())));
        }
        return out;
    }

    private static Map<String, Object> op(String op, String name, String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("name", name);
        m.put("value", value);
        return m;
    }

    private static String limit(int v) {
        return v == Integer.MAX_VALUE ? "unlimited" : String.valueOf(v);
    }

    private static String pct(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    private static String duration(Duration d) {
        return Durations.format(d);
    }
}

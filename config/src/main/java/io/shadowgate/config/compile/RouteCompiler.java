package io.shadowgate.config.compile;

import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.internal.IstioSyntax;
import io.shadowgate.config.match.CompiledRegex;
import io.shadowgate.config.match.StringMatchers;
import io.shadowgate.config.model.CorsPolicy;
import io.shadowgate.config.model.Destination;
import io.shadowgate.config.model.Durations;
import io.shadowgate.config.model.HTTPDirectResponse;
import io.shadowgate.config.model.HTTPFaultInjection;
import io.shadowgate.config.model.HTTPMatchRequest;
import io.shadowgate.config.model.HTTPMirrorPolicy;
import io.shadowgate.config.model.HTTPRedirect;
import io.shadowgate.config.model.HTTPRetry;
import io.shadowgate.config.model.HTTPRewrite;
import io.shadowgate.config.model.HTTPRoute;
import io.shadowgate.config.model.HTTPRouteDestination;
import io.shadowgate.config.model.Percent;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.StringMatch;
import io.shadowgate.config.model.VirtualService;
import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.CorsConfig;
import io.shadowgate.config.snapshot.DirectResponseAction;
import io.shadowgate.config.snapshot.FaultConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.MirrorPolicy;
import io.shadowgate.config.snapshot.RedirectAction;
import io.shadowgate.config.snapshot.RequestMatcher;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.config.snapshot.RewriteConfig;
import io.shadowgate.config.snapshot.RouteAction;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteOrigin;
import io.shadowgate.config.snapshot.StringMatcher;
import io.shadowgate.config.snapshot.WeightedDestination;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Translates VirtualService rules to {@link RouteConfig}s for one listener, as istiod's
 * {@code BuildHTTPRoutesForVirtualService}/{@code TranslateRoute} do. Listener-dependent parts (match {@code port}
 * and {@code gateways}, the fallback destination port, {@code FROM_REQUEST_PORT} redirects) are why routes are
 * compiled per listener.
 */
final class RouteCompiler {

    /** The listener a VirtualService is compiled for. */
    record ListenerContext(int port, String gateway, Map<String, String> gatewaySelector, String gatewayNamespace) {

        /** A sidecar-like listener (no Gateway resources). */
        static ListenerContext mesh(int port) {
            return new ListenerContext(port, null, Map.of(), null);
        }

        boolean mesh() {
            return gateway == null;
        }
    }

    /** A resolved destination. */
    record Target(String cluster, String host, String subset, int port) {
    }

    /** The regex a uri rewrite of a regex route replaces: the whole path. */
    private static final String WHOLE_PATH = "\\A(?s:.*)\\z";

    private final ServiceRegistry registry;
    private final Map<String, ClusterConfig> clusters;
    private final String domainSuffix;
    private final Reporter rep;
    private final Map<String, MirrorAnnotations.Result> annotations = new HashMap<>();
    private final boolean validateAll;
    private final Regexes regexes;

    /**
     * @param validateAll translate every rule, even after a catch-all (the validation pass: istiod validates every
     *                    rule, while route generation stops at the first catch-all)
     * @param regexes     the compilation's regexes, shared with the other pass so each regex is compiled once
     */
    RouteCompiler(ServiceRegistry registry, Map<String, ClusterConfig> clusters, String domainSuffix, Reporter rep,
                  boolean validateAll, Regexes regexes) {
        this.registry = registry;
        this.clusters = clusters;
        this.domainSuffix = domainSuffix;
        this.rep = rep;
        this.validateAll = validateAll;
        this.regexes = regexes;
    }

    /**
     * The routes of {@code root}'s rules on {@code ctx}: one per (rule, match block) that applies to the listener,
     * stopping after the first catch-all.
     */
    List<RouteConfig> compile(Resource<VirtualService> root, List<Delegation.FlatRule> rules, ListenerContext ctx) {
        List<RouteConfig> out = new ArrayList<>();
        for (int k = 0; k < rules.size(); k++) {
            Delegation.FlatRule fr = rules.get(k);
            HTTPRoute rule = fr.rule();
            boolean catchAll = false;
            List<HTTPMatchRequest> matches = rule.match();
            if (matches == null || matches.isEmpty()) {
                RouteConfig rc = translate(root, fr, null, -1, ctx);
                if (rc != null) {
                    out.add(rc);
                }
                catchAll = true;
            } else {
                for (int j = 0; j < matches.size(); j++) {
                    HTTPMatchRequest m = matches.get(j);
                    if (m == null || !applies(m, fr, fr.path() + ".match[" + j + "]", ctx)) {
                        continue;
                    }
                    RouteConfig rc = translate(root, fr, m, j, ctx);
                    if (rc != null) {
                        out.add(rc);
                        if (MatchCompiler.isCatchAll(m)) {
                            catchAll = true;
                            if (!validateAll) {
                                break;
                            }
                        }
                    }
                }
            }
            if (catchAll && !validateAll) {
                if (k + 1 < rules.size()) {
                    Delegation.FlatRule next = rules.get(k + 1);
                    rep.warn(next.owner(), DiagnosticCodes.UNREACHABLE_RULE, next.path(), "rule is unreachable: "
                            + fr.path() + " before it matches every request (only the last rule may match everything)");
                }
                break;
            }
        }
        return out;
    }

    /**
     * Config-time match conditions ({@code port}, {@code gateways}, {@code sourceLabels}, {@code sourceNamespace}):
     * whether the block is emitted on this listener at all.
     */
    private boolean applies(HTTPMatchRequest m, Delegation.FlatRule fr, String path, ListenerContext ctx) {
        if (validateAll) {
            // Validation translates every block whatever the listener, so errors in gateway-only blocks show.
            return true;
        }
        if (m.port() != null && m.port() != 0 && m.port() != ctx.port()) {
            return false;
        }
        if (m.gateways() != null && !m.gateways().isEmpty()) {
            boolean found = false;
            for (String g : m.gateways()) {
                String resolved = Listeners.resolveGatewayName(g, fr.owner().namespace());
                if (ctx.mesh() ? resolved.equals(Listeners.MESH) : resolved.equals(ctx.gateway())) {
                    found = true;
                }
            }
            if (!found) {
                return false;
            }
        }
        if (m.sourceLabels() != null && !m.sourceLabels().isEmpty()) {
            // The "source" of a request at a gateway is the gateway workload itself, whose labels its Gateway selects.
            if (ctx.mesh() || !ctx.gatewaySelector().entrySet().containsAll(m.sourceLabels().entrySet())) {
                rep.warn(fr.owner(), DiagnosticCodes.UNSUPPORTED, path + ".sourceLabels", "sourceLabels select client "
                        + "workloads; they do not match " + (ctx.mesh() ? "Shadowgate" : "gateway " + ctx.gateway())
                        + ", so this match block is not served here");
                return false;
            }
        }
        if (m.sourceNamespace() != null && !m.sourceNamespace().isEmpty()) {
            if (ctx.mesh() || !m.sourceNamespace().equals(ctx.gatewayNamespace())) {
                rep.warn(fr.owner(), DiagnosticCodes.UNSUPPORTED, path + ".sourceNamespace", "sourceNamespace "
                        + m.sourceNamespace() + " does not match " + (ctx.mesh() ? "Shadowgate" : "gateway "
                        + ctx.gateway()) + ", so this match block is not served here");
                return false;
            }
        }
        return true;
    }

    private RouteConfig translate(Resource<VirtualService> root, Delegation.FlatRule fr, HTTPMatchRequest m,
                                  int matchIndex, ListenerContext ctx) {
        HTTPRoute rule = fr.rule();
        Resource<VirtualService> owner = fr.owner();
        String path = fr.path();
        String name = routeName(rule.name(), m == null ? null : m.name());
        RequestMatcher matcher = MatchCompiler.compile(m, owner, matchIndex < 0 ? path + ".match"
                : path + ".match[" + matchIndex + "]", rep, regexes);
        validateActions(rule, owner, path);
        HeaderCompiler.Ops routeOps = HeaderCompiler.translate(rule.headers(), owner, path + ".headers", rep);
        RouteAction action;
        if (rule.redirect() != null) {
            action = redirect(rule.redirect(), m, routeOps, owner, path + ".redirect", ctx);
        } else if (rule.directResponse() != null) {
            action = directResponse(rule.directResponse(), routeOps, owner, path + ".directResponse");
        } else if (rule.route() != null && !rule.route().isEmpty()) {
            action = forward(root, fr, m, routeOps, ctx);
        } else {
            if (rule.delegate() == null) {
                rep.error(owner, DiagnosticCodes.MISSING_FIELD, path,
                        "a rule needs one of route, redirect, directResponse or delegate");
            }
            action = null;
        }
        if (action == null) {
            return null;
        }
        CorsConfig cors = cors(rule.corsPolicy(), owner, path + ".corsPolicy");
        int line = owner.locations().at(path).line();
        RouteOrigin origin = new RouteOrigin(root.namespace(), root.name(), fr.httpIndex(), matchIndex,
                fr.delegateKey(), owner.file(), line);
        return new RouteConfig(name, origin, matcher, action, cors);
    }

    /**
     * {@code http.name + "." + match.name}, or whichever is set, or {@code null} (the contract's rule; istiod itself
     * writes {@code ".match"} when only the match is named).
     */
    static String routeName(String rule, String match) {
        boolean r = rule != null && !rule.isEmpty();
        boolean m = match != null && !match.isEmpty();
        if (r && m) {
            return rule + "." + match;
        }
        return r ? rule : m ? match : null;
    }

    /** The istiod validation rules about which actions and options combine. */
    private void validateActions(HTTPRoute r, Resource<?> owner, String path) {
        boolean route = r.route() != null && !r.route().isEmpty();
        if (r.redirect() != null && (route || r.fault() != null || r.rewrite() != null || r.directResponse() != null)) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".redirect",
                    "redirect cannot be combined with route, fault, rewrite or directResponse");
        }
        if (r.directResponse() != null && (route || r.fault() != null || r.rewrite() != null)) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".directResponse",
                    "directResponse cannot be combined with route, fault or rewrite");
        }
        if (r.mirror() != null && r.mirrors() != null && !r.mirrors().isEmpty()) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".mirrors",
                    "mirror and mirrors cannot both be set; move the mirror into mirrors");
        }
        if (r.mirrorPercent() != null && (r.mirrorPercent() < 0 || r.mirrorPercent() > 100)) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".mirrorPercent",
                    "mirrorPercent " + r.mirrorPercent() + " (expected: 0..100)");
        }
        checkPercent(r.mirrorPercentage(), owner, path + ".mirrorPercentage");
        if (r.mirrors() != null) {
            for (int i = 0; i < r.mirrors().size(); i++) {
                HTTPMirrorPolicy mp = r.mirrors().get(i);
                if (mp != null) {
                    checkPercent(mp.percentage(), owner, path + ".mirrors[" + i + "].percentage");
                }
            }
        }
        if (r.rewrite() != null && r.rewrite().authority() != null && !r.rewrite().authority().isEmpty()
                && r.headers() != null && r.headers().request() != null) {
            var req = r.headers().request();
            for (Map<String, String> ops : java.util.Arrays.asList(req.set(), req.add())) {
                if (ops != null && ops.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("host")
                        || k.equalsIgnoreCase(":authority"))) {
                    rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".rewrite.authority",
                            "the authority is set both by rewrite.authority and by headers.request; keep one");
                }
            }
        }
    }

    private void checkPercent(Percent p, Resource<?> owner, String path) {
        if (p != null && p.value() != null && (p.value() < 0 || p.value() > 100 || p.value().isNaN())) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".value",
                    "percentage " + p.value() + " (expected: 0..100)");
        }
    }

    // ---- forward ----

    private ForwardAction forward(Resource<VirtualService> root, Delegation.FlatRule fr, HTTPMatchRequest m,
                                  HeaderCompiler.Ops routeOps, ListenerContext ctx) {
        HTTPRoute rule = fr.rule();
        Resource<VirtualService> owner = fr.owner();
        String path = fr.path();
        List<HTTPRouteDestination> ds = rule.route();
        boolean bad = false;
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            HTTPRouteDestination d = ds.get(i);
            if (d == null || d.destination() == null || d.destination().host() == null) {
                bad = true; // reported by the loader
                continue;
            }
            int w = d.weight() == null ? 0 : d.weight();
            if (w < 0) {
                rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".route[" + i + "].weight",
                        "weight " + w + " (expected: >= 0)");
                bad = true;
            }
            // One destination takes everything whatever its weight; among several, weight 0 means "none".
            if (ds.size() == 1 || w > 0) {
                kept.add(i);
            }
        }
        if (bad) {
            return null;
        }
        if (kept.isEmpty()) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".route",
                    "all destinations have weight 0 (expected: at least one with weight > 0)");
            return null;
        }
        boolean single = kept.size() == 1;
        String routeAuthority = rule.rewrite() != null && rule.rewrite().authority() != null
                && !rule.rewrite().authority().isEmpty() ? rule.rewrite().authority() : routeOps.authority();
        List<WeightedDestination> out = new ArrayList<>();
        int total = 0;
        for (int i : kept) {
            HTTPRouteDestination d = ds.get(i);
            String dp = path + ".route[" + i + "]";
            Target t = target(d.destination(), ctx.port(), owner, dp + ".destination", false);
            HeaderCompiler.Ops dOps = HeaderCompiler.translate(d.headers(), owner, dp + ".headers", rep);
            HeaderOps request;
            HeaderOps response;
            if (single) {
                // One Envoy list: route ops then destination ops, removals first (Envoy's HeaderParser), so a
                // destination set wins over a route set.
                request = HeaderCompiler.ops(
                        new HeaderOps.Stage(HeaderCompiler.concat(routeOps.requestRemove(), dOps.requestRemove()),
                                routeOps.requestSet(), routeOps.requestAdd()),
                        new HeaderOps.Stage(List.of(), dOps.requestSet(), dOps.requestAdd()));
                response = HeaderCompiler.ops(
                        new HeaderOps.Stage(HeaderCompiler.concat(routeOps.responseRemove(), dOps.responseRemove()),
                                routeOps.responseSet(), routeOps.responseAdd()),
                        new HeaderOps.Stage(List.of(), dOps.responseSet(), dOps.responseAdd()));
            } else {
                // WeightedClusterEntry::finalize*Headers: the cluster's ops first, then the route's, so a route set
                // wins over a destination set.
                request = HeaderCompiler.ops(dOps.requestStage(), routeOps.requestStage());
                response = HeaderCompiler.ops(dOps.responseStage(), routeOps.responseStage());
            }
            // A route-level authority (rewrite.authority or a header op) wins in both cases.
            String hostRewrite = routeAuthority != null ? routeAuthority : dOps.authority();
            int weight = single ? 1 : d.weight();
            total += weight;
            out.add(new WeightedDestination(t.cluster(), t.host(), t.subset(), t.port(), weight, request, response,
                    hostRewrite));
        }
        boolean hash = single && clusters.containsKey(out.get(0).cluster())
                && clusters.get(out.get(0).cluster()).loadBalancer().hash() != null;
        RewriteConfig rewrite = rewrite(rule.rewrite(), m, owner, path + ".rewrite");
        Duration timeout = Durations.parse(rule.timeout(), owner, path + ".timeout", rep.sink());
        if (timeout == null) {
            timeout = Duration.ZERO;
        }
        RetryConfig retries = retries(rule.retries(), hash, owner, path + ".retries");
        FaultConfig fault = fault(rule.fault(), owner, path + ".fault");
        List<MirrorPolicy> mirrors = mirrors(rule, owner, path, ctx);
        MirrorAnnotations.Result opts = options(root, fr);
        return new ForwardAction(out, total, rewrite, timeout, retries, fault, mirrors, opts.options(),
                opts.compare());
    }

    /** Annotations of the root VS, overridden key by key by the delegate's for delegated rules. */
    private MirrorAnnotations.Result options(Resource<VirtualService> root, Delegation.FlatRule fr) {
        String key = root.key() + "|" + (fr.delegateKey() == null ? "" : fr.delegateKey());
        MirrorAnnotations.Result cached = annotations.get(key);
        if (cached != null) {
            return cached;
        }
        MirrorAnnotations.Result result;
        if (fr.delegateKey() == null) {
            result = MirrorAnnotations.parse(root.meta().annotations(), root, rep);
        } else {
            Map<String, String> merged = new HashMap<>(root.meta().annotations());
            merged.putAll(fr.owner().meta().annotations());
            MirrorAnnotations.parse(root.meta().annotations(), root, rep);
            MirrorAnnotations.parse(fr.owner().meta().annotations(), fr.owner(), rep);
            Reporter silent = new Reporter();
            result = MirrorAnnotations.parse(merged, root, silent);
        }
        annotations.put(key, result);
        return result;
    }

    /**
     * {@code GetDestinationCluster}: the port is {@code destination.port.number}, else the service's only port, else
     * the listener port. A cluster that does not exist is still named (the proxy answers 503 NC, or drops the
     * mirror) and reported.
     */
    Target target(Destination d, int listenerPort, Resource<?> owner, String path, boolean mirror) {
        String host = d.host();
        ServiceRegistry.Service svc = registry.get(host);
        int port;
        if (d.port() != null && d.port().number() != null) {
            long p = d.port().number();
            if (p < 1 || p > 65535) {
                rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".port.number",
                        "port " + p + " (expected: 1..65535)");
            }
            port = (int) p;
        } else if (svc != null && svc.ports.size() == 1) {
            port = svc.ports.get(0).number().intValue();
        } else {
            port = listenerPort;
            if (svc != null && svc.ports.size() > 1) {
                rep.warn(owner, DiagnosticCodes.PORT_SELECTOR_REQUIRED, path, "host " + host + " has several ports ("
                        + svc.ports.stream().map(p -> String.valueOf(p.number())).collect(Collectors.joining(", "))
                        + "); without destination.port the listener port " + listenerPort + " is used");
            }
        }
        if ("*".equals(host)) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".host", "a destination host cannot be *");
        }
        String subset = d.subset() == null || d.subset().isEmpty() ? null : d.subset();
        String cluster = ClusterConfig.nameOf(host, port, subset);
        if (!clusters.containsKey(cluster)) {
            String consequence = mirror ? "mirrored requests to it are dropped" : "requests to it get 503 (NC)";
            if (svc == null) {
                rep.warn(owner, DiagnosticCodes.REFERENCED_RESOURCE_NOT_FOUND, path + ".host", "host " + host
                        + " is not declared by any ServiceEntry; " + consequence + shortNameHint(host));
            } else if (svc.port(port) == null) {
                rep.warn(owner, DiagnosticCodes.REFERENCED_RESOURCE_NOT_FOUND,
                        d.port() != null ? path + ".port" : path, "host " + host + " has no port " + port + " (ports: "
                                + svc.ports.stream().map(p -> String.valueOf(p.number()))
                                .collect(Collectors.joining(", ")) + "); " + consequence);
            } else {
                rep.warn(owner, DiagnosticCodes.REFERENCED_RESOURCE_NOT_FOUND, path + ".subset", "subset " + subset
                        + " of host " + host + " is not defined by any DestinationRule; " + consequence);
            }
        }
        return new Target(cluster, host, subset, port);
    }

    private String shortNameHint(String host) {
        String suffix = ".svc." + domainSuffix;
        if (host.endsWith(suffix)) {
            String shortName = host.substring(0, host.indexOf('.'));
            if (registry.get(shortName) != null) {
                return " (short names resolve to " + host + ", but ServiceEntry hosts are taken literally: declare "
                        + host + " in the ServiceEntry, or use the full name)";
            }
        }
        return "";
    }

    // ---- mirrors (istio-semantics §1.6) ----

    private List<MirrorPolicy> mirrors(HTTPRoute rule, Resource<?> owner, String path, ListenerContext ctx) {
        List<MirrorPolicy> out = new ArrayList<>();
        boolean both = rule.mirror() != null && rule.mirrors() != null && !rule.mirrors().isEmpty();
        if (both) {
            return out; // an error, reported by validateActions
        }
        if (rule.mirror() != null && rule.mirror().host() != null) {
            int num;
            int den;
            boolean emit = true;
            if (rule.mirrorPercentage() != null) {
                // mirrorPercentage takes precedence over mirrorPercent.
                double v = rule.mirrorPercentage().value() == null ? 0 : rule.mirrorPercentage().value();
                num = perMillion(v);
                den = 1_000_000;
                emit = v > 0;
            } else if (rule.mirrorPercent() != null) {
                num = (int) Math.min(100, Math.max(0, rule.mirrorPercent()));
                den = 100;
                emit = rule.mirrorPercent() != 0;
            } else {
                num = 100;
                den = 100;
            }
            if (emit) {
                Target t = target(rule.mirror(), ctx.port(), owner, path + ".mirror", true);
                out.add(new MirrorPolicy(t.cluster(), t.host(), t.subset(), t.port(), num, den));
            }
        }
        if (rule.mirrors() != null) {
            for (int i = 0; i < rule.mirrors().size(); i++) {
                HTTPMirrorPolicy mp = rule.mirrors().get(i);
                if (mp == null || mp.destination() == null || mp.destination().host() == null) {
                    continue;
                }
                int num = 100;
                int den = 100;
                if (mp.percentage() != null) {
                    double v = mp.percentage().value() == null ? 0 : mp.percentage().value();
                    if (v <= 0) {
                        continue;
                    }
                    num = perMillion(v);
                    den = 1_000_000;
                }
                Target t = target(mp.destination(), ctx.port(), owner, path + ".mirrors[" + i + "].destination", true);
                out.add(new MirrorPolicy(t.cluster(), t.host(), t.subset(), t.port(), num, den));
            }
        }
        return out;
    }

    /**
     * {@code translatePercentToFractionalPercent}: Go's {@code uint32(v*10000)} truncates, so 0.57 gives 5699
     * (0.57*10000 is 5699.999... in IEEE doubles), never rounds.
     */
    static int perMillion(double percent) {
        double scaled = percent * 10000;
        if (!(scaled > 0)) {
            return 0;
        }
        return (int) Math.min(1_000_000L, (long) scaled);
    }

    // ---- redirect / direct response ----

    private RedirectAction redirect(HTTPRedirect r, HTTPMatchRequest m, HeaderCompiler.Ops routeOps,
                                    Resource<?> owner, String path, ListenerContext ctx) {
        int code = r.redirectCode() == null || r.redirectCode() == 0 ? 301 : r.redirectCode();
        if (code < 300 || code > 399) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".redirectCode",
                    "redirect code " + code + " (expected: 300..399)");
            return null;
        }
        if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) {
            // ApplyRedirect: "Redirect Code %d is not yet supported" and the route gets no action.
            rep.warn(owner, DiagnosticCodes.INEFFECTIVE, path + ".redirectCode",
                    "Redirect Code " + code + " is not yet supported (use 301, 302, 303, 307 or 308); route dropped");
            return null;
        }
        if (r.uri() != null && r.prefixRewrite() != null) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path, "uri and prefixRewrite cannot both be set");
        }
        if (r.scheme() != null && !r.scheme().equals("http") && !r.scheme().equals("https")) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".scheme",
                    "scheme " + r.scheme() + " (expected: http or https)");
        }
        if (r.port() != null && (r.port() < 1 || r.port() > 65535)) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".port", "port " + r.port() + " (expected: 1..65535)");
        }
        String derive = r.derivePort() == null ? null : r.derivePort().toUpperCase(Locale.ROOT);
        if (derive != null && !derive.equals("FROM_PROTOCOL_DEFAULT") && !derive.equals("FROM_REQUEST_PORT")) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".derivePort",
                    "derivePort " + r.derivePort() + " (expected: FROM_PROTOCOL_DEFAULT or FROM_REQUEST_PORT)");
        }
        int port = r.port() == null ? 0 : r.port().intValue();
        if (port == 0 && "FROM_REQUEST_PORT".equals(derive)) {
            // Envoy cannot derive the port; istiod writes the listener port, as routes are per listener.
            port = ctx.port();
        }
        String matchedPrefix = m != null && m.uri() != null ? m.uri().prefix() : null;
        return new RedirectAction(empty(r.uri()) ? null : r.uri(), r.prefixRewrite(), matchedPrefix,
                empty(r.authority()) ? null : r.authority(), port, derive, r.scheme(), code,
                HeaderCompiler.ops(routeOps.responseStage()));
    }

    private DirectResponseAction directResponse(HTTPDirectResponse d, HeaderCompiler.Ops routeOps, Resource<?> owner,
                                                String path) {
        if (d.status() == null) {
            return null; // reported by the loader
        }
        if (d.status() < 200 || d.status() > 600) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".status",
                    "status " + d.status() + " (expected: 200..600)");
            return null;
        }
        byte[] body = new byte[0];
        if (d.body() != null) {
            if (d.body().string() != null && d.body().bytes() != null) {
                rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".body", "body.string and body.bytes cannot both "
                        + "be set");
            }
            if (d.body().string() != null) {
                body = d.body().string().getBytes(StandardCharsets.UTF_8);
            } else if (d.body().bytes() != null) {
                try {
                    body = base64(d.body().bytes());
                } catch (IllegalArgumentException e) {
                    rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".body.bytes", "not base64: " + e.getMessage());
                    return null;
                }
            }
            if (body.length > 1024 * 1024) {
                rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".body",
                        "body is " + body.length + " bytes (expected: at most 1 MiB)");
                return null;
            }
            if (body.length > 100 * 1024) {
                rep.warn(owner, DiagnosticCodes.INVALID_VALUE, path + ".body",
                        "body is " + body.length + " bytes; Istio warns above 100 KiB");
            }
        }
        return new DirectResponseAction(d.status(), body, HeaderCompiler.ops(routeOps.responseStage()));
    }

    /** protobuf JSON {@code bytes}: standard or URL-safe base64, padding optional, whitespace ignored. */
    static byte[] base64(String text) {
        String s = text.replaceAll("\\s", "");
        while (s.length() % 4 != 0) {
            s = s + "=";
        }
        if (s.indexOf('-') >= 0 || s.indexOf('_') >= 0) {
            return Base64.getUrlDecoder().decode(s);
        }
        return Base64.getDecoder().decode(s);
    }

    // ---- rewrite, retries, fault, CORS ----

    private RewriteConfig rewrite(HTTPRewrite rw, HTTPMatchRequest m, Resource<?> owner, String path) {
        if (rw == null) {
            return null;
        }
        boolean hasUri = !empty(rw.uri());
        boolean hasRegex = rw.uriRegexRewrite() != null;
        String authority = empty(rw.authority()) ? null : rw.authority();
        if (hasUri && hasRegex) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path, "uri and uriRegexRewrite cannot both be set");
            return null;
        }
        if (!hasUri && !hasRegex && authority == null) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path, "rewrite needs uri, uriRegexRewrite or authority");
            return null;
        }
        if (hasRegex) {
            var rr = rw.uriRegexRewrite();
            if (rr.match() == null || rr.rewrite() == null) {
                rep.error(owner, DiagnosticCodes.MISSING_FIELD, path + ".uriRegexRewrite",
                        "uriRegexRewrite needs match and rewrite");
                return null;
            }
            CompiledRegex match = MatchCompiler.regex(rr.match(), owner, path + ".uriRegexRewrite.match", rep, regexes);
            if (match == null) {
                return null;
            }
            return new RewriteConfig(null, null, match.pattern(), replacement(rr.rewrite()), authority);
        }
        if (hasUri && m != null && m.uri() != null && m.uri().regex() != null) {
            // Envoy's regex route treats the whole path as the matched part: prefix_rewrite replaces all of it.
            return new RewriteConfig(null, null, regexes.compile(WHOLE_PATH).pattern(), escape(rw.uri()), authority);
        }
        return new RewriteConfig(hasUri ? rw.uri() : null, MatchCompiler.matchedPrefix(m), null, null, authority);
    }

    /** Envoy's {@code \1} group references to RE2/J's {@code $1}; a literal {@code $} or {@code \} is escaped. */
    static String replacement(String envoy) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < envoy.length(); i++) {
            char c = envoy.charAt(i);
            if (c == '\\' && i + 1 < envoy.length() && Character.isDigit(envoy.charAt(i + 1))) {
                sb.append('$').append(envoy.charAt(++i));
            } else if (c == '\\' && i + 1 < envoy.length() && envoy.charAt(i + 1) == '\\') {
                sb.append("\\\\");
                i++;
            } else if (c == '$' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String escape(String literal) {
        return literal.replace("\\", "\\\\").replace("$", "\\$");
    }

    /** {@code retry.ConvertPolicy}. */
    private RetryConfig retries(HTTPRetry in, boolean hashPolicy, Resource<?> owner, String path) {
        RetryConfig d = RetryConfig.ISTIO_DEFAULT;
        if (in == null) {
            // The previous-hosts predicate is left out when the destination uses consistent hashing.
            return hashPolicy ? new RetryConfig(d.attempts(), d.perTryTimeout(), d.retryOn(), d.retriableStatusCodes(),
                    d.retryRemoteLocalities(), false, d.backoffBase()) : d;
        }
        int attempts = in.attempts() == null ? 0 : in.attempts();
        if (attempts < 0) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".attempts",
                    "attempts " + attempts + " (expected: >= 0)");
            return RetryConfig.NONE;
        }
        var sink = rep.sink();
        Duration perTry = Durations.parse(in.perTryTimeout(), owner, path + ".perTryTimeout", sink);
        Duration backoff = Durations.parse(in.backoff(), owner, path + ".backoff", sink);
        if (attempts == 0) {
            if (in.perTryTimeout() != null || !empty(in.retryOn()) || in.retryRemoteLocalities() != null) {
                rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".attempts", "attempts is 0 (retries disabled) "
                        + "but perTryTimeout, retryOn or retryRemoteLocalities is set; set attempts");
            }
            return RetryConfig.NONE;
        }
        Set<String> retryOn = d.retryOn();
        Set<Integer> codes = Set.of();
        if (!empty(in.retryOn())) {
            Set<String> policies = new LinkedHashSet<>();
            Set<Integer> statuses = new LinkedHashSet<>();
            for (String part : in.retryOn().split(",")) {
                String p = part.strip();
                if (p.isEmpty()) {
                    continue;
                }
                Integer code = null;
                try {
                    code = Integer.parseInt(p);
                } catch (NumberFormatException ignored) {
                    code = null;
                }
                if (code != null && IstioSyntax.HTTP_CODES.contains(code)) {
                    statuses.add(code);
                } else {
                    if (!IstioSyntax.RETRY_ON.contains(p)) {
                        rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".retryOn", "\"" + p
                                + "\" is neither an Envoy retry policy (5xx, gateway-error, connect-failure, ...) nor "
                                + "an HTTP status code");
                    }
                    policies.add(p);
                }
            }
            if (!statuses.isEmpty()) {
                policies.add("retriable-status-codes");
            }
            retryOn = policies;
            codes = statuses;
        }
        boolean ignorePrevious = !hashPolicy;
        if (in.retryIgnorePreviousHosts() != null) {
            ignorePrevious = in.retryIgnorePreviousHosts();
        }
        return new RetryConfig(attempts, perTry == null ? Duration.ZERO : perTry, retryOn, codes,
                Boolean.TRUE.equals(in.retryRemoteLocalities()), ignorePrevious,
                backoff == null || backoff.isZero() ? d.backoffBase() : backoff);
    }

    /** {@code TranslateFault}: per-million shares, truncated; an unset percentage affects no request. */
    private FaultConfig fault(HTTPFaultInjection f, Resource<?> owner, String path) {
        if (f == null) {
            return null;
        }
        if (f.delay() == null && f.abort() == null) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path, "fault needs delay or abort");
            return null;
        }
        Duration delay = null;
        int delayShare = 0;
        if (f.delay() != null) {
            String dp = path + ".delay";
            if (f.delay().exponentialDelay() != null) {
                rep.error(owner, DiagnosticCodes.INVALID_VALUE, dp + ".exponentialDelay",
                        "exponentialDelay is not supported (Istio rejects it)");
            }
            delay = Durations.parse(f.delay().fixedDelay(), owner, dp + ".fixedDelay", rep.sink());
            if (f.delay().fixedDelay() == null && f.delay().exponentialDelay() == null) {
                rep.error(owner, DiagnosticCodes.MISSING_FIELD, dp + ".fixedDelay", "delay needs fixedDelay");
            }
            delayShare = faultShare(f.delay().percentage(), f.delay().percent(), owner, dp);
        }
        int abortStatus = 0;
        String grpc = null;
        int abortShare = 0;
        if (f.abort() != null) {
            String ap = path + ".abort";
            if (f.abort().http2Error() != null) {
                rep.error(owner, DiagnosticCodes.INVALID_VALUE, ap + ".http2Error",
                        "http2Error is not supported (Istio rejects it)");
            }
            if (f.abort().httpStatus() != null) {
                abortStatus = f.abort().httpStatus();
                if (abortStatus < 200 || abortStatus > 600) {
                    rep.error(owner, DiagnosticCodes.INVALID_VALUE, ap + ".httpStatus",
                            "httpStatus " + abortStatus + " (expected: 200..599)");
                }
            } else if (f.abort().grpcStatus() != null) {
                grpc = f.abort().grpcStatus().toUpperCase(Locale.ROOT);
                if (!IstioSyntax.GRPC_STATUS.contains(grpc)) {
                    rep.error(owner, DiagnosticCodes.INVALID_VALUE, ap + ".grpcStatus",
                            "unknown gRPC status " + f.abort().grpcStatus() + " (expected a name such as UNAVAILABLE)");
                }
            } else {
                rep.warn(owner, DiagnosticCodes.INEFFECTIVE, ap, "abort has no httpStatus or grpcStatus; it never "
                        + "aborts");
            }
            abortShare = faultShare(f.abort().percentage(), null, owner, ap);
        }
        return new FaultConfig(delay, delayShare, abortStatus, grpc, abortShare);
    }

    private int faultShare(Percent percentage, Integer percent, Resource<?> owner, String path) {
        if (percentage != null) {
            double v = percentage.value() == null ? 0 : percentage.value();
            if (v != 0 && (v < 0.0001 || v > 100)) {
                rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".percentage.value",
                        "percentage " + v + " (expected: 0, or 0.0001..100)");
            }
            return perMillion(v);
        }
        if (percent != null) {
            if (percent < 0 || percent > 100) {
                rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".percent",
                        "percent " + percent + " (expected: 0..100)");
            }
            return Math.max(0, Math.min(100, percent)) * 10_000;
        }
        return 0;
    }

    /** {@code TranslateCORSPolicy}. */
    private CorsConfig cors(CorsPolicy c, Resource<?> owner, String path) {
        if (c == null) {
            return null;
        }
        List<StringMatcher> origins = new ArrayList<>();
        if (c.allowOrigins() != null) {
            for (int i = 0; i < c.allowOrigins().size(); i++) {
                StringMatch sm = c.allowOrigins().get(i);
                String op = path + ".allowOrigins[" + i + "]";
                if (sm == null || sm.isEmpty()) {
                    rep.error(owner, DiagnosticCodes.INVALID_VALUE, op, "an origin match needs exact, prefix or regex");
                } else if (sm.exact() != null) {
                    origins.add(StringMatchers.exact(sm.exact(), false));
                } else if (sm.prefix() != null) {
                    origins.add(StringMatchers.prefix(sm.prefix(), false));
                } else {
                    CompiledRegex re = MatchCompiler.regex(sm.regex(), owner, op + ".regex", rep, regexes);
                    if (re != null) {
                        origins.add(StringMatchers.regex(re));
                    }
                }
            }
        } else if (c.allowOrigin() != null) {
            for (String o : c.allowOrigin()) {
                origins.add(StringMatchers.exact(o, false));
            }
        }
        if (c.allowMethods() != null) {
            for (int i = 0; i < c.allowMethods().size(); i++) {
                String m = c.allowMethods().get(i);
                if (m == null || !IstioSyntax.CORS_METHODS.contains(m)) {
                    rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".allowMethods[" + i + "]",
                            "unsupported method " + m);
                }
            }
        }
        long maxAge = -1;
        if (c.maxAge() != null) {
            Duration d = Durations.parse(c.maxAge(), owner, path + ".maxAge", rep.sink());
            if (d != null) {
                if (d.getNano() != 0 || d.isZero()) {
                    rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".maxAge",
                            "maxAge " + c.maxAge() + " (expected: a whole number of seconds, at least 1s)");
                }
                maxAge = d.getSeconds();
            }
        }
        String unmatched = c.unmatchedPreflights() == null ? "FORWARD" : c.unmatchedPreflights().toUpperCase(Locale.ROOT);
        if (!unmatched.equals("FORWARD") && !unmatched.equals("IGNORE") && !unmatched.equals("UNSPECIFIED")) {
            rep.error(owner, DiagnosticCodes.INVALID_VALUE, path + ".unmatchedPreflights",
                    "unmatchedPreflights " + c.unmatchedPreflights() + " (expected: FORWARD or IGNORE)");
        }
        return new CorsConfig(origins, join(c.allowMethods()), join(c.allowHeaders()), join(c.exposeHeaders()), maxAge,
                c.allowCredentials(), !unmatched.equals("IGNORE"));
    }

    private static String join(List<String> l) {
        return l == null || l.isEmpty() ? null : String.join(",", l);
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}

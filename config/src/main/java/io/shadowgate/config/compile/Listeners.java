package io.shadowgate.config.compile;

import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.internal.IstioSyntax;
import io.shadowgate.config.model.Gateway;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.Server;
import io.shadowgate.config.model.ServicePort;
import io.shadowgate.config.model.VirtualService;
import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.config.snapshot.RedirectAction;
import io.shadowgate.config.snapshot.RequestMatcher;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteOrigin;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import io.shadowgate.config.snapshot.WeightedDestination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Listener assembly.
 *
 * <p><b>Gateway mode</b> (at least one Gateway resource): one listener per distinct port of an HTTP, HTTP2, GRPC or
 * GRPC-WEB server (HTTPS/TLS/TCP servers are skipped: no TLS termination yet). A VirtualService is served on a server
 * when its {@code gateways} names the server's Gateway ({@code ns/name}, or {@code name} in the VirtualService's
 * namespace) and one of its hosts intersects one of the server's {@code [ns/]host} entries (wildcards either way;
 * the namespace part must be the VirtualService's unless {@code *} or absent). Each intersection is one virtual host;
 * several VirtualServices for one host are merged in resource order. A server with {@code tls.httpsRedirect}
 * answers every request on its hosts with a 301 to https, as Envoy's {@code require_tls} does.
 *
 * <p><b>Mesh mode</b> (no Gateway resources): one listener on the default address serving every VirtualService
 * whose {@code gateways} is empty or contains {@code mesh}, plus Istio's sidecar default route (everything to the
 * unsubsetted cluster) for every ServiceEntry host no VirtualService claims. Virtual hosts of
 * {@code name.ns.svc.<suffix>} hosts also answer to {@code name}, {@code name.ns} and {@code name.ns.svc}.
 */
final class Listeners {

    static final String MESH = "mesh";
    private static final Set<String> HTTP_PROTOCOLS = Set.of("HTTP", "HTTP2", "GRPC", "GRPC-WEB");

    /** A root VirtualService with its rules after delegation. */
    record Root(Resource<VirtualService> vs, List<String> hosts, List<Delegation.FlatRule> rules) {
    }

    private record ServerRef(Resource<Gateway> gateway, int index, Server server, String key) {
    }

    private static final class VhostBuilder {
        final String host;
        final List<String> domains = new ArrayList<>();
        final List<RouteConfig> routes = new ArrayList<>();
        final Set<String> contributors = new HashSet<>();
        ServerRef httpsRedirect;

        VhostBuilder(String host) {
            this.host = host;
            domains.add(host);
        }
    }

    private Listeners() {
    }

    /** istiod's {@code resolveGatewayName}: {@code name} and {@code ./name} get the namespace; {@code name.ns} is legacy. */
    static String resolveGatewayName(String g, String namespace) {
        return g.equals(MESH) ? g : IstioSyntax.resolveGatewayName(g, namespace);
    }

    /** The resolved gateway names of a VirtualService; absent means {@code mesh}. */
    static List<String> gatewaysOf(Resource<VirtualService> vs) {
        List<String> gs = vs.spec().gateways();
        if (gs == null || gs.isEmpty()) {
            return List.of(MESH);
        }
        List<String> out = new ArrayList<>();
        for (String g : gs) {
            if (g != null) {
                out.add(resolveGatewayName(g, vs.namespace()));
            }
        }
        return out;
    }

    // ---- gateway mode ----

    static List<ListenerConfig> gatewayMode(List<Resource<Gateway>> gateways, List<Root> roots, RouteCompiler rc,
                                            String defaultHost, Reporter rep) {
        Map<Integer, List<ServerRef>> byPort = new LinkedHashMap<>();
        Map<String, Resource<Gateway>> known = new HashMap<>();
        Set<String> httpGateways = new HashSet<>();
        List<String> skipped = new ArrayList<>();
        for (Resource<Gateway> g : gateways) {
            known.put(g.key(), g);
            List<Server> servers = g.spec().servers() == null ? List.of() : g.spec().servers();
            for (int i = 0; i < servers.size(); i++) {
                Server s = servers.get(i);
                String sp = "spec.servers[" + i + "]";
                if (s == null || s.port() == null || s.port().number() == null) {
                    continue; // reported by the loader
                }
                long number = s.port().number();
                if (number < 1 || number > 65535) {
                    rep.error(g, DiagnosticCodes.INVALID_VALUE, sp + ".port.number",
                            "port " + number + " (expected: 1..65535)");
                    continue;
                }
                if (s.hosts() == null || s.hosts().isEmpty()) {
                    rep.error(g, DiagnosticCodes.MISSING_FIELD, sp + ".hosts", "a server needs at least one host");
                    continue;
                }
                if (s.port().protocol() == null) {
                    rep.error(g, DiagnosticCodes.MISSING_FIELD, sp + ".port.protocol", "a server port needs a protocol");
                    continue;
                }
                String protocol = s.port().protocol().toUpperCase(Locale.ROOT);
                // A warning, not an info: an Istio user expects the port to answer, and it will refuse connections.
                if (protocol.equals("HTTPS") || protocol.equals("TLS")) {
                    rep.warn(g, DiagnosticCodes.UNSUPPORTED, sp + ".port.protocol", "port " + number + " (" + protocol
                            + ") is not served: TLS termination is not supported yet, so connections to port "
                            + number + " are refused; terminate TLS in front of Shadowgate and use an HTTP server");
                    skipped.add(number + " (" + protocol + ")");
                    continue;
                }
                if (!HTTP_PROTOCOLS.contains(protocol)) {
                    rep.warn(g, DiagnosticCodes.UNSUPPORTED, sp + ".port.protocol", "port " + number + " ("
                            + protocol + ") is not served: Shadowgate serves HTTP only, so connections to port "
                            + number + " are refused");
                    skipped.add(number + " (" + protocol + ")");
                    continue;
                }
                if (protocol.equals("GRPC")) {
                    rep.warn(g, DiagnosticCodes.UNSUPPORTED, sp + ".port.protocol", "port " + number + " (GRPC) "
                            + "serves HTTP/1.1 only: HTTP/2 is not supported yet, so gRPC clients are refused "
                            + "(answered 505 and counted in shadowgate_downstream_rejected_total{reason=\"http2\"})");
                }
                byPort.computeIfAbsent((int) number, k -> new ArrayList<>()).add(new ServerRef(g, i, s, g.key()));
                httpGateways.add(g.key());
            }
        }
        if (byPort.isEmpty() && !skipped.isEmpty()) {
            // Served, this configuration would listen on nothing and answer no request: refuse it.
            rep.error(gateways.get(0), DiagnosticCodes.NOTHING_SERVED, "spec.servers", "no Gateway server can be "
                    + "served (" + String.join(", ", skipped) + "), so Shadowgate would listen on no port; add a "
                    + "server with protocol HTTP, HTTP2, GRPC or GRPC-WEB");
        }
        // Which (VirtualService, gateway) pairs found a host: the others get IST0132.
        Set<String> matchedPairs = new HashSet<>();
        for (Root root : roots) {
            List<String> gs = gatewaysOf(root.vs());
            List<String> declared = root.vs().spec().gateways() == null ? List.of() : root.vs().spec().gateways();
            for (int i = 0; i < gs.size(); i++) {
                String g = gs.get(i);
                if (!g.equals(MESH) && !known.containsKey(g)) {
                    rep.warn(root.vs(), DiagnosticCodes.REFERENCED_RESOURCE_NOT_FOUND,
                            declared.isEmpty() ? "spec.gateways" : "spec.gateways[" + i + "]",
                            "gateway " + g + " not found; the VirtualService is not served there");
                }
            }
            if (gs.size() == 1 && gs.get(0).equals(MESH)) {
                rep.info(root.vs(), DiagnosticCodes.UNSUPPORTED, "spec.gateways", "the VirtualService applies to mesh "
                        + "sidecars only; with Gateway resources present Shadowgate serves Gateway listeners only");
            }
        }
        List<ListenerConfig> out = new ArrayList<>();
        for (Map.Entry<Integer, List<ServerRef>> e : byPort.entrySet()) {
            int port = e.getKey();
            List<ServerRef> refs = e.getValue();
            String bind = null;
            for (ServerRef ref : refs) {
                String b = ref.server().bind() == null || ref.server().bind().isEmpty() ? defaultHost
                        : ref.server().bind();
                if (bind == null) {
                    bind = b;
                } else if (!bind.equals(b)) {
                    rep.warn(ref.gateway(), DiagnosticCodes.INEFFECTIVE, "spec.servers[" + ref.index() + "].bind",
                            "port " + port + " is already bound to " + bind + "; bind " + b + " ignored");
                }
            }
            Set<String> gatewayKeys = new LinkedHashSet<>();
            refs.forEach(r -> gatewayKeys.add(r.key()));
            Map<String, VhostBuilder> vhosts = new LinkedHashMap<>();
            for (Root root : roots) {
                List<String> gs = gatewaysOf(root.vs());
                Map<String, List<RouteConfig>> compiled = new HashMap<>();
                for (ServerRef ref : refs) {
                    if (!gs.contains(ref.key())) {
                        continue;
                    }
                    for (String h : root.hosts()) {
                        for (String sh : ref.server().hosts()) {
                            String inter = serverHostIntersection(sh, h, root.vs().namespace(),
                                    ref.gateway().namespace());
                            if (inter == null) {
                                continue;
                            }
                            matchedPairs.add(root.vs().key() + "|" + ref.key());
                            VhostBuilder vb = vhosts.computeIfAbsent(inter, VhostBuilder::new);
                            if (Boolean.TRUE.equals(ref.server().tls() == null ? null
                                    : ref.server().tls().httpsRedirect())) {
                                if (vb.httpsRedirect == null) {
                                    vb.httpsRedirect = ref;
                                }
                                continue;
                            }
                            if (!vb.contributors.add(root.vs().key())) {
                                continue;
                            }
                            List<RouteConfig> routes = compiled.computeIfAbsent(ref.key(), k -> rc.compile(root.vs(),
                                    root.rules(), new RouteCompiler.ListenerContext(port, k,
                                            ref.gateway().spec().selector() == null ? Map.of()
                                                    : ref.gateway().spec().selector(),
                                            ref.gateway().namespace())));
                            vb.routes.addAll(routes);
                        }
                    }
                }
            }
            List<VirtualHostConfig> vhs = new ArrayList<>();
            for (VhostBuilder vb : vhosts.values()) {
                List<RouteConfig> routes = vb.httpsRedirect != null ? List.of(httpsRedirect(vb.httpsRedirect))
                        : vb.routes;
                vhs.add(new VirtualHostConfig(vb.host + ":" + port, vb.domains, routes));
            }
            out.add(new ListenerConfig(bind + "_" + port, bind, port, List.copyOf(gatewayKeys), new RouteTable(vhs)));
        }
        for (Root root : roots) {
            for (String g : gatewaysOf(root.vs())) {
                if (httpGateways.contains(g) && !matchedPairs.contains(root.vs().key() + "|" + g)) {
                    rep.warn(root.vs(), DiagnosticCodes.HOST_NOT_FOUND_IN_GATEWAY, "spec.hosts", "none of the hosts "
                            + root.hosts() + " matches a host of an HTTP server of gateway " + g);
                }
            }
        }
        return out;
    }

    /**
     * The virtual-host name for VirtualService host {@code vsHost} on server host {@code serverHost}
     * ({@code [ns/]host}), or {@code null} when the server does not accept it.
     */
    static String serverHostIntersection(String serverHost, String vsHost, String vsNamespace, String gwNamespace) {
        String ns = null;
        String host = serverHost;
        int slash = serverHost.indexOf('/');
        if (slash >= 0) {
            ns = serverHost.substring(0, slash);
            host = serverHost.substring(slash + 1);
            if (ns.equals(".")) {
                ns = gwNamespace;
            }
        }
        if (ns != null && !ns.equals("*") && !ns.equals(vsNamespace)) {
            return null;
        }
        return Hosts.intersection(vsHost, host.toLowerCase(Locale.ROOT));
    }

    private static RouteConfig httpsRedirect(ServerRef ref) {
        Resource<Gateway> g = ref.gateway();
        String path = "spec.servers[" + ref.index() + "].tls.httpsRedirect";
        RouteOrigin origin = new RouteOrigin(g.namespace(), g.name(), -1, -1, null, g.file(),
                g.locations().at(path).line());
        return new RouteConfig("https-redirect", origin, RequestMatcher.ANY,
                new RedirectAction(null, null, null, null, 0, null, "https", 301, HeaderOps.NONE), null);
    }

    // ---- mesh mode ----

    static ListenerConfig meshMode(List<Root> roots, ServiceRegistry registry, Map<String, ClusterConfig> clusters,
                                   RouteCompiler rc, String host, int port, String domainSuffix, Reporter rep) {
        Map<String, VhostBuilder> vhosts = new LinkedHashMap<>();
        RouteCompiler.ListenerContext ctx = RouteCompiler.ListenerContext.mesh(port);
        List<String> claimed = new ArrayList<>();
        for (Root root : roots) {
            List<String> gs = gatewaysOf(root.vs());
            if (!gs.contains(MESH)) {
                rep.info(root.vs(), DiagnosticCodes.UNSUPPORTED, "spec.gateways", "the VirtualService is bound to "
                        + "gateways " + gs + " only, and there are no Gateway resources; it is not served");
                continue;
            }
            List<RouteConfig> routes = rc.compile(root.vs(), root.rules(), ctx);
            for (String h : root.hosts()) {
                claimed.add(h);
                VhostBuilder vb = vhosts.computeIfAbsent(h, k -> {
                    VhostBuilder b = new VhostBuilder(k);
                    b.domains.addAll(Hosts.shortForms(k, domainSuffix));
                    return b;
                });
                if (vb.contributors.add(root.vs().key())) {
                    vb.routes.addAll(routes);
                }
            }
        }
        for (ServiceRegistry.Service svc : registry.all()) {
            boolean isClaimed = false;
            for (String c : claimed) {
                if (IstioSyntax.hostsOverlap(c, svc.host)) {
                    isClaimed = true;
                    break;
                }
            }
            if (isClaimed || vhosts.containsKey(svc.host)) {
                continue;
            }
            ServicePort chosen = defaultPort(svc, port);
            if (chosen == null) {
                continue;
            }
            VhostBuilder vb = new VhostBuilder(svc.host);
            vb.domains.addAll(Hosts.shortForms(svc.host, domainSuffix));
            vb.routes.add(defaultRoute(svc, chosen, clusters));
            vhosts.put(svc.host, vb);
        }
        List<VirtualHostConfig> vhs = new ArrayList<>();
        for (VhostBuilder vb : vhosts.values()) {
            vhs.add(new VirtualHostConfig(vb.host + ":" + port, vb.domains, vb.routes));
        }
        return new ListenerConfig(host + "_" + port, host, port, List.of(), new RouteTable(vhs));
    }

    /** The listener port if the service has it, else its only port, else its first; HTTP-capable ports only. */
    private static ServicePort defaultPort(ServiceRegistry.Service svc, int listenerPort) {
        List<ServicePort> http = new ArrayList<>();
        for (ServicePort p : svc.ports) {
            String proto = p.protocol() == null ? null : p.protocol().toUpperCase(Locale.ROOT);
            if (proto == null || HTTP_PROTOCOLS.contains(proto) || proto.equals("HTTP_PROXY")) {
                http.add(p);
            }
        }
        if (http.isEmpty()) {
            return null;
        }
        for (ServicePort p : http) {
            if (p.number() == listenerPort) {
                return p;
            }
        }
        return http.get(0);
    }

    /** Istio's sidecar default route: a catch-all to the unsubsetted cluster with the mesh default retries. */
    private static RouteConfig defaultRoute(ServiceRegistry.Service svc, ServicePort p,
                                            Map<String, ClusterConfig> clusters) {
        int port = p.number().intValue();
        String cluster = ClusterConfig.nameOf(svc.host, port, null);
        ClusterConfig cc = clusters.get(cluster);
        RetryConfig retries = RetryConfig.ISTIO_DEFAULT;
        if (cc != null && cc.loadBalancer().hash() != null) {
            retries = new RetryConfig(retries.attempts(), retries.perTryTimeout(), retries.retryOn(),
                    retries.retriableStatusCodes(), retries.retryRemoteLocalities(), false, retries.backoffBase());
        }
        WeightedDestination d = new WeightedDestination(cluster, svc.host, null, port, 1, HeaderOps.NONE,
                HeaderOps.NONE, null);
        ForwardAction action = new ForwardAction(List.of(d), 1, null, Duration.ZERO, retries, null, List.of(),
                MirrorOptions.DEFAULTS, null);
        Resource<?> se = svc.source;
        RouteOrigin origin = new RouteOrigin(se.namespace(), se.name(), -1, -1, null, se.file(), se.location().line());
        return new RouteConfig("default", origin, RequestMatcher.ANY, action, null);
    }
}

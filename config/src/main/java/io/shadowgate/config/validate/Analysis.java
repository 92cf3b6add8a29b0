package io.shadowgate.config.validate;

import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.internal.IstioSyntax;
import io.shadowgate.config.model.Destination;
import io.shadowgate.config.model.DestinationRule;
import io.shadowgate.config.model.Gateway;
import io.shadowgate.config.model.HTTPMirrorPolicy;
import io.shadowgate.config.model.HTTPRoute;
import io.shadowgate.config.model.HTTPRouteDestination;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.Server;
import io.shadowgate.config.model.ServiceEntry;
import io.shadowgate.config.model.ServicePort;
import io.shadowgate.config.model.Subset;
import io.shadowgate.config.model.VirtualService;
import io.shadowgate.config.model.WorkloadEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Cross-resource analysis, as {@code istioctl analyze} does it, with its message codes: destinations and mirrors
 * whose host, port or subset does not exist (IST0101), a port selector missing for a multi-port host (IST0112),
 * missing Gateways and delegates (IST0101), VirtualService hosts no server of their Gateway accepts (IST0132), mesh
 * VirtualServices claiming the same host (IST0109), conflicting Gateways (IST0145), subsets that select no endpoint
 * (IST0173), and subsets defined twice for one host (SG0013).
 *
 * <p>Each finding has the level {@code istioctl analyze} gives its code ({@link DiagnosticCodes#severity}): IST0101,
 * IST0109, IST0112, IST0145 and IST0173 are errors and reject the configuration (istiod would serve it, and every
 * request to a missing subset would get 503 NC: rejecting keeps the last good configuration serving instead);
 * IST0132 and SG0013 are warnings. Hosts are resolved as the compiler resolves them: short names against the resource's namespace,
 * ServiceEntry hosts literally.
 */
final class Analysis {

    /** A host of the registry with its ports and the labels of its endpoints. */
    private static final class Service {
        final String host;
        final Resource<?> source;
        final Map<Long, ServicePort> ports = new LinkedHashMap<>();
        final List<Map<String, String>> endpointLabels = new ArrayList<>();

        Service(String host, Resource<?> source) {
            this.host = host;
            this.source = source;
        }
    }

    /** The subsets one host gets from its DestinationRules (merged; duplicates dropped). */
    private static final class Rules {
        final String host;
        final Resource<DestinationRule> first;
        final Map<String, Resource<DestinationRule>> subsets = new LinkedHashMap<>();

        Rules(String host, Resource<DestinationRule> first) {
            this.host = host;
            this.first = first;
        }
    }

    private final String suffix;
    private final Sink sink;
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, Rules> rules = new LinkedHashMap<>();
    private final Map<String, Resource<Gateway>> gateways = new LinkedHashMap<>();
    private final Map<String, Resource<VirtualService>> virtualServices = new LinkedHashMap<>();

    private Analysis(String suffix, Sink sink) {
        this.suffix = suffix;
        this.sink = sink;
    }

    static void run(List<Resource<VirtualService>> vss, List<Resource<DestinationRule>> drs,
                    List<Resource<ServiceEntry>> ses, List<Resource<WorkloadEntry>> wes,
                    List<Resource<Gateway>> gws, String domainSuffix, Sink sink) {
        Analysis a = new Analysis(domainSuffix, sink);
        for (Resource<ServiceEntry> se : ses) {
            a.addService(se, wes);
        }
        for (Resource<DestinationRule> dr : drs) {
            a.addRule(dr);
        }
        for (Resource<Gateway> g : gws) {
            a.gateways.put(g.key(), g);
        }
        for (Resource<VirtualService> vs : vss) {
            a.virtualServices.put(vs.key(), vs);
        }
        for (Resource<VirtualService> vs : vss) {
            a.destinations(vs);
            a.gatewayRefs(vs);
        }
        a.meshHostConflicts(vss);
        a.gatewayConflicts(gws);
        a.subsetsWithoutEndpoints(drs);
    }

    // ---- registry ----

    private void addService(Resource<ServiceEntry> r, List<Resource<WorkloadEntry>> wes) {
        ServiceEntry se = r.spec();
        if (se.hosts() == null) {
            return;
        }
        String resolution = se.resolution() == null ? "NONE" : se.resolution().toUpperCase(Locale.ROOT);
        boolean inline = se.endpoints() != null && !se.endpoints().isEmpty();
        List<Map<String, String>> labels = new ArrayList<>();
        if (inline) {
            for (WorkloadEntry e : se.endpoints()) {
                if (e != null && e.address() != null && !e.address().isBlank()) {
                    labels.add(e.labels() == null ? Map.of() : e.labels());
                }
            }
        } else if (se.workloadSelector() != null) {
            Map<String, String> selector = se.workloadSelector().labels() == null ? Map.of()
                    : se.workloadSelector().labels();
            for (Resource<WorkloadEntry> w : wes) {
                Map<String, String> l = w.spec().labels() == null ? Map.of() : w.spec().labels();
                if (w.namespace().equals(r.namespace()) && w.spec().address() != null
                        && l.entrySet().containsAll(selector.entrySet())) {
                    labels.add(l);
                }
            }
        }
        for (String h : se.hosts()) {
            if (h == null || h.isEmpty() || h.equals("*")) {
                continue;
            }
            String host = h.toLowerCase(Locale.ROOT);
            Service s = services.computeIfAbsent(host, k -> new Service(k, r));
            if (se.ports() != null) {
                for (ServicePort p : se.ports()) {
                    if (p != null && p.number() != null && p.number() >= 1 && p.number() <= 65535) {
                        s.ports.putIfAbsent(p.number(), p);
                    }
                }
            }
            s.endpointLabels.addAll(labels);
            if (!inline && se.workloadSelector() == null && !resolution.equals("STATIC") && !IstioSyntax.isWildcardHost(host)) {
                s.endpointLabels.add(Map.of()); // the host itself is resolved: an endpoint without labels
            }
        }
    }

    private void addRule(Resource<DestinationRule> r) {
        DestinationRule dr = r.spec();
        if (dr.host() == null || dr.host().isBlank() || dr.workloadSelector() != null) {
            return; // a workloadSelector rule applies to selected workloads only (the compiler ignores it)
        }
        String host = Names.resolve(dr.host(), r.namespace(), suffix);
        Rules m = rules.computeIfAbsent(host, k -> new Rules(k, r));
        List<Subset> subsets = dr.subsets() == null ? List.of() : dr.subsets();
        List<String> own = new ArrayList<>();
        for (int i = 0; i < subsets.size(); i++) {
            Subset s = subsets.get(i);
            if (s == null || s.name() == null || own.contains(s.name())) {
                continue; // a duplicate within one rule is a validation error
            }
            own.add(s.name());
            Resource<DestinationRule> previous = m.subsets.get(s.name());
            if (previous != null && previous != r) {
                sink.report(r, DiagnosticCodes.DUPLICATE, "spec.subsets[" + i + "].name", "subset " + s.name()
                        + " of " + host + " is already defined by DestinationRule " + previous.key() + " ("
                        + previous.location() + "); this one is ignored: remove it or rename it");
                continue;
            }
            m.subsets.put(s.name(), r);
        }
    }

    /** {@code forHost}: the rule for the exact host, else the most specific wildcard rule covering it. */
    private Rules rulesFor(String host) {
        Rules exact = rules.get(host);
        if (exact != null) {
            return exact;
        }
        Rules best = null;
        for (Rules m : rules.values()) {
            if (IstioSyntax.isWildcardHost(m.host) && IstioSyntax.hostSubsetOf(host, m.host)
                    && (best == null || m.host.length() > best.host.length())) {
                best = m;
            }
        }
        return best;
    }

    // ---- destinations and mirrors ----

    private void destinations(Resource<VirtualService> vs) {
        List<HTTPRoute> http = vs.spec().http() == null ? List.of() : vs.spec().http();
        for (int i = 0; i < http.size(); i++) {
            HTTPRoute rule = http.get(i);
            if (rule == null) {
                continue;
            }
            String path = "spec.http[" + i + "]";
            if (rule.route() != null) {
                for (int j = 0; j < rule.route().size(); j++) {
                    HTTPRouteDestination d = rule.route().get(j);
                    if (d != null && d.destination() != null) {
                        target(vs, d.destination(), path + ".route[" + j + "].destination", false);
                    }
                }
            }
            if (rule.mirror() != null) {
                target(vs, rule.mirror(), path + ".mirror", true);
            }
            if (rule.mirrors() != null) {
                for (int k = 0; k < rule.mirrors().size(); k++) {
                    HTTPMirrorPolicy m = rule.mirrors().get(k);
                    if (m != null && m.destination() != null) {
                        target(vs, m.destination(), path + ".mirrors[" + k + "].destination", true);
                    }
                }
            }
            if (rule.delegate() != null && rule.delegate().name() != null && !rule.delegate().name().isEmpty()) {
                String ns = rule.delegate().namespace() == null || rule.delegate().namespace().isEmpty()
                        ? vs.namespace() : rule.delegate().namespace();
                String key = ns + "/" + rule.delegate().name();
                Resource<VirtualService> d = virtualServices.get(key);
                if (d == null) {
                    sink.report(vs, DiagnosticCodes.REFERENCED_RESOURCE_NOT_FOUND, path + ".delegate",
                            "delegate VirtualService " + key + " not found; this rule is skipped. Create it, or fix "
                                    + "delegate.name/namespace");
                } else if (d.spec().hosts() != null && !d.spec().hosts().isEmpty()) {
                    sink.report(vs, DiagnosticCodes.REFERENCED_RESOURCE_NOT_FOUND, path + ".delegate",
                            "delegate VirtualService " + key + " is not a delegate (it has hosts); this rule is "
                                    + "skipped. Remove its hosts, or route here directly");
                }
            }
        }
    }

    private void target(Resource<VirtualService> vs, Destination d, String path, boolean mirror) {
        if (d.host() == null || d.host().isEmpty() || Names.wildcardDomain(d.host()) != null
                || d.host().equals("*")) {
            return; // reported by the loader or the validation rules
        }
        String what = mirror ? "mirror host" : "host";
        String consequence = mirror ? "mirrored copies to it are dropped" : "requests to it get 503 (NC)";
        String host = Names.resolve(d.host(), vs.namespace(), suffix);
        Service svc = services.get(host);
        if (svc == null) {
            sink.report(vs, DiagnosticCodes.REFERENCED_RESOURCE_NOT_FOUND, path + ".host", "Referenced " + what
                    + " not found: " + Names.quote(host) + " is not declared by any ServiceEntry, so "
                    + consequence + "; declare it in a ServiceEntry" + shortNameHint(host, d.host()));
            return;
        }
        if (d.port() != null && d.port().number() != null) {
            if (d.port().number() < 1 || d.port().number() > 65535) {
                return; // a validation error
            }
            if (!svc.ports.containsKey(d.port().number())) {
                sink.report(vs, DiagnosticCodes.REFERENCED_RESOURCE_NOT_FOUND, path + ".port", "Referenced port not "
                        + "found: host " + host + " has no port " + d.port().number() + " (ports: " + ports(svc)
                        + "), so " + consequence + "; use one of its ports");
                return;
            }
        } else if (svc.ports.size() > 1) {
            sink.report(vs, DiagnosticCodes.PORT_SELECTOR_REQUIRED, path, "host " + host + " has several ports ("
                    + ports(svc) + "); add port: {number: N} to this destination (without it the listener port is "
                    + "used, and a listener port the host does not have gets " + (mirror ? "the mirror dropped)"
                    : "503 NC)"));
        }
        String subset = d.subset();
        if (subset != null && !subset.isEmpty()) {
            Rules r = rulesFor(host);
            if (r == null || !r.subsets.containsKey(subset)) {
                String where = r == null ? "no DestinationRule exists for host " + host
                        : "DestinationRule " + r.first.key() + " for " + r.host + " defines " + (r.subsets.isEmpty()
                        ? "no subsets" : "only " + String.join(", ", r.subsets.keySet()));
                sink.report(vs, DiagnosticCodes.REFERENCED_RESOURCE_NOT_FOUND, path + ".subset", "Referenced "
                        + (mirror ? "mirror+subset in destinationrule" : "host+subset in destinationrule")
                        + " not found: " + Names.quote(host + "+" + subset) + " (" + where + "), so " + consequence
                        + "; define subset " + subset + " in a DestinationRule for " + host);
            }
        }
    }

    private String shortNameHint(String fqdn, String written) {
        String svcSuffix = ".svc." + suffix;
        if (fqdn.endsWith(svcSuffix)) {
            String shortName = fqdn.substring(0, fqdn.indexOf('.'));
            if (services.containsKey(shortName)) {
                return " (" + written + " resolves to " + fqdn + ", but ServiceEntry hosts are taken literally: declare "
                        + fqdn + " in the ServiceEntry, or use the full name)";
            }
        }
        return "";
    }

    private static String ports(Service svc) {
        return svc.ports.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    // ---- gateways ----

    /** istiod's {@code resolveGatewayName}. */
    static String resolveGateway(String g, String namespace) {
        return IstioSyntax.resolveGatewayName(g, namespace);
    }

    private void gatewayRefs(Resource<VirtualService> vs) {
        List<String> gs = vs.spec().gateways();
        if (gs == null || vs.spec().hosts() == null || vs.spec().hosts().isEmpty()) {
            return;
        }
        List<String> hosts = new ArrayList<>();
        for (String h : vs.spec().hosts()) {
            if (h != null && !h.isEmpty()) {
                hosts.add(Names.resolve(h, vs.namespace(), suffix));
            }
        }
        for (int i = 0; i < gs.size(); i++) {
            String g = gs.get(i);
            if (g == null || g.equals("mesh") || VirtualServiceRules.gatewayNameProblem(g) != null) {
                continue; // an invalid name is a validation error
            }
            String key = resolveGateway(g, vs.namespace());
            Resource<Gateway> gw = gateways.get(key);
            if (gw == null) {
                sink.report(vs, DiagnosticCodes.REFERENCED_RESOURCE_NOT_FOUND, "spec.gateways[" + i + "]",
                        "Referenced gateway not found: " + Names.quote(key) + "; the VirtualService is not served "
                                + "there. Create the Gateway, or fix the name (<namespace>/<name>)");
                continue;
            }
            List<String> missing = new ArrayList<>();
            for (String h : hosts) {
                if (!acceptedBy(gw, h, vs.namespace())) {
                    missing.add(h);
                }
            }
            if (!hosts.isEmpty() && missing.size() == hosts.size()) {
                sink.report(vs, DiagnosticCodes.HOST_NOT_FOUND_IN_GATEWAY, "spec.hosts", "one or more host " + missing
                        + " defined in VirtualService " + vs.key() + " not found in Gateway " + key + " (its "
                        + "servers accept " + serverHosts(gw) + "); add the host to a server of the Gateway, or "
                        + "change the VirtualService's hosts");
            }
        }
    }

    /** Whether a server of {@code gw} accepts VirtualService host {@code host} of namespace {@code ns}. */
    private static boolean acceptedBy(Resource<Gateway> gw, String host, String ns) {
        for (Server s : servers(gw)) {
            if (s == null || s.hosts() == null) {
                continue;
            }
            for (String sh : s.hosts()) {
                if (sh == null) {
                    continue;
                }
                String serverNs = null;
                String serverHost = sh;
                int slash = sh.indexOf('/');
                if (slash >= 0) {
                    serverNs = sh.substring(0, slash);
                    serverHost = sh.substring(slash + 1);
                    if (serverNs.equals(".")) {
                        serverNs = gw.namespace();
                    }
                }
                if (serverNs != null && !serverNs.equals("*") && !serverNs.equals(ns)) {
                    continue;
                }
                String h = serverHost.toLowerCase(Locale.ROOT);
                if (IstioSyntax.hostSubsetOf(host, h) || IstioSyntax.hostSubsetOf(h, host)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<Server> servers(Resource<Gateway> gw) {
        return gw.spec().servers() == null ? List.of() : gw.spec().servers();
    }

    private static List<String> serverHosts(Resource<Gateway> gw) {
        List<String> out = new ArrayList<>();
        for (Server s : servers(gw)) {
            if (s != null && s.hosts() != null) {
                s.hosts().stream().filter(Objects::nonNull).filter(h -> !out.contains(h)).forEach(out::add);
            }
        }
        return out;
    }

    private void gatewayConflicts(List<Resource<Gateway>> gws) {
        for (int a = 0; a < gws.size(); a++) {
            for (int b = a + 1; b < gws.size(); b++) {
                Resource<Gateway> first = gws.get(a);
                Resource<Gateway> second = gws.get(b);
                Map<String, String> s1 = first.spec().selector() == null ? Map.of() : first.spec().selector();
                Map<String, String> s2 = second.spec().selector() == null ? Map.of() : second.spec().selector();
                if (!s1.equals(s2)) {
                    continue;
                }
                List<Server> later = servers(second);
                for (int i = 0; i < later.size(); i++) {
                    String conflict = conflict(later.get(i), servers(first));
                    if (conflict != null) {
                        sink.report(second, DiagnosticCodes.CONFLICTING_GATEWAYS, "spec.servers[" + i + "]",
                                "Conflict with gateways " + first.key() + " (workload selector " + new TreeMap<>(s1)
                                        + ", " + conflict + "); give the servers different ports or hosts, or merge "
                                        + "the Gateways");
                    }
                }
            }
        }
    }

    private static String conflict(Server s, List<Server> others) {
        if (s == null || s.port() == null || s.port().number() == null || s.hosts() == null) {
            return null;
        }
        for (Server o : others) {
            if (o == null || o.port() == null || !s.port().number().equals(o.port().number()) || o.hosts() == null) {
                continue;
            }
            for (String h1 : s.hosts()) {
                for (String h2 : o.hosts()) {
                    if (h1 == null || h2 == null) {
                        continue;
                    }
                    String a = hostPart(h1);
                    String b = hostPart(h2);
                    if (IstioSyntax.hostsOverlap(a, b)) {
                        return "port " + s.port().number() + ", hosts " + h1 + " and " + h2;
                    }
                }
            }
        }
        return null;
    }

    private static String hostPart(String serverHost) {
        int slash = serverHost.indexOf('/');
        return (slash < 0 ? serverHost : serverHost.substring(slash + 1)).toLowerCase(Locale.ROOT);
    }

    // ---- VirtualServices bound to the mesh ----

    private void meshHostConflicts(List<Resource<VirtualService>> vss) {
        Map<String, Resource<VirtualService>> claimed = new LinkedHashMap<>();
        for (Resource<VirtualService> vs : vss) {
            List<String> hosts = vs.spec().hosts();
            List<String> gs = vs.spec().gateways();
            boolean mesh = gs == null || gs.isEmpty() || gs.contains("mesh");
            if (hosts == null || hosts.isEmpty() || !mesh) {
                continue;
            }
            for (int i = 0; i < hosts.size(); i++) {
                String h = hosts.get(i);
                if (h == null || h.isEmpty()) {
                    continue;
                }
                String host = Names.resolve(h, vs.namespace(), suffix);
                Resource<VirtualService> other = claimed.putIfAbsent(host, vs);
                if (other != null && other != vs) {
                    sink.report(vs, DiagnosticCodes.CONFLICTING_MESH_GATEWAY_HOSTS, "spec.hosts[" + i + "]",
                            "The VirtualServices " + other.key() + "," + vs.key() + " associated with mesh gateway "
                                    + "define the same host " + host + ", which Istio sidecars treat as undefined "
                                    + "behaviour (Shadowgate appends this one's rules after " + other.key() + "'s); "
                                    + "merge them into a single VirtualService");
                }
            }
        }
    }

    // ---- subsets that select nothing ----

    private void subsetsWithoutEndpoints(List<Resource<DestinationRule>> drs) {
        for (Resource<DestinationRule> r : drs) {
            DestinationRule dr = r.spec();
            if (dr.host() == null || dr.host().isBlank() || dr.subsets() == null || dr.workloadSelector() != null) {
                continue;
            }
            String host = Names.resolve(dr.host(), r.namespace(), suffix);
            Service svc = services.get(host);
            if (svc == null) {
                continue; // nothing is known about its endpoints
            }
            for (int i = 0; i < dr.subsets().size(); i++) {
                Subset s = dr.subsets().get(i);
                if (s == null || s.name() == null) {
                    continue;
                }
                Map<String, String> want = s.labels() == null ? Map.of() : s.labels();
                boolean any = false;
                for (Map<String, String> l : svc.endpointLabels) {
                    if (l.entrySet().containsAll(want.entrySet())) {
                        any = true;
                        break;
                    }
                }
                if (!any) {
                    String have = svc.endpointLabels.isEmpty() ? "the host has no endpoints"
                            : "its endpoints have " + svc.endpointLabels.stream().map(m -> new TreeMap<>(m).toString())
                            .distinct().collect(Collectors.joining(", "));
                    sink.report(r, DiagnosticCodes.SUBSET_SELECTS_NOTHING, want.isEmpty() ? "spec.subsets[" + i + "]"
                                    : "spec.subsets[" + i + "].labels", "The Subset " + s.name() + " defined in the "
                                    + "DestinationRule does not select any endpoint of " + host + " (labels "
                                    + new TreeMap<>(want) + "; " + have + "), so requests to it get 503 (UH); fix the "
                                    + "labels, or add endpoints with them");
                }
            }
        }
    }
}

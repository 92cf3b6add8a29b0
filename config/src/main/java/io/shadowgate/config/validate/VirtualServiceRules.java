package io.shadowgate.config.validate;

import io.shadowgate.config.internal.IstioSyntax;
import io.shadowgate.config.model.HTTPMatchRequest;
import io.shadowgate.config.model.HTTPRoute;
import io.shadowgate.config.model.Locations;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.StringMatch;
import io.shadowgate.config.model.VirtualService;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * istiod's {@code ValidateVirtualService} (§3.1 of the semantics reference): hosts, gateways, {@code exportTo},
 * delegation and JWT-claim routing; each rule is checked by {@link HttpRouteRules}, and the order of rules by
 * {@link RuleOrder}.
 */
final class VirtualServiceRules {

    private VirtualServiceRules() {
    }

    static void check(Resource<VirtualService> r, Sink sink) {
        VirtualService vs = r.spec();
        boolean hasHttp = vs.http() != null && !vs.http().isEmpty();
        boolean hasTcp = vs.tcp() != null && !vs.tcp().isEmpty();
        boolean hasTls = vs.tls() != null && !vs.tls().isEmpty();
        if (!hasHttp && !hasTcp && !hasTls) {
            sink.error(r, "spec", "a VirtualService needs at least one of http, tcp or tls; add an http rule");
        }
        List<String> hosts = vs.hosts() == null ? List.of() : vs.hosts();
        List<String> gateways = vs.gateways() == null ? List.of() : vs.gateways();
        boolean delegate = hosts.isEmpty();
        boolean appliesToMesh = gateways.isEmpty() || gateways.contains("mesh");
        if (delegate) {
            if (!gateways.isEmpty()) {
                sink.error(r, "spec.gateways", "a delegate VirtualService (one without hosts) cannot set gateways; "
                        + "remove gateways (the root VirtualService decides where its rules are served)");
            }
            if (hasTls) {
                sink.error(r, "spec.tls", "a delegate VirtualService (one without hosts) cannot have tls routes");
            }
            if (hasTcp) {
                sink.error(r, "spec.tcp", "a delegate VirtualService (one without hosts) cannot have tcp routes");
            }
        }
        hosts(r, hosts, appliesToMesh, sink);
        gatewayNames(r, gateways, sink);
        sink.errorIf(r, "spec.exportTo", Names.exportTo(vs.exportTo()));

        List<HTTPRoute> http = vs.http() == null ? List.of() : vs.http();
        for (int i = 0; i < http.size(); i++) {
            String path = "spec.http[" + i + "]";
            HttpRouteRules.check(r, http.get(i), path, delegate, sink);
            if (appliesToMesh && !delegate && http.get(i) != null) {
                jwtClaimsOnMesh(r, http.get(i), path, sink);
            }
        }
        RuleOrder.check(r, http, sink);
    }

    private static void hosts(Resource<?> r, List<String> hosts, boolean appliesToMesh, Sink sink) {
        boolean allValid = true;
        for (int i = 0; i < hosts.size(); i++) {
            String h = hosts.get(i);
            String field = "spec.hosts[" + i + "]";
            if (h == null || h.isEmpty()) {
                sink.error(r, field, "a host cannot be empty; name the host the VirtualService applies to");
                allValid = false;
                continue;
            }
            String problem = Names.wildcardDomain(h);
            if (problem != null && !IstioSyntax.isIp(h)) {
                sink.error(r, field, problem);
                allValid = false;
            } else if (appliesToMesh && h.equals("*")) {
                sink.error(r, field, "host * is not allowed on a VirtualService bound to the mesh; name the hosts, "
                        + "or bind the VirtualService to a Gateway with gateways");
                allValid = false;
            }
        }
        if (!allValid) {
            return;
        }
        for (int i = 0; i < hosts.size(); i++) {
            for (int j = i + 1; j < hosts.size(); j++) {
                String a = hosts.get(i).toLowerCase(Locale.ROOT);
                String b = hosts.get(j).toLowerCase(Locale.ROOT);
                if (IstioSyntax.hostsOverlap(a, b)) {
                    sink.error(r, "spec.hosts[" + j + "]", "hosts " + hosts.get(i) + " and " + hosts.get(j)
                            + " overlap (duplicate hosts in one VirtualService); remove one of them");
                }
            }
        }
    }

    /** {@code validateGatewayNames}. */
    static void gatewayNames(Resource<?> r, List<String> gateways, Sink sink) {
        for (int i = 0; i < gateways.size(); i++) {
            String g = gateways.get(i);
            String field = "spec.gateways[" + i + "]";
            if (g != null && g.indexOf('/') < 0 && g.contains(".")) {
                String[] parts = g.split("\\.");
                sink.warn(r, field, "gateway " + Names.quote(g) + " uses the legacy <name>.<namespace> format; "
                        + "write " + Names.quote(parts[1] + "/" + parts[0]) + " instead");
            }
            sink.errorIf(r, field, gatewayNameProblem(g));
        }
    }

    /** What is wrong with a {@code gateways} entry, or {@code null}. */
    static String gatewayNameProblem(String g) {
        if (g == null || g.isEmpty()) {
            return "a gateway name cannot be empty; use <namespace>/<name>, <name> or mesh";
        }
        int slash = g.indexOf('/');
        if (slash < 0) {
            return Names.fqdn(g);
        }
        String ns = g.substring(0, slash);
        String name = g.substring(slash + 1);
        if (ns.isEmpty() || name.isEmpty()) {
            return "gateway " + Names.quote(g) + " needs both a namespace and a name: <namespace>/<name>";
        }
        if (!Names.isDns1123Label(ns) && !ns.equals(".")) {
            return "gateway " + Names.quote(g) + ": namespace " + Names.quote(ns)
                    + " is not a valid namespace name (lower-case letters, digits and '-')";
        }
        if (!Names.isDns1123Label(name)) {
            return "gateway " + Names.quote(g) + ": name " + Names.quote(name)
                    + " is not a valid Gateway name (lower-case letters, digits and '-')";
        }
        return null;
    }

    private static void jwtClaimsOnMesh(Resource<?> r, HTTPRoute rule, String path, Sink sink) {
        if (rule.match() == null) {
            return;
        }
        for (int j = 0; j < rule.match().size(); j++) {
            HTTPMatchRequest m = rule.match().get(j);
            if (m == null) {
                continue;
            }
            String mp = path + ".match[" + j + "]";
            for (String kind : List.of("headers", "withoutHeaders")) {
                Map<String, StringMatch> map = kind.equals("headers") ? m.headers() : m.withoutHeaders();
                if (map == null) {
                    continue;
                }
                for (String k : map.keySet()) {
                    if (Names.isJwtClaim(k)) {
                        sink.error(r, Locations.field(mp + "." + kind, k), "JWT claim routing (" + k + ") works on "
                                + "gateways only, and this VirtualService applies to the mesh; bind it to a Gateway "
                                + "with gateways, or remove the claim match");
                    }
                }
            }
        }
    }
}

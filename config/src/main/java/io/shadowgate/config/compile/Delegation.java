package io.shadowgate.config.compile;

import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.model.Destination;
import io.shadowgate.config.model.HTTPMatchRequest;
import io.shadowgate.config.model.HTTPMirrorPolicy;
import io.shadowgate.config.model.HTTPRoute;
import io.shadowgate.config.model.HTTPRouteDestination;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.StringMatch;
import io.shadowgate.config.model.VirtualService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * VirtualService delegation ({@code pilot/pkg/config/kube/crdclient}/{@code model/virtualservice.go}
 * {@code mergeHTTPRoutes}), plus short-name resolution of destination hosts.
 *
 * <p>What is implemented: a root rule with {@code delegate} is replaced by the delegate VirtualService's rules, each
 * merged with the root rule by {@code mergeHTTPRoute}:
 * <ul>
 *   <li>match blocks: every delegate block must find at least one root block it does not conflict with
 *       ({@code hasConflict}: e.g. a delegate uri that is not inside the root's prefix); each non-conflicting pair
 *       becomes the AND of both ({@code mergeHTTPMatchRequest}: the delegate's fields win, maps are merged). A
 *       delegate rule with a block that conflicts with every root block is skipped with a warning;</li>
 *   <li>name: {@code root-delegate} (or whichever is set);</li>
 *   <li>rewrite, directResponse, timeout, retries, fault, mirror, mirrorPercent, mirrorPercentage, mirrors,
 *       corsPolicy and headers are inherited from the root rule when the delegate rule leaves them unset.</li>
 * </ul>
 * Delegation is one level deep (a delegate rule with {@code delegate} is an error, as in Istio). A missing delegate,
 * or one not exported to the root's namespace, skips the root rule with a warning. Destination hosts of each rule
 * are resolved against the namespace of the VirtualService that wrote them (so an inherited mirror keeps the root's
 * namespace).
 */
final class Delegation {

    /**
     * One rule ready to translate.
     *
     * @param rule        the (merged, host-resolved) rule
     * @param httpIndex   index of the root rule in the root's {@code spec.http}
     * @param owner       the VirtualService that wrote the rule (root, or delegate), for diagnostics
     * @param path        the rule's path in {@code owner} ({@code spec.http[2]})
     * @param delegateKey {@code ns/name} of the delegate, or {@code null}
     */
    record FlatRule(HTTPRoute rule, int httpIndex, Resource<VirtualService> owner, String path, String delegateKey) {
    }

    private Delegation() {
    }

    /** The rules of {@code root}, delegates inlined. {@code delegates} maps {@code ns/name} to host-less VSs. */
    static List<FlatRule> flatten(Resource<VirtualService> root, Map<String, Resource<VirtualService>> delegates,
                                  Map<String, Resource<VirtualService>> all, String domainSuffix, Reporter rep) {
        List<FlatRule> out = new ArrayList<>();
        List<HTTPRoute> http = root.spec().http() == null ? List.of() : root.spec().http();
        for (int i = 0; i < http.size(); i++) {
            HTTPRoute rule = http.get(i);
            if (rule == null) {
                continue;
            }
            String path = "spec.http[" + i + "]";
            HTTPRoute resolved = resolveHosts(rule, root.namespace(), domainSuffix);
            if (rule.delegate() == null) {
                out.add(new FlatRule(resolved, i, root, path, null));
                continue;
            }
            if (notEmpty(rule.route()) || rule.redirect() != null) {
                rep.error(root, DiagnosticCodes.INVALID_VALUE, path + ".delegate",
                        "a rule with delegate cannot also set route or redirect");
                continue;
            }
            if (rule.delegate().name() == null) {
                continue; // reported by the loader
            }
            String ns = rule.delegate().namespace() == null || rule.delegate().namespace().isEmpty()
                    ? root.namespace() : rule.delegate().namespace();
            String key = ns + "/" + rule.delegate().name();
            Resource<VirtualService> d = delegates.get(key);
            if (d == null) {
                String why = all.containsKey(key) ? " is not a delegate (it has hosts)" : " not found";
                rep.warn(root, DiagnosticCodes.REFERENCED_RESOURCE_NOT_FOUND, path + ".delegate",
                        "delegate VirtualService " + key + why + "; this rule is skipped");
                continue;
            }
            if (!exportedTo(d, root.namespace())) {
                rep.warn(root, DiagnosticCodes.REFERENCED_RESOURCE_NOT_FOUND, path + ".delegate",
                        "delegate VirtualService " + key + " is not exported to namespace " + root.namespace()
                                + "; this rule is skipped");
                continue;
            }
            List<HTTPRoute> sub = d.spec().http() == null ? List.of() : d.spec().http();
            for (int j = 0; j < sub.size(); j++) {
                HTTPRoute dr = sub.get(j);
                if (dr == null) {
                    continue;
                }
                String dpath = "spec.http[" + j + "]";
                if (dr.delegate() != null) {
                    rep.error(d, DiagnosticCodes.INVALID_VALUE, dpath + ".delegate",
                            "a delegate VirtualService cannot delegate again");
                    continue;
                }
                HTTPRoute merged = merge(resolved, resolveHosts(dr, d.namespace(), domainSuffix));
                if (merged == null) {
                    rep.warn(d, DiagnosticCodes.INEFFECTIVE, dpath + ".match", "match conflicts with the root rule "
                            + root.key() + " " + path + " (it is not inside the root's match); rule skipped");
                    continue;
                }
                out.add(new FlatRule(merged, i, d, dpath, key));
            }
        }
        return out;
    }

    private static boolean exportedTo(Resource<VirtualService> d, String namespace) {
        List<String> exportTo = d.spec().exportTo();
        if (exportTo == null || exportTo.isEmpty()) {
            return true;
        }
        for (String e : exportTo) {
            if (e.equals("*") || e.equals(namespace) || (e.equals(".") && d.namespace().equals(namespace))) {
                return true;
            }
        }
        return false;
    }

    /** {@code resolveVirtualServiceShortnames} for one rule: route, mirror and mirrors hosts. */
    static HTTPRoute resolveHosts(HTTPRoute r, String namespace, String suffix) {
        List<HTTPRouteDestination> route = null;
        if (r.route() != null) {
            route = new ArrayList<>();
            for (HTTPRouteDestination d : r.route()) {
                route.add(d == null ? null
                        : new HTTPRouteDestination(dest(d.destination(), namespace, suffix), d.weight(), d.headers()));
            }
        }
        List<HTTPMirrorPolicy> mirrors = null;
        if (r.mirrors() != null) {
            mirrors = new ArrayList<>();
            for (HTTPMirrorPolicy m : r.mirrors()) {
                mirrors.add(m == null ? null
                        : new HTTPMirrorPolicy(dest(m.destination(), namespace, suffix), m.percentage()));
            }
        }
        return new HTTPRoute(r.name(), r.match(), route, r.redirect(), r.directResponse(), r.delegate(), r.rewrite(),
                r.timeout(), r.retries(), r.fault(), dest(r.mirror(), namespace, suffix), mirrors, r.mirrorPercent(),
                r.mirrorPercentage(), r.corsPolicy(), r.headers());
    }

    private static Destination dest(Destination d, String namespace, String suffix) {
        if (d == null || d.host() == null) {
            return d;
        }
        return new Destination(Hosts.fqdn(d.host(), namespace, suffix), d.subset(), d.port());
    }

    /** {@code mergeHTTPRoute}: {@code null} when the match blocks conflict. */
    static HTTPRoute merge(HTTPRoute root, HTTPRoute delegate) {
        List<HTTPMatchRequest> match = mergeMatches(root.match(), delegate.match());
        if (match == CONFLICT) {
            return null;
        }
        String name;
        if (delegate.name() == null || delegate.name().isEmpty()) {
            name = root.name();
        } else if (root.name() != null && !root.name().isEmpty()) {
            name = root.name() + "-" + delegate.name();
        } else {
            name = delegate.name();
        }
        return new HTTPRoute(name, match, delegate.route(), delegate.redirect(),
                or(delegate.directResponse(), root.directResponse()), null, or(delegate.rewrite(), root.rewrite()),
                or(delegate.timeout(), root.timeout()), or(delegate.retries(), root.retries()),
                or(delegate.fault(), root.fault()), or(delegate.mirror(), root.mirror()),
                or(delegate.mirrors(), root.mirrors()), or(delegate.mirrorPercent(), root.mirrorPercent()),
                or(delegate.mirrorPercentage(), root.mirrorPercentage()),
                or(delegate.corsPolicy(), root.corsPolicy()), or(delegate.headers(), root.headers()));
    }

    private static final List<HTTPMatchRequest> CONFLICT = new ArrayList<>();

    /** {@code mergeHTTPMatchRequests}. */
    static List<HTTPMatchRequest> mergeMatches(List<HTTPMatchRequest> root, List<HTTPMatchRequest> delegate) {
        if (root == null || root.isEmpty()) {
            return delegate;
        }
        if (delegate == null || delegate.isEmpty()) {
            return root;
        }
        List<HTTPMatchRequest> out = new ArrayList<>();
        for (HTTPMatchRequest leaf : delegate) {
            boolean found = false;
            for (HTTPMatchRequest r : root) {
                if (hasConflict(r, leaf)) {
                    continue;
                }
                out.add(mergeMatch(r, leaf));
                found = true;
            }
            if (!found) {
                return CONFLICT;
            }
        }
        return out.isEmpty() ? CONFLICT : out;
    }

    /** {@code mergeHTTPMatchRequest}: the delegate's fields win; maps are merged, the delegate's keys winning. */
    static HTTPMatchRequest mergeMatch(HTTPMatchRequest root, HTTPMatchRequest leaf) {
        String name;
        if (leaf.name() == null || leaf.name().isEmpty()) {
            name = root.name();
        } else if (root.name() != null && !root.name().isEmpty()) {
            name = root.name() + "-" + leaf.name();
        } else {
            name = leaf.name();
        }
        return new HTTPMatchRequest(name, or(leaf.uri(), root.uri()), or(leaf.scheme(), root.scheme()),
                or(leaf.method(), root.method()), or(leaf.authority(), root.authority()),
                mergeMap(root.headers(), leaf.headers()), mergeMap(root.withoutHeaders(), leaf.withoutHeaders()),
                mergeMap(root.queryParams(), leaf.queryParams()), leaf.ignoreUriCase(),
                leaf.port() == null || leaf.port() == 0 ? root.port() : leaf.port(),
                mergeMap(root.sourceLabels(), leaf.sourceLabels()),
                leaf.gateways() == null || leaf.gateways().isEmpty() ? root.gateways() : leaf.gateways(),
                leaf.sourceNamespace() == null || leaf.sourceNamespace().isEmpty() ? root.sourceNamespace()
                        : leaf.sourceNamespace(),
                leaf.statPrefix() == null || leaf.statPrefix().isEmpty() ? root.statPrefix() : leaf.statPrefix());
    }

    /** {@code hasConflict}. */
    static boolean hasConflict(HTTPMatchRequest root, HTTPMatchRequest leaf) {
        if (conflict(root.uri(), leaf.uri()) || conflict(root.scheme(), leaf.scheme())
                || conflict(root.method(), leaf.method()) || conflict(root.authority(), leaf.authority())) {
            return true;
        }
        if (mapConflict(root.headers(), leaf.headers()) || mapConflict(root.withoutHeaders(), leaf.withoutHeaders())
                || mapConflict(root.queryParams(), leaf.queryParams())) {
            return true;
        }
        if (Boolean.TRUE.equals(root.ignoreUriCase()) != Boolean.TRUE.equals(leaf.ignoreUriCase())) {
            return true;
        }
        long rp = root.port() == null ? 0 : root.port();
        long lp = leaf.port() == null ? 0 : leaf.port();
        if (rp > 0 && lp > 0 && rp != lp) {
            return true;
        }
        if (root.sourceNamespace() != null && !root.sourceNamespace().isEmpty()
                && !root.sourceNamespace().equals(leaf.sourceNamespace())) {
            return true;
        }
        if (leaf.sourceLabels() != null && root.sourceLabels() != null) {
            for (Map.Entry<String, String> e : leaf.sourceLabels().entrySet()) {
                String v = root.sourceLabels().get(e.getKey());
                if (v != null && !v.equals(e.getValue())) {
                    return true;
                }
            }
        }
        List<String> rg = root.gateways() == null ? List.of() : root.gateways();
        List<String> lg = leaf.gateways() == null ? List.of() : leaf.gateways();
        if (!rg.isEmpty() && !lg.isEmpty()) {
            if (rg.size() < lg.size()) {
                return true;
            }
            Set<String> rootGateways = new HashSet<>(rg);
            for (String g : lg) {
                if (!rootGateways.contains(g)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean mapConflict(Map<String, StringMatch> root, Map<String, StringMatch> leaf) {
        if (leaf == null) {
            return false;
        }
        for (Map.Entry<String, StringMatch> e : leaf.entrySet()) {
            if (conflict(root == null ? null : root.get(e.getKey()), e.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** {@code stringMatchConflict}. */
    static boolean conflict(StringMatch root, StringMatch leaf) {
        if (root == null || leaf == null) {
            return false;
        }
        if (nonEmpty(root.regex()) && (nonEmpty(leaf.regex()) || nonEmpty(leaf.prefix()) || nonEmpty(leaf.exact()))) {
            return true;
        }
        if (nonEmpty(leaf.regex()) && (nonEmpty(root.regex()) || nonEmpty(root.prefix()) || nonEmpty(root.exact()))) {
            return true;
        }
        if (nonEmpty(root.exact())) {
            if (nonEmpty(leaf.prefix())) {
                return true;
            }
            return !Objects.equals(leaf.exact() == null ? "" : leaf.exact(), root.exact());
        }
        if (nonEmpty(root.prefix())) {
            if (nonEmpty(leaf.prefix())) {
                return !leaf.prefix().startsWith(root.prefix());
            }
            if (nonEmpty(leaf.exact())) {
                return !leaf.exact().startsWith(root.prefix());
            }
        }
        return true;
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static <V> Map<String, V> mergeMap(Map<String, V> root, Map<String, V> leaf) {
        if ((root == null || root.isEmpty()) && (leaf == null || leaf.isEmpty())) {
            return leaf != null ? leaf : root;
        }
        Map<String, V> out = new LinkedHashMap<>();
        if (root != null) {
            out.putAll(root);
        }
        if (leaf != null) {
            out.putAll(leaf);
        }
        return out;
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }

    private static boolean notEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }
}

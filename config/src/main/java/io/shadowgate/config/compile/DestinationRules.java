package io.shadowgate.config.compile;

import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.internal.IstioSyntax;
import io.shadowgate.config.model.ClientTLSSettings;
import io.shadowgate.config.model.ConnectionPoolSettings;
import io.shadowgate.config.model.ConsistentHashLB;
import io.shadowgate.config.model.DestinationRule;
import io.shadowgate.config.model.Durations;
import io.shadowgate.config.model.LoadBalancerSettings;
import io.shadowgate.config.model.OutlierDetection;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.ServicePort;
import io.shadowgate.config.model.Subset;
import io.shadowgate.config.model.TrafficPolicy;
import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.config.snapshot.EndpointConfig;
import io.shadowgate.config.snapshot.LoadBalancerConfig;
import io.shadowgate.config.snapshot.OutlierConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * DestinationRules by host, merged as istiod merges them, and the clusters they shape.
 *
 * <p>Several rules for one host ({@code mergeDestinationRule}): subsets are concatenated, a subset name seen before is
 * dropped with a warning, and the first top-level {@code trafficPolicy} wins. The policy of a cluster for port P and
 * subset S follows {@code MergeSubsetTrafficPolicy} exactly (see {@link #effective}).
 */
final class DestinationRules {

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Set<String> SIMPLE_LB =
            Set.of("UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST");

    /** The rules of one host, merged. */
    static final class Merged {
        final String host;
        final Resource<DestinationRule> first;
        TrafficPolicy policy;
        final List<Subset> subsets = new ArrayList<>();

        Merged(String host, Resource<DestinationRule> first) {
            this.host = host;
            this.first = first;
        }

        Subset subset(String name) {
            for (Subset s : subsets) {
                if (s.name().equals(name)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** The four policy fields a cluster uses, after merging. */
    record Effective(LoadBalancerSettings loadBalancer, ConnectionPoolSettings connectionPool,
                     OutlierDetection outlierDetection, ClientTLSSettings tls) {
    }

    private final Map<String, Merged> byHost = new LinkedHashMap<>();

    static DestinationRules build(List<Resource<DestinationRule>> rules, String domainSuffix, Reporter rep) {
        DestinationRules out = new DestinationRules();
        for (Resource<DestinationRule> r : rules) {
            DestinationRule dr = r.spec();
            if (dr.host() == null || dr.host().isBlank()) {
                continue; // reported by the loader
            }
            validate(r, rep);
            if (dr.workloadSelector() != null) {
                rep.info(r, DiagnosticCodes.UNSUPPORTED, "spec.workloadSelector",
                        "a DestinationRule with workloadSelector applies to selected workloads only; Shadowgate is not "
                                + "such a workload, so the rule is ignored");
                continue;
            }
            String host = Hosts.fqdn(dr.host(), r.namespace(), domainSuffix);
            Merged m = out.byHost.get(host);
            if (m == null) {
                m = new Merged(host, r);
                out.byHost.put(host, m);
            }
            if (m.policy == null) {
                m.policy = dr.trafficPolicy();
            } else if (dr.trafficPolicy() != null) {
                rep.warn(r, DiagnosticCodes.DUPLICATE, "spec.trafficPolicy", "DestinationRule " + m.first.key()
                        + " already sets a trafficPolicy for " + host + "; this one is ignored (the first wins)");
            }
            List<Subset> subsets = dr.subsets() == null ? List.of() : dr.subsets();
            Set<String> own = new HashSet<>();
            for (int i = 0; i < subsets.size(); i++) {
                Subset s = subsets.get(i);
                if (s == null || s.name() == null) {
                    continue; // reported by the loader
                }
                String field = "spec.subsets[" + i + "].name";
                if (!own.add(s.name())) {
                    rep.error(r, DiagnosticCodes.INVALID_VALUE, field, "duplicate subset name " + s.name());
                    continue;
                }
                if (m.subset(s.name()) != null) {
                    rep.warn(r, DiagnosticCodes.DUPLICATE, field, "subset " + s.name() + " of " + host
                            + " is already defined by DestinationRule " + m.first.key() + "; this one is dropped");
                    continue;
                }
                m.subsets.add(s);
            }
        }
        return out;
    }

    /**
     * The merged rules for a service host: an exact rule, else the most specific wildcard rule that covers it
     * (istiod picks the most specific matching host).
     */
    Merged forHost(String host) {
        Merged exact = byHost.get(host);
        if (exact != null) {
            return exact;
        }
        Merged best = null;
        for (Merged m : byHost.values()) {
            if (IstioSyntax.isWildcardHost(m.host) && IstioSyntax.hostSubsetOf(host, m.host)
                    && (best == null || m.host.length() > best.host.length())) {
                best = m;
            }
        }
        return best;
    }

    /**
     * {@code util.MergeSubsetTrafficPolicy} for port {@code port}: the rule's port-level entry replaces the rule's
     * policy (unset fields fall back to defaults, never to the rule level); then the subset's policy (or its
     * port-level entry) replaces fields one by one, all four when its port-level entry matched, even with nulls.
     */
    static Effective effective(TrafficPolicy rule, TrafficPolicy subset, int port) {
        Effective original = portLevel(rule, port);
        if (subset == null) {
            return original;
        }
        TrafficPolicy.PortTrafficPolicy subsetPort = portEntry(subset, port);
        boolean hasPortLevel = subsetPort != null;
        Effective sub = hasPortLevel ? of(subsetPort) : of(subset);
        if (original == null) {
            return sub;
        }
        return new Effective(
                sub.loadBalancer() != null || hasPortLevel ? sub.loadBalancer() : original.loadBalancer(),
                sub.connectionPool() != null || hasPortLevel ? sub.connectionPool() : original.connectionPool(),
                sub.outlierDetection() != null || hasPortLevel ? sub.outlierDetection() : original.outlierDetection(),
                sub.tls() != null || hasPortLevel ? sub.tls() : original.tls());
    }

    private static Effective portLevel(TrafficPolicy p, int port) {
        if (p == null) {
            return null;
        }
        TrafficPolicy.PortTrafficPolicy e = portEntry(p, port);
        return e != null ? of(e) : of(p);
    }

    private static TrafficPolicy.PortTrafficPolicy portEntry(TrafficPolicy p, int port) {
        if (p.portLevelSettings() == null) {
            return null;
        }
        for (TrafficPolicy.PortTrafficPolicy e : p.portLevelSettings()) {
            if (e != null && e.port() != null && e.port().number() != null && e.port().number() == port) {
                return e;
            }
        }
        return null;
    }

    private static Effective of(TrafficPolicy p) {
        return new Effective(p.loadBalancer(), p.connectionPool(), p.outlierDetection(), p.tls());
    }

    private static Effective of(TrafficPolicy.PortTrafficPolicy p) {
        return new Effective(p.loadBalancer(), p.connectionPool(), p.outlierDetection(), p.tls());
    }

    /** Every cluster: per service port, the unsubsetted one and one per subset of the host's rules. */
    Map<String, ClusterConfig> clusters(ServiceRegistry registry) {
        Map<String, ClusterConfig> out = new LinkedHashMap<>();
        for (ServiceRegistry.Service svc : registry.all()) {
            Merged m = forHost(svc.host);
            for (ServicePort p : svc.ports) {
                int port = p.number().intValue();
                List<EndpointConfig> all = new ArrayList<>();
                for (ServiceRegistry.Endpoint e : svc.endpoints) {
                    all.add(e.forPort(p));
                }
                TrafficPolicy top = m == null ? null : m.policy;
                put(out, svc, p, null, effective(top, null, port), all);
                if (m == null) {
                    continue;
                }
                for (Subset s : m.subsets) {
                    Map<String, String> want = s.labels() == null ? Map.of() : s.labels();
                    List<EndpointConfig> selected = new ArrayList<>();
                    for (EndpointConfig e : all) {
                        // labels.Instance.SubsetOf: every subset label is on the endpoint; no labels select all.
                        if (e.labels().entrySet().containsAll(want.entrySet())) {
                            selected.add(e);
                        }
                    }
                    put(out, svc, p, s.name(), effective(top, s.trafficPolicy(), port), selected);
                }
            }
        }
        return out;
    }

    private static void put(Map<String, ClusterConfig> out, ServiceRegistry.Service svc, ServicePort p, String subset,
                            Effective eff, List<EndpointConfig> endpoints) {
        int port = p.number().intValue();
        String name = ClusterConfig.nameOf(svc.host, port, subset);
        String protocol = p.protocol() == null ? null : p.protocol().toUpperCase(Locale.ROOT);
        out.put(name, new ClusterConfig(name, svc.host, svc.source.namespace(), port, p.name(), protocol, subset,
                svc.resolution, endpoints,
                loadBalancer(eff == null ? null : eff.loadBalancer()),
                connectionPool(eff == null ? null : eff.connectionPool()),
                outlier(eff == null ? null : eff.outlierDetection())));
    }

    /** Istio's {@code applyLoadBalancer}: UNSPECIFIED and LEAST_CONN become LEAST_REQUEST. */
    static LoadBalancerConfig loadBalancer(LoadBalancerSettings s) {
        if (s == null) {
            return LoadBalancerConfig.DEFAULT;
        }
        ConsistentHashLB ch = s.consistentHash();
        if (ch != null) {
            String source;
            String name = null;
            String cookiePath = null;
            Duration ttl = null;
            if (ch.httpHeaderName() != null) {
                source = "header";
                name = ch.httpHeaderName().toLowerCase(Locale.ROOT);
            } else if (ch.httpCookie() != null) {
                source = "cookie";
                name = ch.httpCookie().name();
                cookiePath = ch.httpCookie().path();
                ttl = lenient(ch.httpCookie().ttl());
            } else if (ch.httpQueryParameterName() != null) {
                source = "query";
                name = ch.httpQueryParameterName();
            } else {
                source = "sourceIp";
            }
            boolean maglev = ch.maglev() != null;
            long size;
            if (maglev) {
                size = ch.maglev().tableSize() != null && ch.maglev().tableSize() > 0 ? ch.maglev().tableSize() : 65537;
            } else if (ch.ringHash() != null && ch.ringHash().minimumRingSize() != null
                    && ch.ringHash().minimumRingSize() > 0) {
                size = ch.ringHash().minimumRingSize();
            } else if (ch.minimumRingSize() != null && ch.minimumRingSize() > 0) {
                size = ch.minimumRingSize();
            } else {
                size = 1024;
            }
            return new LoadBalancerConfig(LoadBalancerConfig.DEFAULT.simple(),
                    new LoadBalancerConfig.HashPolicy(source, name, cookiePath, ttl, maglev, size));
        }
        String simple = s.simple() == null ? "UNSPECIFIED" : s.simple().toUpperCase(Locale.ROOT);
        return switch (simple) {
            case "ROUND_ROBIN", "RANDOM", "PASSTHROUGH" -> new LoadBalancerConfig(simple, null);
            default -> LoadBalancerConfig.DEFAULT;
        };
    }

    /** Istio's {@code applyConnectionPool}: zero or unset values keep Envoy's/Istio's defaults. */
    static ConnectionPoolConfig connectionPool(ConnectionPoolSettings s) {
        ConnectionPoolConfig d = ConnectionPoolConfig.DEFAULT;
        if (s == null) {
            return d;
        }
        int maxConnections = d.maxConnections();
        Duration connectTimeout = d.connectTimeout();
        int maxPending = d.maxPendingRequests();
        int maxRequests = d.maxRequests();
        int perConnection = d.maxRequestsPerConnection();
        int maxRetries = d.maxRetries();
        Duration idle = d.idleTimeout();
        if (s.tcp() != null) {
            maxConnections = positive(s.tcp().maxConnections(), maxConnections);
            Duration ct = lenient(s.tcp().connectTimeout());
            if (ct != null && !ct.isZero()) {
                connectTimeout = ct;
            }
        }
        if (s.http() != null) {
            maxPending = positive(s.http().http1MaxPendingRequests(), maxPending);
            maxRequests = positive(s.http().http2MaxRequests(), maxRequests);
            perConnection = positive(s.http().maxRequestsPerConnection(), perConnection);
            maxRetries = positive(s.http().maxRetries(), maxRetries);
            Duration it = lenient(s.http().idleTimeout());
            if (it != null && !it.isZero()) {
                idle = it;
            }
        }
        return new ConnectionPoolConfig(maxConnections, connectTimeout, maxPending, maxRequests, perConnection,
                maxRetries, idle);
    }

    /**
     * Istio's {@code applyOutlierDetection}: {@code null} when absent (disabled); Envoy's defaults otherwise
     * (5 consecutive 5xx, gateway errors not enforced, 10s interval, 30s base ejection, 10% max ejection); the
     * deprecated {@code consecutiveErrors} overrides {@code consecutive5xxErrors} when positive.
     */
    static OutlierConfig outlier(OutlierDetection o) {
        if (o == null) {
            return null;
        }
        int c5xx = o.consecutive5xxErrors() != null ? Math.max(0, o.consecutive5xxErrors()) : 5;
        if (o.consecutiveErrors() != null && o.consecutiveErrors() > 0) {
            c5xx = o.consecutiveErrors();
        }
        int gateway = o.consecutiveGatewayErrors() != null ? Math.max(0, o.consecutiveGatewayErrors()) : 0;
        Duration interval = orDefault(lenient(o.interval()), Duration.ofSeconds(10));
        Duration base = orDefault(lenient(o.baseEjectionTime()), Duration.ofSeconds(30));
        int maxEjection = o.maxEjectionPercent() != null && o.maxEjectionPercent() > 0 ? o.maxEjectionPercent() : 10;
        int minHealth = o.minHealthPercent() != null && o.minHealthPercent() >= 0 ? o.minHealthPercent() : 0;
        return new OutlierConfig(c5xx, gateway, interval, base, Math.min(100, maxEjection), Math.min(100, minHealth));
    }

    private static int positive(Integer v, int fallback) {
        return v != null && v > 0 ? v : fallback;
    }

    private static Duration orDefault(Duration d, Duration fallback) {
        return d == null || d.isZero() ? fallback : d;
    }

    /** Bad durations were reported by {@link #validate}; here they fall back to the default. */
    private static Duration lenient(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- validation (istiod's ValidateDestinationRule, the parts that affect Shadowgate) ----

    private static void validate(Resource<DestinationRule> r, Reporter rep) {
        DestinationRule dr = r.spec();
        policy(r, dr.trafficPolicy(), "spec.trafficPolicy", rep);
        List<Subset> subsets = dr.subsets() == null ? List.of() : dr.subsets();
        for (int i = 0; i < subsets.size(); i++) {
            Subset s = subsets.get(i);
            if (s == null) {
                continue;
            }
            if (s.name() != null && !DNS1123_LABEL.matcher(s.name()).matches()) {
                rep.error(r, DiagnosticCodes.INVALID_VALUE, "spec.subsets[" + i + "].name", "subset name " + s.name()
                        + " is not a DNS-1123 label (lower-case letters, digits and '-')");
            }
            policy(r, s.trafficPolicy(), "spec.subsets[" + i + "].trafficPolicy", rep);
        }
    }

    private static void policy(Resource<?> r, TrafficPolicy p, String path, Reporter rep) {
        if (p == null) {
            return;
        }
        settings(r, p.loadBalancer(), p.connectionPool(), p.outlierDetection(), p.tls(), path, rep);
        List<TrafficPolicy.PortTrafficPolicy> ports = p.portLevelSettings() == null ? List.of() : p.portLevelSettings();
        for (int i = 0; i < ports.size(); i++) {
            TrafficPolicy.PortTrafficPolicy e = ports.get(i);
            String ep = path + ".portLevelSettings[" + i + "]";
            if (e == null || e.port() == null || e.port().number() == null) {
                rep.error(r, DiagnosticCodes.MISSING_FIELD, ep + ".port", "a port-level setting needs port.number");
                continue;
            }
            settings(r, e.loadBalancer(), e.connectionPool(), e.outlierDetection(), e.tls(), ep, rep);
        }
    }

    private static void settings(Resource<?> r, LoadBalancerSettings lb, ConnectionPoolSettings pool,
                                 OutlierDetection od, ClientTLSSettings tls, String path, Reporter rep) {
        var sink = rep.sink();
        if (lb != null) {
            String lp = path + ".loadBalancer";
            if (lb.simple() != null && !SIMPLE_LB.contains(lb.simple().toUpperCase(Locale.ROOT))) {
                rep.error(r, DiagnosticCodes.INVALID_VALUE, lp + ".simple", "unknown load balancer " + lb.simple()
                        + " (expected LEAST_REQUEST, ROUND_ROBIN, RANDOM, PASSTHROUGH)");
            }
            ConsistentHashLB ch = lb.consistentHash();
            if (ch != null) {
                String cp = lp + ".consistentHash";
                int keys = (ch.httpHeaderName() != null ? 1 : 0) + (ch.httpCookie() != null ? 1 : 0)
                        + (Boolean.TRUE.equals(ch.useSourceIp()) ? 1 : 0) + (ch.httpQueryParameterName() != null ? 1 : 0);
                if (keys != 1) {
                    rep.error(r, DiagnosticCodes.INVALID_VALUE, cp, "consistentHash needs exactly one of "
                            + "httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName");
                }
                if (ch.httpCookie() != null) {
                    if (ch.httpCookie().name() == null || ch.httpCookie().name().isBlank()) {
                        rep.error(r, DiagnosticCodes.MISSING_FIELD, cp + ".httpCookie.name", "httpCookie needs a name");
                    }
                    Durations.parse(ch.httpCookie().ttl(), r, cp + ".httpCookie.ttl", sink);
                }
                if (ch.maglev() != null && ch.ringHash() != null) {
                    rep.error(r, DiagnosticCodes.INVALID_VALUE, cp, "ringHash and maglev cannot both be set");
                }
                if (ch.minimumRingSize() != null && (ch.maglev() != null || ch.ringHash() != null)) {
                    rep.error(r, DiagnosticCodes.INVALID_VALUE, cp + ".minimumRingSize",
                            "minimumRingSize cannot be set together with ringHash or maglev");
                }
            }
            Durations.parse(lb.warmupDurationSecs(), r, lp + ".warmupDurationSecs", sink);
        }
        if (pool != null) {
            String pp = path + ".connectionPool";
            if (pool.tcp() != null) {
                Durations.parse(pool.tcp().connectTimeout(), r, pp + ".tcp.connectTimeout", sink);
                Durations.parse(pool.tcp().idleTimeout(), r, pp + ".tcp.idleTimeout", sink);
                Durations.parse(pool.tcp().maxConnectionDuration(), r, pp + ".tcp.maxConnectionDuration", sink);
                nonNegative(r, pool.tcp().maxConnections(), pp + ".tcp.maxConnections", rep);
            }
            if (pool.http() != null) {
                Durations.parse(pool.http().idleTimeout(), r, pp + ".http.idleTimeout", sink);
                nonNegative(r, pool.http().http1MaxPendingRequests(), pp + ".http.http1MaxPendingRequests", rep);
                nonNegative(r, pool.http().http2MaxRequests(), pp + ".http.http2MaxRequests", rep);
                nonNegative(r, pool.http().maxRequestsPerConnection(), pp + ".http.maxRequestsPerConnection", rep);
                nonNegative(r, pool.http().maxRetries(), pp + ".http.maxRetries", rep);
            }
        }
        if (od != null) {
            String op = path + ".outlierDetection";
            Durations.parse(od.interval(), r, op + ".interval", sink);
            Durations.parse(od.baseEjectionTime(), r, op + ".baseEjectionTime", sink);
            percent(r, od.maxEjectionPercent(), op + ".maxEjectionPercent", rep);
            percent(r, od.minHealthPercent(), op + ".minHealthPercent", rep);
            if (od.consecutiveLocalOriginFailures() != null && od.consecutiveLocalOriginFailures() > 0
                    && !Boolean.TRUE.equals(od.splitExternalLocalOriginErrors())) {
                rep.error(r, DiagnosticCodes.INVALID_VALUE, op + ".consecutiveLocalOriginFailures",
                        "consecutiveLocalOriginFailures needs splitExternalLocalOriginErrors: true");
            }
        }
        if (tls != null && tls.mode() != null && !"DISABLE".equalsIgnoreCase(tls.mode())) {
            rep.info(r, DiagnosticCodes.UNSUPPORTED, path + ".tls",
                    "upstream TLS (mode " + tls.mode() + ") is not supported yet; connections are plain HTTP");
        }
    }

    private static void nonNegative(Resource<?> r, Integer v, String path, Reporter rep) {
        if (v != null && v < 0) {
            rep.error(r, DiagnosticCodes.INVALID_VALUE, path, "value " + v + " (expected: >= 0)");
        }
    }

    private static void percent(Resource<?> r, Integer v, String path, Reporter rep) {
        if (v != null && (v < 0 || v > 100)) {
            rep.error(r, DiagnosticCodes.INVALID_VALUE, path, "value " + v + " (expected: 0..100)");
        }
    }
}

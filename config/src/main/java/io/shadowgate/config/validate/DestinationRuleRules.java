package io.shadowgate.config.validate;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowgate.config.model.ClientTLSSettings;
import io.shadowgate.config.model.ConnectionPoolSettings;
import io.shadowgate.config.model.ConsistentHashLB;
import io.shadowgate.config.model.DestinationRule;
import io.shadowgate.config.model.LoadBalancerSettings;
import io.shadowgate.config.model.OutlierDetection;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.Subset;
import io.shadowgate.config.model.TrafficPolicy;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** istiod's {@code ValidateDestinationRule} (§3.2 of the semantics reference). */
final class DestinationRuleRules {

    private static final Set<String> SIMPLE_LB =
            Set.of("UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST");
    private static final Set<String> TLS_MODES = Set.of("DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL");
    private static final Set<String> H2_UPGRADE = Set.of("DEFAULT", "DO_NOT_UPGRADE", "UPGRADE");
    /** Envoy's largest Maglev table. */
    private static final long MAGLEV_MAX = 5_000_011L;

    private DestinationRuleRules() {
    }

    static void check(Resource<DestinationRule> r, Sink sink) {
        DestinationRule dr = r.spec();
        if (dr.host() != null && !dr.host().isBlank()) {
            sink.errorIf(r, "spec.host", Names.wildcardDomain(dr.host()));
        }
        policy(r, dr.trafficPolicy(), "spec.trafficPolicy", sink);
        List<Subset> subsets = dr.subsets() == null ? List.of() : dr.subsets();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < subsets.size(); i++) {
            Subset s = subsets.get(i);
            String sp = "spec.subsets[" + i + "]";
            if (s == null) {
                sink.error(r, sp, "a subset cannot be empty (null); remove it or give it a name and labels");
                continue;
            }
            if (s.name() != null && !s.name().isEmpty()) {
                if (!Names.isDns1123Label(s.name())) {
                    sink.error(r, sp + ".name", "subset name " + Names.quote(s.name()) + " is not a valid name "
                            + "(lower-case letters, digits and '-', at most 63)");
                } else if (!names.add(s.name())) {
                    sink.error(r, sp + ".name", "duplicate subset name " + s.name() + "; give each subset its own "
                            + "name");
                }
            }
            sink.errorIf(r, sp + ".labels", Names.labelsProblem(s.labels()));
            policy(r, s.trafficPolicy(), sp + ".trafficPolicy", sink);
        }
        sink.errorIf(r, "spec.exportTo", Names.exportTo(dr.exportTo()));
        if (dr.workloadSelector() != null) {
            sink.errorIf(r, "spec.workloadSelector.labels", Names.labelsProblem(dr.workloadSelector().labels()));
            if (dr.exportTo() != null) {
                for (String e : dr.exportTo()) {
                    if (e != null && !e.equals(".") && !e.equals(r.namespace())) {
                        sink.error(r, "spec.exportTo", "a DestinationRule with workloadSelector can only be exported "
                                + "to its own namespace; use exportTo: [\".\"]");
                        break;
                    }
                }
            }
        }
    }

    private static void policy(Resource<?> r, TrafficPolicy p, String path, Sink sink) {
        if (p == null) {
            return;
        }
        if (p.loadBalancer() == null && p.connectionPool() == null && p.outlierDetection() == null && p.tls() == null
                && p.portLevelSettings() == null && p.tunnel() == null && p.proxyProtocol() == null
                && p.retryBudget() == null) {
            sink.error(r, path, "trafficPolicy must have at least one field; remove it or set loadBalancer, "
                    + "connectionPool, outlierDetection, tls or portLevelSettings");
            return;
        }
        if (p.tunnel() != null && p.proxyProtocol() != null) {
            sink.error(r, path + ".tunnel", "tunnel and proxyProtocol cannot both be set; keep one of them");
        }
        settings(r, p.loadBalancer(), p.connectionPool(), p.outlierDetection(), p.tls(), path, sink);
        if (p.portLevelSettings() == null) {
            return;
        }
        if (p.portLevelSettings().size() > 4096) {
            sink.error(r, path + ".portLevelSettings", "at most 4096 port-level settings are allowed");
        }
        Set<Long> ports = new HashSet<>();
        for (int i = 0; i < p.portLevelSettings().size(); i++) {
            TrafficPolicy.PortTrafficPolicy e = p.portLevelSettings().get(i);
            String ep = path + ".portLevelSettings[" + i + "]";
            if (e == null) {
                sink.error(r, ep, "a port-level setting cannot be empty (null)");
                continue;
            }
            if (e.port() == null || e.port().number() == null) {
                sink.error(r, ep + ".port", "a port-level setting needs port.number");
            } else if (e.port().number() < 1 || e.port().number() > 65535) {
                sink.error(r, ep + ".port.number", "port " + e.port().number()
                        + " is out of range (expected: 1..65535)");
            } else if (!ports.add(e.port().number())) {
                sink.error(r, ep + ".port.number", "port " + e.port().number() + " has more than one port-level "
                        + "setting; merge them");
            }
            if (e.loadBalancer() == null && e.connectionPool() == null && e.outlierDetection() == null
                    && e.tls() == null) {
                sink.error(r, ep, "a port-level setting must set at least one of loadBalancer, connectionPool, "
                        + "outlierDetection or tls");
            }
            settings(r, e.loadBalancer(), e.connectionPool(), e.outlierDetection(), e.tls(), ep, sink);
        }
    }

    private static void settings(Resource<?> r, LoadBalancerSettings lb, ConnectionPoolSettings pool,
                                 OutlierDetection od, ClientTLSSettings tls, String path, Sink sink) {
        if (lb != null) {
            loadBalancer(r, lb, path + ".loadBalancer", sink);
        }
        if (pool != null) {
            connectionPool(r, pool, path + ".connectionPool", sink);
        }
        if (od != null) {
            outlier(r, od, path + ".outlierDetection", sink);
        }
        if (tls != null) {
            tls(r, tls, path + ".tls", sink);
        }
    }

    private static void loadBalancer(Resource<?> r, LoadBalancerSettings lb, String lp, Sink sink) {
        if (lb.simple() != null && !SIMPLE_LB.contains(lb.simple().toUpperCase(Locale.ROOT))) {
            sink.error(r, lp + ".simple", "unknown load balancer " + Names.quote(lb.simple())
                    + " (expected LEAST_REQUEST, ROUND_ROBIN, RANDOM or PASSTHROUGH)");
        }
        if (lb.simple() != null && lb.consistentHash() != null) {
            sink.error(r, lp, "simple and consistentHash are alternatives; keep one of them");
        }
        ConsistentHashLB ch = lb.consistentHash();
        if (ch != null) {
            String cp = lp + ".consistentHash";
            int keys = (ch.httpHeaderName() != null ? 1 : 0) + (ch.httpCookie() != null ? 1 : 0)
                    + (Boolean.TRUE.equals(ch.useSourceIp()) ? 1 : 0) + (ch.httpQueryParameterName() != null ? 1 : 0);
            if (keys != 1) {
                sink.error(r, cp, "consistentHash needs exactly one of httpHeaderName, httpCookie, useSourceIp or "
                        + "httpQueryParameterName");
            }
            if (ch.httpCookie() != null) {
                var c = ch.httpCookie();
                if (c.name() == null || c.name().isBlank()) {
                    sink.error(r, cp + ".httpCookie.name", "httpCookie needs a name");
                }
                sink.errorIf(r, cp + ".httpCookie.ttl", Names.duration(c.ttl(), true));
                if (c.attributes() != null) {
                    Set<String> seen = new HashSet<>();
                    for (int i = 0; i < c.attributes().size(); i++) {
                        var a = c.attributes().get(i);
                        String ap = cp + ".httpCookie.attributes[" + i + "]";
                        if (a == null || a.name() == null || a.name().isEmpty()) {
                            sink.error(r, ap + ".name", "a cookie attribute needs a name");
                        } else if (!seen.add(a.name())) {
                            sink.error(r, ap + ".name", "cookie attribute " + a.name() + " is listed twice");
                        }
                    }
                }
            }
            if (ch.maglev() != null && ch.ringHash() != null) {
                sink.error(r, cp, "ringHash and maglev cannot both be set; keep one of them");
            }
            if (ch.maglev() != null) {
                Long size = ch.maglev().tableSize();
                if (size != null && (size == 0 || size >= MAGLEV_MAX || !isPrime(size))) {
                    sink.error(r, cp + ".maglev.tableSize", "tableSize " + size + " must be a prime number below "
                            + MAGLEV_MAX + " (for example 65537)");
                }
            }
            if (ch.minimumRingSize() != null) {
                if (ch.maglev() != null || ch.ringHash() != null) {
                    sink.error(r, cp + ".minimumRingSize", "minimumRingSize cannot be set together with ringHash "
                            + "or maglev; use ringHash.minimumRingSize");
                }
                sink.warn(r, cp + ".minimumRingSize", "minimumRingSize is deprecated; use ringHash: "
                        + "{minimumRingSize: " + ch.minimumRingSize() + "}");
            }
        }
        sink.errorIf(r, lp + ".warmupDurationSecs", Names.duration(lb.warmupDurationSecs(), false));
        JsonNode w = lb.warmup();
        if (w != null && w.isObject()) {
            String wp = lp + ".warmup";
            if (!w.has("duration")) {
                sink.error(r, wp + ".duration", "warmup needs a duration (for example duration: 60s)");
            } else if (w.get("duration").isTextual()) {
                sink.errorIf(r, wp + ".duration", Names.duration(w.get("duration").asText(), false));
            }
            JsonNode min = w.get("minimumPercent");
            if (min != null && min.isNumber() && (min.asDouble() < 0 || min.asDouble() > 100)) {
                sink.error(r, wp + ".minimumPercent", "minimumPercent " + min.asText()
                        + " is out of range (expected: 0..100)");
            }
            JsonNode aggression = w.get("aggression");
            if (aggression != null && aggression.isNumber() && aggression.asDouble() <= 0) {
                sink.error(r, wp + ".aggression", "aggression " + aggression.asText() + " must be greater than 0");
            }
        }
    }

    private static void connectionPool(Resource<?> r, ConnectionPoolSettings pool, String pp, Sink sink) {
        if (pool.http() == null && pool.tcp() == null) {
            sink.error(r, pp, "connectionPool must set http or tcp settings");
            return;
        }
        if (pool.tcp() != null) {
            var t = pool.tcp();
            nonNegative(r, t.maxConnections(), pp + ".tcp.maxConnections", sink);
            sink.errorIf(r, pp + ".tcp.connectTimeout", Names.duration(t.connectTimeout(), false));
            sink.errorIf(r, pp + ".tcp.maxConnectionDuration", Names.duration(t.maxConnectionDuration(), false));
            sink.errorIf(r, pp + ".tcp.idleTimeout", Names.duration(t.idleTimeout(), true));
            JsonNode ka = t.tcpKeepalive();
            if (ka != null && ka.isObject()) {
                for (String f : List.of("time", "interval")) {
                    if (ka.get(f) != null && ka.get(f).isTextual()) {
                        sink.errorIf(r, pp + ".tcp.tcpKeepalive." + f, Names.duration(ka.get(f).asText(), false));
                    }
                }
            }
        }
        if (pool.http() != null) {
            var h = pool.http();
            nonNegative(r, h.http1MaxPendingRequests(), pp + ".http.http1MaxPendingRequests", sink);
            nonNegative(r, h.http2MaxRequests(), pp + ".http.http2MaxRequests", sink);
            nonNegative(r, h.maxRequestsPerConnection(), pp + ".http.maxRequestsPerConnection", sink);
            nonNegative(r, h.maxRetries(), pp + ".http.maxRetries", sink);
            nonNegative(r, h.maxConcurrentStreams(), pp + ".http.maxConcurrentStreams", sink);
            sink.errorIf(r, pp + ".http.idleTimeout", Names.duration(h.idleTimeout(), false));
            if (h.h2UpgradePolicy() != null) {
                String u = h.h2UpgradePolicy().toUpperCase(Locale.ROOT);
                if (!H2_UPGRADE.contains(u)) {
                    sink.error(r, pp + ".http.h2UpgradePolicy", "h2UpgradePolicy " + Names.quote(h.h2UpgradePolicy())
                            + " is unknown (expected DEFAULT, DO_NOT_UPGRADE or UPGRADE)");
                } else if (u.equals("UPGRADE") && Boolean.TRUE.equals(h.useClientProtocol())) {
                    sink.error(r, pp + ".http.useClientProtocol", "useClientProtocol cannot be true when "
                            + "h2UpgradePolicy is UPGRADE; keep one of them");
                }
            }
            JsonNode ka = h.http2KeepAlive();
            if (ka != null && ka.isObject()) {
                String kp = pp + ".http.http2KeepAlive";
                for (String f : List.of("interval", "timeout")) {
                    JsonNode v = ka.get(f);
                    if (v == null) {
                        sink.error(r, kp + "." + f, "http2KeepAlive needs interval and timeout");
                    } else if (v.isTextual()) {
                        sink.errorIf(r, kp + "." + f, Names.duration(v.asText(), false));
                    }
                }
            }
        }
    }

    private static void outlier(Resource<?> r, OutlierDetection od, String op, Sink sink) {
        nonNegative(r, od.consecutive5xxErrors(), op + ".consecutive5xxErrors", sink);
        nonNegative(r, od.consecutiveGatewayErrors(), op + ".consecutiveGatewayErrors", sink);
        nonNegative(r, od.consecutiveLocalOriginFailures(), op + ".consecutiveLocalOriginFailures", sink);
        if (od.consecutiveLocalOriginFailures() != null && od.consecutiveLocalOriginFailures() > 0
                && !Boolean.TRUE.equals(od.splitExternalLocalOriginErrors())) {
            sink.error(r, op + ".consecutiveLocalOriginFailures", "consecutiveLocalOriginFailures needs "
                    + "splitExternalLocalOriginErrors: true");
        }
        percent(r, od.maxEjectionPercent(), op + ".maxEjectionPercent", sink);
        percent(r, od.minHealthPercent(), op + ".minHealthPercent", sink);
        sink.errorIf(r, op + ".interval", Names.duration(od.interval(), false));
        sink.errorIf(r, op + ".baseEjectionTime", Names.duration(od.baseEjectionTime(), false));
        if (od.consecutiveErrors() != null) {
            nonNegative(r, od.consecutiveErrors(), op + ".consecutiveErrors", sink);
            sink.warn(r, op + ".consecutiveErrors", "consecutiveErrors is deprecated; use consecutive5xxErrors: "
                    + od.consecutiveErrors());
        }
    }

    private static void tls(Resource<?> r, ClientTLSSettings tls, String tp, Sink sink) {
        String mode = tls.mode() == null ? "DISABLE" : tls.mode().toUpperCase(Locale.ROOT);
        if (!TLS_MODES.contains(mode)) {
            sink.error(r, tp + ".mode", "tls mode " + Names.quote(tls.mode())
                    + " is unknown (expected DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL)");
            return;
        }
        boolean files = notEmpty(tls.clientCertificate()) || notEmpty(tls.privateKey())
                || notEmpty(tls.caCertificates());
        boolean credential = notEmpty(tls.credentialName());
        if (credential && files) {
            sink.error(r, tp + ".credentialName", "credentialName cannot be set together with clientCertificate, "
                    + "privateKey or caCertificates; keep one way of providing certificates");
        }
        if (mode.equals("MUTUAL") && !credential
                && (!notEmpty(tls.clientCertificate()) || !notEmpty(tls.privateKey()))) {
            sink.error(r, tp, "tls mode MUTUAL needs clientCertificate and privateKey (or credentialName)");
        }
        if (Boolean.TRUE.equals(tls.insecureSkipVerify())
                && (notEmpty(tls.caCertificates()) || (tls.subjectAltNames() != null
                        && !tls.subjectAltNames().isEmpty()))) {
            sink.error(r, tp + ".insecureSkipVerify", "insecureSkipVerify turns server verification off; it cannot "
                    + "be combined with caCertificates or subjectAltNames");
        }
    }

    private static void nonNegative(Resource<?> r, Integer v, String path, Sink sink) {
        if (v != null && v < 0) {
            sink.error(r, path, "value " + v + " is negative (expected: >= 0)");
        }
    }

    private static void percent(Resource<?> r, Integer v, String path, Sink sink) {
        if (v != null && (v < 0 || v > 100)) {
            sink.error(r, path, "value " + v + " is out of range (expected: 0..100)");
        }
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        for (long d = 3; d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}

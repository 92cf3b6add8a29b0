package io.shadowgate.config.compile;

import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.internal.IstioSyntax;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.ServiceEntry;
import io.shadowgate.config.model.ServicePort;
import io.shadowgate.config.model.WorkloadEntry;
import io.shadowgate.config.snapshot.EndpointConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The services Shadowgate knows: every ServiceEntry host with its ports and endpoints (inline {@code endpoints}, or
 * WorkloadEntry resources picked by {@code workloadSelector}). ServiceEntry hosts are taken literally, as istiod does.
 *
 * <p>Simplification: two ServiceEntries declaring the same host are merged into one service (ports united, endpoints
 * concatenated) with a warning, where istiod keeps one service per namespace and lets visibility pick.
 */
final class ServiceRegistry {

    /** Protocols istiod accepts on a port ({@code protocol.Parse}). */
    static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "MONGO", "TCP", "TLS",
            "MYSQL", "REDIS", "UDP", "HTTP_PROXY", "THRIFT");

    /** One endpoint before its port is chosen. */
    record Endpoint(String address, Map<String, Long> ports, Map<String, String> labels, int weight, String locality,
                    String source) {

        /** The endpoint for {@code port}: its {@code ports[name]}, else {@code targetPort}, else the service port. */
        EndpointConfig forPort(ServicePort port) {
            Long p = port.name() == null ? null : ports.get(port.name());
            if (p == null) {
                p = port.targetPort() != null && port.targetPort() > 0 ? port.targetPort() : port.number();
            }
            return new EndpointConfig(address, p.intValue(), labels, weight, locality, source);
        }
    }

    /** One service host. */
    static final class Service {
        final String host;
        final Resource<ServiceEntry> source;
        final List<ServicePort> ports = new ArrayList<>();
        final List<Endpoint> endpoints = new ArrayList<>();
        final String resolution;

        Service(String host, Resource<ServiceEntry> source, String resolution) {
            this.host = host;
            this.source = source;
            this.resolution = resolution;
        }

        ServicePort port(int number) {
            for (ServicePort p : ports) {
                if (p.number() == number) {
                    return p;
                }
            }
            return null;
        }
    }

    private final Map<String, Service> services = new LinkedHashMap<>();

    /** The service for {@code host} (lower case), or {@code null}. */
    Service get(String host) {
        return host == null ? null : services.get(host.toLowerCase(Locale.ROOT));
    }

    /** All services in declaration order. */
    Iterable<Service> all() {
        return services.values();
    }

    static ServiceRegistry build(List<Resource<ServiceEntry>> entries, List<Resource<WorkloadEntry>> workloads,
                                 Reporter rep) {
        ServiceRegistry reg = new ServiceRegistry();
        for (Resource<ServiceEntry> r : entries) {
            reg.add(r, workloads, rep);
        }
        return reg;
    }

    private void add(Resource<ServiceEntry> r, List<Resource<WorkloadEntry>> workloads, Reporter rep) {
        ServiceEntry se = r.spec();
        if (se.hosts() == null || se.hosts().isEmpty()) {
            return; // reported by the loader
        }
        List<ServicePort> ports = ports(r, rep);
        String declared = se.resolution() == null ? "NONE" : se.resolution().toUpperCase(Locale.ROOT);
        boolean hasInline = se.endpoints() != null && !se.endpoints().isEmpty();
        if (hasInline && se.workloadSelector() != null) {
            rep.error(r, DiagnosticCodes.INVALID_VALUE, "spec.workloadSelector",
                    "workloadSelector and endpoints cannot both be set");
        }
        String resolution;
        switch (declared) {
            case "STATIC" -> resolution = "STATIC";
            case "DNS", "DNS_ROUND_ROBIN" -> resolution = "DNS";
            case "DYNAMIC_DNS" -> {
                rep.warn(r, DiagnosticCodes.UNSUPPORTED, "spec.resolution",
                        "resolution DYNAMIC_DNS is not supported; treated as DNS");
                resolution = "DNS";
            }
            case "NONE" -> {
                if (hasInline) {
                    rep.error(r, DiagnosticCodes.INVALID_VALUE, "spec.endpoints",
                            "endpoints cannot be set with resolution NONE; use STATIC or DNS");
                }
                resolution = se.workloadSelector() != null ? "STATIC" : "DNS";
                if (se.workloadSelector() == null) {
                    rep.info(r, DiagnosticCodes.UNSUPPORTED, "spec.resolution",
                            "resolution NONE (original destination) cannot work in a gateway; Shadowgate resolves the "
                                    + "host name with DNS instead");
                }
            }
            default -> {
                rep.error(r, DiagnosticCodes.INVALID_VALUE, "spec.resolution", "unknown resolution " + se.resolution()
                        + " (expected NONE, STATIC, DNS, DNS_ROUND_ROBIN or DYNAMIC_DNS)");
                resolution = "DNS";
            }
        }
        List<Endpoint> endpoints = new ArrayList<>();
        Set<String> portNames = new HashSet<>();
        ports.forEach(p -> {
            if (p.name() != null) {
                portNames.add(p.name());
            }
        });
        if (hasInline) {
            for (int i = 0; i < se.endpoints().size(); i++) {
                WorkloadEntry we = se.endpoints().get(i);
                Endpoint e = endpoint(r, we, "spec.endpoints[" + i + "]", "ServiceEntry " + r.key(), resolution,
                        portNames, rep);
                if (e != null) {
                    endpoints.add(e);
                }
            }
            if ("DNS_ROUND_ROBIN".equals(declared) && se.endpoints().size() > 1) {
                rep.error(r, DiagnosticCodes.INVALID_VALUE, "spec.endpoints",
                        "resolution DNS_ROUND_ROBIN allows at most one endpoint");
            }
        } else if (se.workloadSelector() != null) {
            Map<String, String> selector = se.workloadSelector().labels() == null ? Map.of()
                    : se.workloadSelector().labels();
            for (Resource<WorkloadEntry> w : workloads) {
                if (!w.namespace().equals(r.namespace()) || w.spec().address() == null) {
                    continue;
                }
                Map<String, String> labels = w.spec().labels() == null ? Map.of() : w.spec().labels();
                if (labels.entrySet().containsAll(selector.entrySet())) {
                    Endpoint e = endpoint(w, w.spec(), "spec", "WorkloadEntry " + w.key(), resolution, portNames, rep);
                    if (e != null) {
                        endpoints.add(e);
                    }
                }
            }
        }
        for (int h = 0; h < se.hosts().size(); h++) {
            String host = se.hosts().get(h) == null ? "" : se.hosts().get(h).toLowerCase(Locale.ROOT);
            String field = "spec.hosts[" + h + "]";
            if (host.isEmpty() || host.equals("*")) {
                rep.error(r, DiagnosticCodes.INVALID_VALUE, field, "a ServiceEntry host cannot be empty or *");
                continue;
            }
            List<Endpoint> own = endpoints;
            if (!hasInline && se.workloadSelector() == null && resolution.equals("DNS")) {
                if (IstioSyntax.isWildcardHost(host)) {
                    rep.warn(r, DiagnosticCodes.UNSUPPORTED, field, "wildcard host " + host
                            + " has no endpoints: Shadowgate cannot resolve a wildcard (503 UH)");
                    own = List.of();
                } else {
                    // DNS without endpoints: the host itself is resolved (port = targetPort or service port).
                    own = List.of(new Endpoint(host, Map.of(), Map.of(), 1, null, "ServiceEntry " + r.key()));
                }
            }
            Service existing = services.get(host);
            if (existing != null) {
                rep.warn(r, DiagnosticCodes.DUPLICATE, field, "host " + host + " is also declared by ServiceEntry "
                        + existing.source.key() + "; ports and endpoints are merged");
                for (ServicePort p : ports) {
                    if (existing.port(p.number().intValue()) == null) {
                        existing.ports.add(p);
                    }
                }
                existing.endpoints.addAll(own);
                continue;
            }
            Service s = new Service(host, r, resolution);
            s.ports.addAll(ports);
            s.endpoints.addAll(own);
            services.put(host, s);
        }
    }

    private static List<ServicePort> ports(Resource<ServiceEntry> r, Reporter rep) {
        List<ServicePort> out = new ArrayList<>();
        List<ServicePort> declared = r.spec().ports() == null ? List.of() : r.spec().ports();
        Set<Long> numbers = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < declared.size(); i++) {
            ServicePort p = declared.get(i);
            String field = "spec.ports[" + i + "]";
            if (p == null || p.number() == null) {
                continue; // reported by the loader
            }
            if (p.number() < 1 || p.number() > 65535) {
                rep.error(r, DiagnosticCodes.INVALID_VALUE, field + ".number",
                        "port " + p.number() + " (expected: 1..65535)");
                continue;
            }
            if (p.targetPort() != null && (p.targetPort() < 0 || p.targetPort() > 65535)) {
                rep.error(r, DiagnosticCodes.INVALID_VALUE, field + ".targetPort",
                        "targetPort " + p.targetPort() + " (expected: 1..65535)");
            }
            if (p.protocol() != null && !PROTOCOLS.contains(p.protocol().toUpperCase(Locale.ROOT))) {
                rep.error(r, DiagnosticCodes.INVALID_VALUE, field + ".protocol", "unsupported protocol " + p.protocol()
                        + " (expected one of HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, TCP, TLS, MONGO)");
            }
            if (!numbers.add(p.number())) {
                rep.error(r, DiagnosticCodes.INVALID_VALUE, field + ".number", "duplicate port " + p.number());
                continue;
            }
            if (p.name() != null && !names.add(p.name())) {
                rep.error(r, DiagnosticCodes.INVALID_VALUE, field + ".name", "duplicate port name " + p.name());
            }
            out.add(p);
        }
        return out;
    }

    private static Endpoint endpoint(Resource<?> r, WorkloadEntry we, String field, String source, String resolution,
                                     Set<String> portNames, Reporter rep) {
        if (we == null || we.address() == null || we.address().isBlank()) {
            return null; // reported by the loader
        }
        String address = we.address();
        if (address.startsWith("unix://")) {
            rep.warn(r, DiagnosticCodes.UNSUPPORTED, field + ".address",
                    "unix domain socket endpoints are not supported; endpoint ignored");
            return null;
        }
        if ("STATIC".equals(resolution) && !Hosts.isIp(address)) {
            rep.error(r, DiagnosticCodes.INVALID_VALUE, field + ".address", "address " + address
                    + " is not an IP address; resolution STATIC needs IPs (use resolution DNS for host names)");
            return null;
        }
        Map<String, Long> ports = we.ports() == null ? Map.of() : we.ports();
        for (Map.Entry<String, Long> e : ports.entrySet()) {
            if (!portNames.isEmpty() && !portNames.contains(e.getKey()) && r.spec() instanceof ServiceEntry) {
                rep.error(r, DiagnosticCodes.INVALID_VALUE, field + ".ports",
                        "port name " + e.getKey() + " is not declared in spec.ports");
            }
            if (e.getValue() == null || e.getValue() < 1 || e.getValue() > 65535) {
                rep.error(r, DiagnosticCodes.INVALID_VALUE, field + ".ports",
                        "port " + e.getValue() + " (expected: 1..65535)");
                return null;
            }
        }
        int weight = we.weight() == null || we.weight() <= 0 ? 1 : we.weight();
        Map<String, String> labels = we.labels() == null ? Map.of() : we.labels();
        return new Endpoint(address, Map.copyOf(ports), labels, weight, we.locality(), source);
    }
}

package io.shadowgate.config.validate;

import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.internal.IstioSyntax;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.ServiceEntry;
import io.shadowgate.config.model.ServicePort;
import io.shadowgate.config.model.WorkloadEntry;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** istiod's {@code ValidateServiceEntry} and {@code ValidateWorkloadEntry} (§3.3 of the semantics reference). */
final class ServiceEntryRules {

    /** {@code protocol.Parse} values that are not {@code Unsupported}. */
    static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "HTTP_PROXY", "MONGO",
            "REDIS", "MYSQL", "TCP", "TLS", "UDP");
    private static final Set<String> HTTP_OR_TLS = Set.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "HTTP_PROXY",
            "TLS");
    private static final Set<String> RESOLUTIONS = Set.of("NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS");
    private static final Set<String> LOCATIONS = Set.of("MESH_EXTERNAL", "MESH_INTERNAL");

    private ServiceEntryRules() {
    }

    static void check(Resource<ServiceEntry> r, Sink sink) {
        ServiceEntry se = r.spec();
        List<String> hosts = se.hosts() == null ? List.of() : se.hosts();
        List<String> addresses = se.addresses() == null ? List.of() : se.addresses();
        List<ServicePort> ports = se.ports() == null ? List.of() : se.ports();
        List<WorkloadEntry> endpoints = se.endpoints() == null ? List.of() : se.endpoints();
        String resolution = se.resolution() == null ? "NONE" : se.resolution().toUpperCase(Locale.ROOT);

        if (se.workloadSelector() != null && !endpoints.isEmpty()) {
            sink.error(r, "spec.workloadSelector", "workloadSelector and endpoints cannot both be set; list the "
                    + "endpoints, or select WorkloadEntries with workloadSelector");
        }
        for (int i = 0; i < hosts.size(); i++) {
            String h = hosts.get(i);
            String field = "spec.hosts[" + i + "]";
            if (h == null || h.isEmpty() || h.equals("*")) {
                sink.error(r, field, "a ServiceEntry host cannot be empty or *; name the host (a wildcard such as "
                        + "*.example.com is allowed)");
                continue;
            }
            if (h.contains("*") && !h.startsWith("*.")) {
                sink.warn(r, field, "partial wildcard " + Names.quote(h) + " is not recommended; use a whole first "
                        + "label such as *.example.com");
            }
            sink.errorIf(r, field, Names.wildcardDomain(h));
        }
        boolean cidr = false;
        for (int i = 0; i < addresses.size(); i++) {
            String a = addresses.get(i);
            sink.errorIf(r, "spec.addresses[" + i + "]", Names.ipOrCidr(a));
            cidr |= Names.isCidr(a);
        }
        if (cidr && !resolution.equals("NONE") && !resolution.equals("STATIC")) {
            sink.error(r, "spec.resolution", "CIDR addresses need resolution NONE or STATIC, not " + resolution);
        }
        if (!RESOLUTIONS.contains(resolution)) {
            sink.error(r, "spec.resolution", "unknown resolution " + Names.quote(se.resolution())
                    + " (expected NONE, STATIC, DNS, DNS_ROUND_ROBIN or DYNAMIC_DNS)");
        }
        if (se.location() != null && !LOCATIONS.contains(se.location().toUpperCase(Locale.ROOT))) {
            sink.error(r, "spec.location", "unknown location " + Names.quote(se.location())
                    + " (expected MESH_EXTERNAL or MESH_INTERNAL)");
        }
        Set<String> portNames = ports(r, ports, addresses.isEmpty(), sink);
        sink.errorIf(r, "spec.exportTo", Names.exportTo(se.exportTo()));

        switch (resolution) {
            case "NONE" -> {
                if (!endpoints.isEmpty()) {
                    sink.error(r, "spec.endpoints", "endpoints cannot be set with resolution NONE; use STATIC (IP "
                            + "addresses) or DNS (host names)");
                }
            }
            case "STATIC" -> {
                for (int i = 0; i < endpoints.size(); i++) {
                    WorkloadEntry e = endpoints.get(i);
                    if (e != null && e.address() != null && !e.address().isEmpty() && !IstioSyntax.isIp(e.address())
                            && !e.address().startsWith("unix://")) {
                        sink.error(r, "spec.endpoints[" + i + "].address", "address " + e.address() + " is not an IP "
                                + "address; resolution STATIC needs IPs (use resolution DNS for host names)");
                    }
                }
            }
            case "DNS", "DNS_ROUND_ROBIN" -> {
                if (endpoints.isEmpty() && se.workloadSelector() == null) {
                    for (int i = 0; i < hosts.size(); i++) {
                        String h = hosts.get(i);
                        if (h != null && !h.isEmpty() && !h.equals("*") && Names.fqdn(h) != null) {
                            sink.error(r, "spec.hosts[" + i + "]", "host " + h + " must be a full host name: with "
                                    + "resolution " + resolution + " and no endpoints the host itself is resolved");
                        }
                    }
                }
                if (resolution.equals("DNS_ROUND_ROBIN") && endpoints.size() > 1) {
                    sink.error(r, "spec.endpoints", "resolution DNS_ROUND_ROBIN allows at most one endpoint; use "
                            + "DNS for several");
                }
                for (int i = 0; i < endpoints.size(); i++) {
                    WorkloadEntry e = endpoints.get(i);
                    if (e != null && e.address() != null && !e.address().isEmpty() && !IstioSyntax.isIp(e.address())
                            && !e.address().startsWith("unix://") && Names.fqdn(e.address()) != null) {
                        sink.error(r, "spec.endpoints[" + i + "].address", "address " + e.address()
                                + " is neither an IP address nor a host name");
                    }
                }
            }
            case "DYNAMIC_DNS" -> {
                for (int i = 0; i < hosts.size(); i++) {
                    String h = hosts.get(i);
                    if (h != null && !h.startsWith("*")) {
                        sink.error(r, "spec.hosts[" + i + "]", "resolution DYNAMIC_DNS needs wildcard hosts "
                                + "(*.example.com); " + h + " is not one");
                    }
                }
                if (!addresses.isEmpty() || !endpoints.isEmpty()) {
                    sink.error(r, "spec.resolution", "resolution DYNAMIC_DNS cannot have addresses or endpoints");
                }
                for (int i = 0; i < ports.size(); i++) {
                    ServicePort p = ports.get(i);
                    String proto = p == null || p.protocol() == null ? "" : p.protocol().toUpperCase(Locale.ROOT);
                    if (p != null && !Set.of("HTTP", "TLS", "GRPC", "HTTP2").contains(proto)) {
                        sink.error(r, "spec.ports[" + i + "].protocol", "resolution DYNAMIC_DNS supports only HTTP, "
                                + "HTTP2, GRPC and TLS ports");
                    }
                }
            }
            default -> {
            }
        }
        if (hosts.size() > 1 && !resolution.equals("NONE")) {
            for (int i = 0; i < ports.size(); i++) {
                ServicePort p = ports.get(i);
                String proto = p == null || p.protocol() == null ? "TCP" : p.protocol().toUpperCase(Locale.ROOT);
                if (p != null && !HTTP_OR_TLS.contains(proto)) {
                    sink.error(r, "spec.ports[" + i + "].protocol", "several hosts share this " + proto + " port, which "
                            + "cannot tell them apart; use one ServiceEntry per host, or an HTTP/TLS port");
                    break;
                }
            }
        }
        for (int i = 0; i < endpoints.size(); i++) {
            WorkloadEntry e = endpoints.get(i);
            String ep = "spec.endpoints[" + i + "]";
            if (e == null) {
                sink.error(r, ep, "an endpoint cannot be empty (null)");
                continue;
            }
            endpoint(r, e, ep, portNames, sink);
        }
        if (se.workloadSelector() != null) {
            Map<String, String> labels = se.workloadSelector().labels();
            if (labels == null || labels.isEmpty()) {
                sink.warn(r, "spec.workloadSelector", "workloadSelector has no labels, so it selects every "
                        + "WorkloadEntry of the namespace; add labels");
            }
            sink.errorIf(r, "spec.workloadSelector.labels", Names.labelsProblem(labels));
            if (resolution.equals("NONE")) {
                sink.warn(r, "spec.resolution", "workloadSelector with resolution NONE: the selected workloads are "
                        + "not used as endpoints; use resolution STATIC");
            }
        }
        if (hosts.size() > 1 && !addresses.isEmpty()) {
            for (ServicePort p : ports) {
                if (p != null && (p.protocol() == null || p.protocol().equalsIgnoreCase("TCP"))) {
                    sink.warn(r, "spec.addresses", "several hosts share these addresses and a TCP port; traffic to "
                            + "the addresses cannot tell the hosts apart");
                    break;
                }
            }
        }
    }

    private static Set<String> ports(Resource<?> r, List<ServicePort> ports, boolean noAddresses, Sink sink) {
        Set<String> names = new HashSet<>();
        Set<Long> numbers = new HashSet<>();
        boolean addressWarned = false;
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            String field = "spec.ports[" + i + "]";
            if (p == null) {
                sink.error(r, field, "a port cannot be empty (null)");
                continue;
            }
            if (p.number() != null) {
                if (p.number() < 1 || p.number() > 65535) {
                    sink.error(r, field + ".number", "port " + p.number() + " is out of range (expected: 1..65535)");
                } else if (!numbers.add(p.number())) {
                    sink.error(r, field + ".number", "port " + p.number() + " is defined twice; list each port once");
                }
            }
            if (p.targetPort() != null && p.targetPort() != 0 && (p.targetPort() < 1 || p.targetPort() > 65535)) {
                sink.error(r, field + ".targetPort", "targetPort " + p.targetPort()
                        + " is out of range (expected: 1..65535)");
            }
            if (p.name() == null || p.name().isEmpty()) {
                sink.error(r, field + ".name", "a ServiceEntry port needs a name (for example http); endpoints "
                        + "refer to ports by name");
            } else if (!names.add(p.name()) && Names.isDns1123Label(p.name())) {
                sink.error(r, field + ".name", "port name " + p.name() + " is defined twice; give each port its own "
                        + "name");
            } else if (!Names.isDns1123Label(p.name())) {
                // Still recorded above, so that endpoints naming it do not get a second, consequential error.
                sink.error(r, field + ".name", "port name " + Names.quote(p.name()) + " is not valid (lower-case "
                        + "letters, digits and '-')");
            }
            String proto = p.protocol() == null ? null : p.protocol().toUpperCase(Locale.ROOT);
            if (proto != null && !PROTOCOLS.contains(proto)) {
                sink.error(r, field + ".protocol", "protocol " + Names.quote(p.protocol()) + " is not supported "
                        + "(expected HTTP, HTTPS, HTTP2, GRPC, TCP, TLS, MONGO, ...)");
            }
            if (noAddresses && !addressWarned && (proto == null || proto.equals("TCP"))) {
                addressWarned = true;
                sink.report(r, DiagnosticCodes.SERVICE_ENTRY_ADDRESSES_REQUIRED, field + ".protocol",
                        "ServiceEntry addresses are required for ports serving TCP (or unset) protocol; set "
                                + "protocol: HTTP for an HTTP service, or add addresses");
            }
        }
        return names;
    }

    /** An inline endpoint ({@code ServiceEntry.endpoints[i]}) or a WorkloadEntry's spec. */
    static void endpoint(Resource<?> r, WorkloadEntry e, String path, Set<String> portNames, Sink sink) {
        String address = e.address();
        String prefix = path.equals("spec") ? "spec." : path + ".";
        if (address == null || address.isEmpty()) {
            if (e.network() != null && !e.network().isEmpty()) {
                sink.warn(r, prefix + "address", "address is not set; the endpoint is reached only through the "
                        + "gateway of network " + e.network());
            }
        } else if (address.startsWith("unix://")) {
            if (address.length() <= "unix://".length()) {
                sink.error(r, prefix + "address", "unix address " + address + " needs a socket path");
            }
            if (e.ports() != null && !e.ports().isEmpty()) {
                sink.error(r, prefix + "ports", "a unix socket address cannot have ports; remove ports");
            }
        } else if (!IstioSyntax.isIp(address) && Names.fqdn(address) != null) {
            sink.error(r, prefix + "address", "address " + Names.quote(address)
                    + " is neither an IP address, a host name nor unix:///path");
        }
        if (e.ports() != null) {
            for (Map.Entry<String, Long> p : e.ports().entrySet()) {
                // The compiler reports endpoint ports at "ports" too; one path keeps one message per problem.
                String pf = prefix + "ports";
                if (!Names.isDns1123Label(p.getKey())) {
                    sink.error(r, pf, "port name " + Names.quote(p.getKey()) + " is not valid (lower-case letters, "
                            + "digits and '-')");
                } else if (portNames != null && !portNames.contains(p.getKey())) {
                    sink.error(r, pf, "port name " + p.getKey() + " is not declared in spec.ports "
                            + portNames.stream().sorted().toList() + "; use one of those names");
                }
                if (p.getValue() == null || p.getValue() < 1 || p.getValue() > 65535) {
                    sink.error(r, pf, "port " + p.getValue() + " is out of range (expected: 1..65535)");
                }
            }
        }
        sink.errorIf(r, prefix + "labels", Names.labelsProblem(e.labels()));
        if (e.weight() != null && e.weight() < 0) {
            sink.error(r, prefix + "weight", "weight " + e.weight() + " is negative (expected: >= 0)");
        }
    }

    /** A standalone WorkloadEntry. */
    static void workloadEntry(Resource<WorkloadEntry> r, Sink sink) {
        WorkloadEntry we = r.spec();
        if ((we.address() == null || we.address().isEmpty()) && (we.network() == null || we.network().isEmpty())) {
            sink.error(r, "spec.address", "a WorkloadEntry needs an address (or a network whose gateway reaches "
                    + "it)");
        }
        endpoint(r, we, "spec", null, sink);
    }
}

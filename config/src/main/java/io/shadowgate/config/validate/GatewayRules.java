package io.shadowgate.config.validate;

import io.shadowgate.config.internal.IstioSyntax;
import io.shadowgate.config.model.Gateway;
import io.shadowgate.config.model.Port;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.Server;
import io.shadowgate.config.model.ServerTLSSettings;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** istiod's {@code ValidateGateway} (§3.3 of the semantics reference). */
final class GatewayRules {

    /** {@code protocol.Parse} values a Gateway server accepts. */
    private static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "MONGO",
            "REDIS", "MYSQL", "TCP", "TLS");
    private static final Set<String> TLS_PROTOCOLS = Set.of("HTTPS", "TLS");
    private static final Set<String> HTTP_PROTOCOLS = Set.of("HTTP", "HTTP2", "GRPC", "GRPC-WEB");
    private static final Set<String> TLS_MODES = Set.of("PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH",
            "ISTIO_MUTUAL", "OPTIONAL_MUTUAL");

    private GatewayRules() {
    }

    static void check(Resource<Gateway> r, Sink sink) {
        Gateway gw = r.spec();
        if (r.name() != null && !r.name().isEmpty() && !Names.isDns1123Label(r.name())) {
            sink.error(r, "metadata.name", "Gateway name " + Names.quote(r.name()) + " is not a DNS label "
                    + "(lower-case letters, digits and '-', no dots); VirtualServices could not refer to it");
        }
        sink.errorIf(r, "spec.selector", Names.labelsProblem(gw.selector()));
        List<Server> servers = gw.servers() == null ? List.of() : gw.servers();
        Set<String> portNames = new HashSet<>();
        for (int i = 0; i < servers.size(); i++) {
            Server s = servers.get(i);
            String sp = "spec.servers[" + i + "]";
            if (s == null) {
                sink.error(r, sp, "a server cannot be empty (null)");
                continue;
            }
            hosts(r, s.hosts(), sp, sink);
            String protocol = port(r, s.port(), sp, portNames, sink);
            tls(r, s.tls(), protocol, sp, sink);
            if (s.bind() != null && !s.bind().isEmpty() && !s.bind().startsWith("unix://")
                    && !IstioSyntax.isIp(s.bind())) {
                sink.error(r, sp + ".bind", "bind " + Names.quote(s.bind()) + " is not an IP address (or "
                        + "unix:///path)");
            }
        }
    }

    private static void hosts(Resource<?> r, List<String> hosts, String sp, Sink sink) {
        if (hosts == null || hosts.isEmpty()) {
            sink.error(r, sp + ".hosts", "a server needs at least one host; use \"*\" for every host");
            return;
        }
        for (int k = 0; k < hosts.size(); k++) {
            String h = hosts.get(k);
            String field = sp + ".hosts[" + k + "]";
            if (h == null || h.isEmpty()) {
                sink.error(r, field, "a server host cannot be empty");
                continue;
            }
            int slash = h.indexOf('/');
            String host = h;
            if (slash >= 0) {
                String ns = h.substring(0, slash);
                host = h.substring(slash + 1);
                if (ns.isEmpty() || host.isEmpty()) {
                    sink.error(r, field, "server host " + Names.quote(h) + " needs both parts of namespace/host");
                    continue;
                }
                if (!ns.equals("*") && !ns.equals(".") && !ns.equals("~") && !Names.isDns1123Label(ns)) {
                    sink.error(r, field, "server host " + Names.quote(h) + ": " + Names.quote(ns) + " is not a "
                            + "namespace name, '*' or '.'");
                    continue;
                }
            }
            if (!host.equals("*")) {
                sink.errorIf(r, field, Names.wildcardDomain(host));
            }
        }
    }

    /** Checks the port and answers its protocol (upper case), or {@code null}. */
    private static String port(Resource<?> r, Port p, String sp, Set<String> portNames, Sink sink) {
        if (p == null) {
            return null; // reported by the loader
        }
        if (p.number() != null && (p.number() < 1 || p.number() > 65535)) {
            sink.error(r, sp + ".port.number", "port " + p.number() + " is out of range (expected: 1..65535)");
        }
        String protocol = null;
        if (p.protocol() == null || p.protocol().isEmpty()) {
            sink.error(r, sp + ".port.protocol", "a server port needs a protocol (HTTP, HTTPS, HTTP2, GRPC, TCP or "
                    + "TLS)");
        } else {
            protocol = p.protocol().toUpperCase(Locale.ROOT);
            if (!PROTOCOLS.contains(protocol)) {
                sink.error(r, sp + ".port.protocol", "protocol " + Names.quote(p.protocol()) + " is not supported "
                        + "(expected HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, TCP, TLS, MONGO, REDIS or MYSQL)");
                protocol = null;
            }
        }
        if (p.name() == null || p.name().isEmpty()) {
            sink.error(r, sp + ".port.name", "a server port needs a name (for example http)");
        } else if (!portNames.add(p.name())) {
            sink.error(r, sp + ".port.name", "port name " + p.name() + " is used by another server of this Gateway; "
                    + "port names must be unique");
        }
        if (p.targetPort() != null && p.targetPort() != 0) {
            sink.error(r, sp + ".port.targetPort", "targetPort has no meaning on a Gateway server; remove it");
        }
        return protocol;
    }

    private static void tls(Resource<?> r, ServerTLSSettings tls, String protocol, String sp, Sink sink) {
        if (protocol == null) {
            return;
        }
        boolean tlsPort = TLS_PROTOCOLS.contains(protocol);
        if (tls == null) {
            if (tlsPort) {
                sink.error(r, sp + ".tls", "this " + protocol + " server needs tls settings (mode and credentialName, "
                        + "or serverCertificate and privateKey)");
            }
            return;
        }
        boolean redirect = Boolean.TRUE.equals(tls.httpsRedirect());
        boolean onlyRedirect = tls.mode() == null && tls.serverCertificate() == null && tls.privateKey() == null
                && tls.caCertificates() == null && tls.credentialName() == null
                && (tls.credentialNames() == null || tls.credentialNames().isEmpty()) && tls.tlsCertificates() == null;
        if (!tlsPort && !onlyRedirect) {
            sink.error(r, sp + ".tls", "a plain " + protocol + " server cannot have TLS settings (only "
                    + "httpsRedirect); use protocol HTTPS or TLS, or remove them");
        }
        if (redirect && !HTTP_PROTOCOLS.contains(protocol)) {
            sink.warn(r, sp + ".tls.httpsRedirect", "httpsRedirect only applies to plain HTTP servers; remove it "
                    + "from this " + protocol + " server");
        }
        if (!tlsPort) {
            return;
        }
        String mode = tls.mode() == null ? "SIMPLE" : tls.mode().toUpperCase(Locale.ROOT);
        if (!TLS_MODES.contains(mode)) {
            sink.error(r, sp + ".tls.mode", "tls mode " + Names.quote(tls.mode()) + " is unknown (expected SIMPLE, "
                    + "MUTUAL, PASSTHROUGH, AUTO_PASSTHROUGH, ISTIO_MUTUAL or OPTIONAL_MUTUAL)");
            return;
        }
        boolean credential = (tls.credentialName() != null && !tls.credentialName().isEmpty())
                || (tls.credentialNames() != null && !tls.credentialNames().isEmpty()) || tls.tlsCertificates() != null;
        if ((mode.equals("SIMPLE") || mode.equals("MUTUAL") || mode.equals("OPTIONAL_MUTUAL")) && !credential) {
            if (tls.serverCertificate() == null || tls.serverCertificate().isEmpty()
                    || tls.privateKey() == null || tls.privateKey().isEmpty()) {
                sink.error(r, sp + ".tls", mode + " TLS needs credentialName, or serverCertificate and privateKey");
            } else if (!mode.equals("SIMPLE") && (tls.caCertificates() == null || tls.caCertificates().isEmpty())) {
                sink.error(r, sp + ".tls.caCertificates", mode + " TLS needs caCertificates to verify clients");
            }
        }
    }
}

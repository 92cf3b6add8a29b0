package io.shadowgate.config.compile;

import io.shadowgate.config.internal.IstioSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Host-name rules of istiod: short-name resolution and wildcard matching ({@code pkg/config/host/name.go}). */
final class Hosts {

    private Hosts() {
    }

    /**
     * {@code model.ResolveShortnameToFQDN}: a name without a dot gets {@code .<namespace>.svc.<domainSuffix>};
     * names with a dot, IP addresses and {@code *} are kept. Lower-cased, as host names compare case-insensitively.
     */
    static String fqdn(String host, String namespace, String domainSuffix) {
        if (host == null || host.isEmpty()) {
            return host;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("*") || isIp(h) || h.contains(".")) {
            return h;
        }
        return h + "." + namespace + ".svc." + domainSuffix;
    }

    /** {@code reviews.default.svc.cluster.local} gives {@code reviews}, {@code reviews.default}, {@code reviews.default.svc}. */
    static List<String> shortForms(String fqdn, String domainSuffix) {
        String suffix = ".svc." + domainSuffix;
        List<String> out = new ArrayList<>();
        if (!fqdn.endsWith(suffix) || fqdn.startsWith("*")) {
            return out;
        }
        String nameNs = fqdn.substring(0, fqdn.length() - suffix.length());
        int dot = nameNs.indexOf('.');
        if (dot <= 0 || nameNs.indexOf('.', dot + 1) >= 0) {
            return out;
        }
        out.add(nameNs.substring(0, dot));
        out.add(nameNs);
        out.add(nameNs + ".svc");
        return out;
    }

    /**
     * Whether {@code s} is an IPv4 or IPv6 literal (no DNS lookup); an IPv6 literal may carry URL brackets or a zone
     * ({@code [fe80::1%eth0]}).
     */
    static boolean isIp(String s) {
        return IstioSyntax.isIpv4(s) || IstioSyntax.isIpv6(IstioSyntax.withoutBracketsAndZone(s));
    }

    /**
     * The names both {@code a} and {@code b} match, as the more specific of the two ({@code host.Names.Intersection}):
     * {@code *} and {@code foo.com} give {@code foo.com}; {@code *.com} and {@code *.foo.com} give {@code *.foo.com};
     * {@code null} when they do not overlap.
     */
    static String intersection(String a, String b) {
        if (IstioSyntax.hostSubsetOf(a, b)) {
            return a;
        }
        if (IstioSyntax.hostSubsetOf(b, a)) {
            return b;
        }
        return null;
    }
}

package io.shadowgate.config.internal;

import java.util.Set;

/**
 * Small pieces of Istio syntax and string handling that the loader, the compiler and the validator share, kept in one
 * place so that the three read a configuration the same way. Internal to the config module: not a public API.
 */
public final class IstioSyntax {

    /** Envoy retry policies ({@code retryOn}) Istio's validation knows ({@code supportedRetryOnPolicies}). */
    public static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "reset", "reset-before-request",
            "connect-failure", "envoy-ratelimited", "retriable-4xx", "refused-stream", "retriable-status-codes",
            "retriable-headers", "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal",
            "resource-exhausted", "unavailable");
    /** Go's {@code http.StatusText} codes: {@code parseRetryOn} treats only these integers as status codes. */
    public static final Set<Integer> HTTP_CODES = Set.of(100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207,
            208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410,
            411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502,
            503, 504, 505, 506, 507, 508, 510, 511);
    /** gRPC status names accepted by a fault's {@code grpcStatus} (upper case). */
    public static final Set<String> GRPC_STATUS = Set.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE",
            "DATA_LOSS", "UNAUTHENTICATED");
    /** HTTP methods a CORS policy's {@code allowMethods} may list. */
    public static final Set<String> CORS_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    /** Whether an Istio host name is a wildcard ({@code *} or {@code *.example.com}). */
    public static boolean isWildcardHost(String h) {
        return h.startsWith("*");
    }

    /** Istio's {@code host.Name.Matches}: the two names overlap; either may be a wildcard, {@code *} matches all. */
    public static boolean hostsOverlap(String a, String b) {
        boolean aw = isWildcardHost(a);
        boolean bw = isWildcardHost(b);
        if (aw && bw) {
            return a.length() < b.length() ? b.substring(1).endsWith(a.substring(1))
                    : a.substring(1).endsWith(b.substring(1));
        }
        if (aw) {
            return b.endsWith(a.substring(1));
        }
        if (bw) {
            return a.endsWith(b.substring(1));
        }
        return a.equals(b);
    }

    /** Istio's {@code host.Name.SubsetOf}: every name {@code a} matches is matched by {@code b}. */
    public static boolean hostSubsetOf(String a, String b) {
        if (isWildcardHost(b)) {
            return isWildcardHost(a) ? a.substring(1).endsWith(b.substring(1)) : a.endsWith(b.substring(1));
        }
        return !isWildcardHost(a) && a.equals(b);
    }

    private IstioSyntax() {
    }

    /** Whether {@code s} is a dotted-quad IPv4 literal (four decimal parts of at most three digits, each 0-255). */
    public static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s} is an IPv4 or IPv6 literal (no DNS lookup, no brackets, no zone); false for {@code null}. */
    public static boolean isIp(String s) {
        return s != null && (isIpv4(s) || isIpv6(s));
    }

    /**
     * Whether {@code s} is an IPv6 literal in RFC 4291 text form: eight groups of at most four hex digits, or fewer
     * with exactly one {@code ::}, the last two groups optionally written as an IPv4 address. No brackets, no zone
     * ({@link #withoutBracketsAndZone(String)} takes them off).
     */
    public static boolean isIpv6(String s) {
        if (s.indexOf(':') < 0) {
            return false;
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] groups = s.split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (g.isEmpty()) {
                continue; // part of "::" (validated above) or a leading/trailing one of it
            }
            if (i == groups.length - 1 && g.indexOf('.') >= 0) {
                if (!isIpv4(g)) {
                    return false;
                }
                count += 2;
                continue;
            }
            if (g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return false;
            }
            count++;
        }
        if (doubleColon < 0) {
            // Without "::" no group may be empty.
            for (String g : groups) {
                if (g.isEmpty()) {
                    return false;
                }
            }
            return count == 8;
        }
        return count < 8;
    }

    /**
     * {@code s} without the brackets a URL puts around an IPv6 literal and without a zone: {@code [fe80::1%eth0]} →
     * {@code fe80::1}. Other strings lose only a {@code %} suffix.
     */
    public static String withoutBracketsAndZone(String s) {
        String v = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        int pct = v.indexOf('%');
        return pct >= 0 ? v.substring(0, pct) : v;
    }

    /**
     * istiod's {@code resolveGatewayName} without its {@code mesh} case: {@code name} and {@code ./name} get
     * {@code namespace}, the legacy form {@code name.ns[.svc.cluster.local]} becomes {@code ns/name}, and
     * {@code ns/name} is kept. Callers that may see {@code mesh} handle it first.
     */
    public static String resolveGatewayName(String g, String namespace) {
        int slash = g.indexOf('/');
        if (slash < 0) {
            int dot = g.indexOf('.');
            if (dot < 0) {
                return namespace + "/" + g;
            }
            // Legacy FQDN form name.ns.svc.cluster.local -> ns/name.
            String rest = g.substring(dot + 1);
            int next = rest.indexOf('.');
            return (next < 0 ? rest : rest.substring(0, next)) + "/" + g.substring(0, dot);
        }
        if (g.substring(0, slash).equals(".")) {
            return namespace + "/" + g.substring(slash + 1);
        }
        return g;
    }

    /** Levenshtein distance between {@code a} and {@code b} (insertions, deletions and substitutions cost 1). */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

package io.shadowgate.config.validate;

import io.shadowgate.config.internal.IstioSyntax;
import io.shadowgate.config.model.Durations;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The syntax checks of istiod's validation ({@code pkg/config/validation}, {@code pkg/config/labels},
 * {@code pkg/config/host}): host names, labels, header names, addresses, durations, {@code exportTo}. Each check
 * answers {@code null} when the value is valid, else a sentence saying what is wrong and what is expected.
 */
final class Names {

    /** Kubernetes' {@code IsDNS1123Label}: lower case, as namespaces, subset and port names must be. */
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /** istio {@code labels.IsDNS1123Label} as used for host names: either case. */
    private static final Pattern HOST_LABEL = Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?");
    /** istio {@code labels.IsWildcardDNS1123Label}: {@code *}, {@code *foo} or {@code *-foo} as the first label. */
    private static final Pattern WILDCARD_LABEL =
            Pattern.compile("\\*|(\\*|\\*-)?[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?");
    /** RFC 7230 {@code token}: what a header name may be made of. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern JWT_CLAIM = Pattern.compile("@request\\.auth\\.claims(\\.[^.\\[\\]]+|(\\[[^\\[\\]]+\\])+)");

    private Names() {
    }

    static boolean isDns1123Label(String s) {
        return s != null && s.length() <= 63 && DNS1123_LABEL.matcher(s).matches();
    }

    /** {@code ValidateWildcardDomain}: a host name whose first label may be a wildcard. */
    static String wildcardDomain(String domain) {
        if (domain == null || domain.isEmpty()) {
            return "a host cannot be empty";
        }
        if (domain.length() > 255) {
            return "host " + quote(domain) + " is longer than 255 characters";
        }
        int dot = domain.indexOf('.');
        String first = dot < 0 ? domain : domain.substring(0, dot);
        if (first.length() > 63 || !WILDCARD_LABEL.matcher(first).matches()) {
            return "host " + quote(domain) + " is not a valid host name (label " + quote(first)
                    + " is invalid; use letters, digits and '-', with an optional leading '*' wildcard)";
        }
        return dot < 0 ? null : labels(domain, domain.substring(dot + 1));
    }

    /** {@code ValidateFQDN}: a host name without wildcards. */
    static String fqdn(String domain) {
        if (domain == null || domain.isEmpty()) {
            return "a host cannot be empty";
        }
        if (domain.length() > 255) {
            return "host " + quote(domain) + " is longer than 255 characters";
        }
        return labels(domain, domain);
    }

    /** {@code ValidateDNS1123Labels}: every label valid, a trailing dot allowed, the last label not all digits. */
    private static String labels(String whole, String domain) {
        String[] parts = domain.split("\\.", -1);
        String top = parts[parts.length - 1];
        if (!top.isEmpty() && top.chars().allMatch(Character::isDigit)) {
            return "host " + quote(whole) + " is not a valid host name (the top-level label " + quote(top)
                    + " cannot be all digits)";
        }
        for (int i = 0; i < parts.length; i++) {
            String label = parts[i];
            if (i == parts.length - 1 && label.isEmpty() && i > 0) {
                return null;
            }
            if (label.length() > 63 || !HOST_LABEL.matcher(label).matches()) {
                return "host " + quote(whole) + " is not a valid host name (label " + quote(label)
                        + " is invalid; use letters, digits and '-', at most 63 per label)";
            }
        }
        return null;
    }

    /** An IP address or a CIDR block ({@code 10.0.0.0/8}); {@code null} when valid. */
    static String ipOrCidr(String s) {
        if (s == null || s.isEmpty()) {
            return "an address cannot be empty";
        }
        int slash = s.indexOf('/');
        String ip = slash < 0 ? s : s.substring(0, slash);
        if (!IstioSyntax.isIp(ip)) {
            return "address " + quote(s) + " is not an IP address or a CIDR block such as 10.0.0.0/24";
        }
        if (slash >= 0) {
            String bits = s.substring(slash + 1);
            int max = IstioSyntax.isIpv4(ip) ? 32 : 128;
            if (bits.isEmpty() || !bits.chars().allMatch(Character::isDigit) || bits.length() > 3
                    || Integer.parseInt(bits) > max) {
                return "address " + quote(s) + " has an invalid prefix length (expected: 0.." + max + ")";
            }
        }
        return null;
    }

    static boolean isCidr(String s) {
        return s != null && s.indexOf('/') >= 0;
    }

    /** A header name: an RFC 7230 token. */
    static boolean isHeaderName(String s) {
        return s != null && TOKEN.matcher(s).matches();
    }

    /** {@code @request.auth.claims.x} or {@code @request.auth.claims[x][y]}. */
    static boolean isJwtClaim(String s) {
        return s != null && s.startsWith("@request.auth.claims");
    }

    static boolean isValidJwtClaim(String s) {
        return JWT_CLAIM.matcher(s).matches();
    }

    /** {@code labels.Instance.Validate}: Kubernetes label keys and values; {@code null} when valid. */
    static String labelsProblem(Map<String, String> labels) {
        if (labels == null) {
            return null;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String k = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue();
            String name = k;
            int slash = k.indexOf('/');
            if (slash >= 0) {
                String prefix = k.substring(0, slash);
                name = k.substring(slash + 1);
                if (prefix.isEmpty() || prefix.length() > 253 || fqdn(prefix) != null || name.indexOf('/') >= 0) {
                    return "label key " + quote(k) + " is invalid (expected an optional DNS prefix, '/', and a name)";
                }
            }
            if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
                return "label key " + quote(k) + " is invalid (at most 63 letters, digits, '-', '_' or '.', starting "
                        + "and ending with a letter or digit)";
            }
            if (v.length() > 63 || !LABEL_VALUE.matcher(v).matches()) {
                return "label value " + quote(v) + " of " + k + " is invalid (at most 63 letters, digits, '-', '_' "
                        + "or '.', starting and ending with a letter or digit)";
            }
        }
        return null;
    }

    /**
     * {@code ValidateDuration}: parses, then at least 1ms and a whole number of milliseconds ({@code allowZero}: a
     * zero duration is accepted too). {@code null} when valid.
     */
    static String duration(String text, boolean allowZero) {
        if (text == null) {
            return null;
        }
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (allowZero && d.isZero()) {
            return null;
        }
        if (d.compareTo(Duration.ofMillis(1)) < 0) {
            return "duration " + quote(text) + " is shorter than 1ms (expected: at least 1ms)";
        }
        if (d.getNano() % 1_000_000 != 0) {
            return "duration " + quote(text) + " is more precise than a millisecond (expected: whole milliseconds)";
        }
        return null;
    }

    /** Whether {@code text} parses as a duration (problems are reported elsewhere). */
    static Duration parseOrNull(String text) {
        try {
            return text == null ? null : Durations.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code validateExportTo}; {@code null} when valid. */
    static String exportTo(List<String> exportTo) {
        if (exportTo == null || exportTo.isEmpty()) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        boolean star = false;
        for (String e : exportTo) {
            String v = e == null ? "" : e;
            if (!seen.add(v)) {
                return "exportTo lists " + quote(v) + " twice; list each namespace once";
            }
            if (v.equals("*")) {
                star = true;
            } else if (!v.equals(".") && !v.equals("~") && !isDns1123Label(v)) {
                return "exportTo entry " + quote(v) + " is not '.', '*' or a namespace name";
            }
        }
        if (star && exportTo.size() > 1) {
            return "exportTo '*' exports to every namespace; it cannot be combined with other entries";
        }
        return null;
    }

    // ---- host names as istiod resolves and compares them (pkg/config/host/name.go) ----

    /** {@code ResolveShortnameToFQDN}, lower-cased (as the compiler resolves destinations). */
    static String resolve(String host, String namespace, String domainSuffix) {
        if (host == null || host.isEmpty()) {
            return host;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("*") || IstioSyntax.isIp(h) || h.contains(".")) {
            return h;
        }
        return h + "." + namespace + ".svc." + domainSuffix;
    }

    static String quote(String s) {
        return "\"" + s + "\"";
    }
}

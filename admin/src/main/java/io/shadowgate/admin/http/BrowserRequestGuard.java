package io.shadowgate.admin.http;

import io.netty.util.NetUtil;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps web pages from other sites away from the admin API, which has no authentication. Command-line clients
 * ({@code curl}, {@code shadowgate rollback}) send neither {@code Origin} nor {@code Sec-Fetch-*} and are let through
 * as before; a request from a browser carries one of them, and then:
 *
 * <ul>
 *   <li>its {@code Host} must be an IP literal, {@code localhost} ({@code *.localhost}) or a host the server was told
 *       to trust: a page on {@code evil.example} whose name was re-pointed at 127.0.0.1 (DNS rebinding) is
 *       same-origin to the browser, and only the {@code Host} it sends gives it away;</li>
 *   <li>a cross-site request that is not a top-level navigation (a script, an image, a {@code fetch}) is refused:
 *       following a link to the dashboard works, embedding or reading it from another site does not;</li>
 *   <li>a state-changing request ({@code POST} ...) must be same-origin ({@code Origin} equal to the {@code Host}
 *       it was sent to, {@code Sec-Fetch-Site: same-origin}) and carry {@value #ACTION_HEADER}: a cross-site HTML
 *       form cannot set a header, and a cross-site script that sets one needs a CORS preflight this server never
 *       grants.</li>
 * </ul>
 *
 * A refused request answers 403 with the reason; nothing it asked for is done.
 */
public final class BrowserRequestGuard {

    /** The header the dashboard sends with every action; any non-empty value. */
    public static final String ACTION_HEADER = "x-shadowgate-action";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Set<String> trustedHosts;

    /**
     * @param trustedHosts host names (without port, any case) trusted besides IP literals and {@code localhost}, for
     *                     an admin listener reached under a real name
     */
    public BrowserRequestGuard(Set<String> trustedHosts) {
        this.trustedHosts = trustedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(
                java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The 403 for a refused request, or {@code null} when it may proceed. */
    public AdminResponse check(AdminRequest request) {
        String origin = request.header("origin");
        String site = request.header("sec-fetch-site");
        String mode = request.header("sec-fetch-mode");
        if (origin == null && site == null && mode == null) {
            return null;
        }
        String host = request.header("host");
        if (host == null || !trustedHost(hostName(host))) {
            return refuse("host '" + host + "' is not trusted for browser requests (DNS rebinding protection); "
                    + "open the dashboard at an IP address or localhost, e.g. http://127.0.0.1:<admin port>/ui/");
        }
        boolean crossSite = "cross-site".equals(site) || "same-site".equals(site);
        if (crossSite && !("navigate".equals(mode) && SAFE_METHODS.contains(request.method()))) {
            return refuse("cross-site request (Sec-Fetch-Site: " + site + ")");
        }
        if (SAFE_METHODS.contains(request.method())) {
            return null;
        }
        if (site != null && !"same-origin".equals(site)) {
            return refuse(request.method() + " from a browser must be same-origin (Sec-Fetch-Site: " + site + ")");
        }
        if (origin != null && !sameOrigin(origin, host)) {
            return refuse(request.method() + " from origin '" + origin + "' to host '" + host + "'");
        }
        String action = request.header(ACTION_HEADER);
        if (action == null || action.isBlank()) {
            return refuse(request.method() + " from a browser needs the " + ACTION_HEADER + " header");
        }
        return null;
    }

    private boolean trustedHost(String name) {
        if (name.isEmpty()) {
            return false;
        }
        if (name.equals("localhost") || name.endsWith(".localhost") || trustedHosts.contains(name)) {
            return true;
        }
        if (name.startsWith("[") && name.endsWith("]")) {
            return name.length() > 2 && name.substring(1, name.length() - 1).chars()
                    .allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        return NetUtil.isValidIpV4Address(name);
    }

    /** The host of a {@code Host} header value, lower case, without the port ({@code [::1]} keeps its brackets). */
    private static String hostName(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? "" : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static boolean sameOrigin(String origin, String host) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        String authority;
        if (o.startsWith("http://")) {
            authority = o.substring("http://".length());
        } else if (o.startsWith("https://")) {
            authority = o.substring("https://".length());
        } else {
            return false;
        }
        return authority.equals(host.trim().toLowerCase(Locale.ROOT));
    }

    private static AdminResponse refuse(String why) {
        return AdminResponse.text(403, "403 Forbidden: " + why + "\n");
    }
}

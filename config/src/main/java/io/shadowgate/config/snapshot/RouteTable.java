package io.shadowgate.config.snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The virtual hosts of one listener, with Envoy's host selection: an exact domain first, then the longest
 * suffix wildcard ({@code *.example.com}), then the longest prefix wildcard ({@code foo.*}), then {@code *}.
 * The port in {@code Host} never decides the match (Istio gives every virtual host the domains {@code host} and
 * {@code host:*}), so it is stripped before the lookup.
 *
 * <p>Immutable and thread-safe.
 */
public final class RouteTable {

    private final List<VirtualHostConfig> virtualHosts;
    private final Map<String, VirtualHostConfig> exact = new HashMap<>();
    private final List<Map.Entry<String, VirtualHostConfig>> suffixWildcards = new ArrayList<>();
    private final List<Map.Entry<String, VirtualHostConfig>> prefixWildcards = new ArrayList<>();
    private final VirtualHostConfig catchAll;

    /** Builds the lookup structures; the first virtual host that claims a domain keeps it. */
    public RouteTable(List<VirtualHostConfig> virtualHosts) {
        this.virtualHosts = List.copyOf(virtualHosts);
        VirtualHostConfig any = null;
        Map<String, VirtualHostConfig> suffix = new HashMap<>();
        Map<String, VirtualHostConfig> prefix = new HashMap<>();
        for (VirtualHostConfig vh : this.virtualHosts) {
            for (String raw : vh.domains()) {
                String domain = raw.toLowerCase(Locale.ROOT);
                if (domain.equals("*")) {
                    if (any == null) {
                        any = vh;
                    }
                } else if (domain.startsWith("*")) {
                    suffix.putIfAbsent(domain.substring(1), vh);
                } else if (domain.endsWith("*")) {
                    prefix.putIfAbsent(domain.substring(0, domain.length() - 1), vh);
                } else {
                    exact.putIfAbsent(domain, vh);
                }
            }
        }
        Comparator<Map.Entry<String, VirtualHostConfig>> longestFirst =
                Comparator.comparingInt((Map.Entry<String, VirtualHostConfig> e) -> e.getKey().length()).reversed();
        suffixWildcards.addAll(suffix.entrySet());
        suffixWildcards.sort(longestFirst);
        prefixWildcards.addAll(prefix.entrySet());
        prefixWildcards.sort(longestFirst);
        this.catchAll = any;
    }

    /** All virtual hosts, in configuration order. */
    public List<VirtualHostConfig> virtualHosts() {
        return virtualHosts;
    }

    /** The virtual host serving {@code authority} ({@code Host} header, port allowed), or {@code null}. */
    public VirtualHostConfig selectVirtualHost(String authority) {
        String host = stripPort(authority == null ? "" : authority).toLowerCase(Locale.ROOT);
        VirtualHostConfig vh = exact.get(host);
        if (vh != null) {
            return vh;
        }
        for (Map.Entry<String, VirtualHostConfig> e : suffixWildcards) {
            // "*.example.com" needs at least one character before ".example.com", as Envoy requires.
            if (host.length() > e.getKey().length() && host.endsWith(e.getKey())) {
                return e.getValue();
            }
        }
        for (Map.Entry<String, VirtualHostConfig> e : prefixWildcards) {
            if (host.length() > e.getKey().length() && host.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return catchAll;
    }

    /** The first route of the selected virtual host that matches, or {@code null} (Envoy's {@code NR}). */
    public RouteConfig route(RequestView request) {
        VirtualHostConfig vh = selectVirtualHost(request.authority());
        if (vh == null) {
            return null;
        }
        for (RouteConfig route : vh.routes()) {
            if (route.matcher().matches(request)) {
                return route;
            }
        }
        return null;
    }

    /** {@code host:port} → {@code host}; {@code [::1]:80} → {@code [::1]}; a bare IPv6 literal is kept. */
    static String stripPort(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end > 0 ? authority.substring(0, end + 1) : authority;
        }
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || authority.indexOf(':') != colon) {
            return authority;
        }
        return authority.substring(0, colon);
    }
}

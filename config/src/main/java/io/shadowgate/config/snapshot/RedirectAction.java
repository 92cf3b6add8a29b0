package io.shadowgate.config.snapshot;

/**
 * Istio {@code redirect}: answer with a redirect, never forward and never mirror.
 *
 * @param uri            replacement path ({@code uri}), or {@code null} to keep the request's
 * @param prefixRewrite  replacement for the matched prefix ({@code prefixRewrite}), or {@code null}
 * @param matchedPrefix  the route's {@code uri.prefix} that {@code prefixRewrite} replaces, or {@code null}
 * @param authority      replacement host, or {@code null} to keep the request's
 * @param port           replacement port, or 0
 * @param derivePort     {@code FROM_PROTOCOL_DEFAULT}, {@code FROM_REQUEST_PORT}, or {@code null}
 * @param scheme         replacement scheme, or {@code null} to keep the request's
 * @param code           301, 302, 303, 307 or 308
 * @param headers        route-level response header operations
 */
public record RedirectAction(String uri, String prefixRewrite, String matchedPrefix, String authority, int port,
                             String derivePort, String scheme, int code, HeaderOps headers) implements RouteAction {

    /**
     * The {@code Location} for {@code request}, built as Envoy does: the query string is kept unless {@code uri}
     * replaces the whole path, {@code :80} is dropped for http and {@code :443} for https.
     */
    public String location(RequestView request) {
        String newScheme = scheme != null ? scheme : request.scheme();
        String host = authority;
        String requestHost = request.authority();
        int requestPort = -1;
        String requestHostOnly = RouteTable.stripPort(requestHost);
        if (requestHostOnly.length() < requestHost.length()) {
            try {
                requestPort = Integer.parseInt(requestHost.substring(requestHostOnly.length() + 1));
            } catch (NumberFormatException ignored) {
                requestPort = -1;
            }
        }
        if (host == null) {
            host = requestHostOnly;
        } else {
            host = RouteTable.stripPort(host);
        }
        int newPort;
        if (port > 0) {
            newPort = port;
        } else if ("FROM_REQUEST_PORT".equals(derivePort)) {
            newPort = request.listenerPort();
        } else if ("FROM_PROTOCOL_DEFAULT".equals(derivePort)) {
            newPort = -1;
        } else if (authority == null && scheme == null) {
            newPort = requestPort;
        } else {
            // Envoy keeps the original port only when neither host nor scheme is redirected.
            newPort = -1;
        }
        if (("http".equals(newScheme) && newPort == 80) || ("https".equals(newScheme) && newPort == 443)) {
            newPort = -1;
        }
        String full = request.path();
        int q = full.indexOf('?');
        String path = q < 0 ? full : full.substring(0, q);
        String query = q < 0 ? "" : full.substring(q);
        String newPath;
        if (uri != null) {
            newPath = uri;
            if (uri.contains("?")) {
                query = "";
            }
        } else if (prefixRewrite != null && matchedPrefix != null && path.startsWith(matchedPrefix)) {
            newPath = prefixRewrite + path.substring(matchedPrefix.length());
        } else {
            newPath = path;
        }
        StringBuilder sb = new StringBuilder(newScheme).append("://").append(host);
        if (newPort > 0) {
            sb.append(':').append(newPort);
        }
        return sb.append(newPath).append(query).toString();
    }
}

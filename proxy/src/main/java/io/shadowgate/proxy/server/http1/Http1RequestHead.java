package io.shadowgate.proxy.server.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpRequest;
import io.shadowgate.proxy.stream.RequestHead;
import java.util.List;

/**
 * {@link RequestHead} over a decoded HTTP/1 request. Query and cookies are parsed lazily, at most once. Used by one
 * event loop only.
 */
public final class Http1RequestHead implements RequestHead {

    private final HttpRequest request;
    private final String method;
    private final String authority;
    private final String path;
    private final String remoteAddress;
    private final int remotePort;
    private final int listenerPort;
    private final long startTimeMillis;
    private final boolean chunked;
    private final long declaredLength;
    private String[] query;
    private String[] cookies;

    /**
     * @param request         the decoded head
     * @param authority       the Host header, or the absolute-form target's authority
     * @param path            the normalized origin-form target
     * @param remoteAddress   the client's address without port
     * @param remotePort      the client's port
     * @param listenerPort    the listener's port
     * @param startTimeMillis when the head was decoded (epoch milliseconds, from the runtime's clock)
     */
    public Http1RequestHead(HttpRequest request, String authority, String path, String remoteAddress, int remotePort,
                            int listenerPort, long startTimeMillis) {
        this.request = request;
        this.method = request.method().name();
        this.authority = authority;
        this.path = path;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        this.listenerPort = listenerPort;
        this.startTimeMillis = startTimeMillis;
        // The client's framing, read once: chunked, else the declared Content-Length (-1 when none).
        this.chunked = HttpUtil.isTransferEncodingChunked(request);
        this.declaredLength = chunked ? -1L : HttpUtil.getContentLength(request, -1L);
    }

    /** The decoded head this view reads. */
    HttpRequest request() {
        return request;
    }

    @Override
    public HttpHeaders headers() {
        return request.headers();
    }

    @Override
    public HttpMethod httpMethod() {
        return request.method();
    }

    @Override
    public long declaredLength() {
        return declaredLength;
    }

    @Override
    public boolean streamedBody() {
        return chunked;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String scheme() {
        return "http";
    }

    @Override
    public String authority() {
        return authority;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String header(String name) {
        HttpHeaders h = request.headers();
        String first = h.get(name);
        if (first == null) {
            return name.equals(":authority") ? authority : name.equals(":method") ? method
                    : name.equals(":path") ? path : name.equals(":scheme") ? "http" : null;
        }
        List<String> all = h.getAll(name);
        return all.size() == 1 ? first : String.join(",", all);
    }

    @Override
    public String cookie(String name) {
        if (cookies == null) {
            String raw = request.headers().get(HttpHeaderNames.COOKIE);
            cookies = raw == null ? new String[0] : splitPairs(raw, ';');
        }
        String v = lookup(cookies, name);
        // Envoy's Utility::parseCookieValue: a value may be wrapped in double quotes (RFC 6265 §4.1.1).
        if (v != null && v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            v = v.substring(1, v.length() - 1);
        }
        return v;
    }

    @Override
    public String queryParam(String name) {
        if (query == null) {
            int q = path.indexOf('?');
            query = q < 0 ? new String[0] : splitPairs(path.substring(q + 1), '&');
        }
        return lookup(query, name);
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public int listenerPort() {
        return listenerPort;
    }

    /** The client's port, for {@code %DOWNSTREAM_REMOTE_ADDRESS%} ({@code ip:port}, as Envoy prints it). */
    @Override
    public int remotePort() {
        return remotePort;
    }

    /** {@code HTTP/1.0} or {@code HTTP/1.1}, as the client sent it ({@code %PROTOCOL%}). */
    @Override
    public String protocol() {
        return request.protocolVersion().text();
    }

    /** When the request's headers were decoded ({@code %START_TIME%}). */
    @Override
    public long startTimeMillis() {
        return startTimeMillis;
    }

    /** {@code a=1; b; c=3} → {@code [a, 1, b, "", c, 3]}. */
    private static String[] splitPairs(String s, char sep) {
        String[] parts = s.split(String.valueOf(sep), -1);
        String[] out = new String[parts.length * 2];
        int n = 0;
        for (String p : parts) {
            String part = p.strip();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            out[n++] = eq < 0 ? part : part.substring(0, eq);
            out[n++] = eq < 0 ? "" : part.substring(eq + 1);
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static String lookup(String[] pairs, String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                return pairs[i + 1];
            }
        }
        return null;
    }
}

package io.shadowgate.config.snapshot;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link RequestView} over plain values, for tests, benchmarks and {@code shadowgate explain}.
 *
 * <pre>{@code
 * RequestView r = SimpleRequest.builder().method("POST").authority("reviews:9080").path("/api/v1?user=jason")
 *         .header("x-user", "jason").build();
 * }</pre>
 *
 * <p>Header names are case-insensitive (stored lower case); repeated headers are joined with {@code ","} as Envoy's
 * matcher sees them. Query parameters and cookies are parsed on each call, without percent-decoding.
 */
public final class SimpleRequest implements RequestView {

    private final String method;
    private final String scheme;
    private final String authority;
    private final String path;
    private final Map<String, String> headers;
    private final String remoteAddress;
    private final int remotePort;
    private final int listenerPort;
    private final String protocol;
    private final long startTimeMillis;

    private SimpleRequest(Builder b) {
        this.method = b.method;
        this.scheme = b.scheme;
        this.authority = b.authority;
        this.path = b.path;
        this.headers = Map.copyOf(b.headers);
        this.remoteAddress = b.remoteAddress;
        this.remotePort = b.remotePort;
        this.listenerPort = b.listenerPort;
        this.protocol = b.protocol;
        this.startTimeMillis = b.startTimeMillis;
    }

    /**
     * A builder with defaults: {@code GET http://localhost/} over {@code HTTP/1.1} from {@code 127.0.0.1} (port 0) on
     * listener port 8080, started at epoch millisecond 0 (deterministic, for tests).
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code GET} of {@code path} on {@code authority}. */
    public static SimpleRequest get(String authority, String path) {
        return builder().authority(authority).path(path).build();
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String scheme() {
        return scheme;
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
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** All headers, lower-case names, repeated values joined with {@code ","}. */
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public String cookie(String name) {
        String all = header("cookie");
        if (all == null) {
            return null;
        }
        for (String part : all.split("[;,]")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            String k = eq < 0 ? p : p.substring(0, eq).strip();
            if (k.equals(name)) {
                String v = eq < 0 ? "" : p.substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }

    @Override
    public String queryParam(String name) {
        int q = path.indexOf('?');
        if (q < 0) {
            return null;
        }
        int end = path.indexOf('#', q);
        String query = path.substring(q + 1, end < 0 ? path.length() : end);
        for (String part : query.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            if (k.equals(name)) {
                return eq < 0 ? "" : part.substring(eq + 1);
            }
        }
        return null;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public int remotePort() {
        return remotePort;
    }

    @Override
    public int listenerPort() {
        return listenerPort;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public long startTimeMillis() {
        return startTimeMillis;
    }

    @Override
    public String toString() {
        return method + " " + scheme + "://" + authority + path + " " + headers;
    }

    /** Builds a {@link SimpleRequest}. */
    public static final class Builder {
        private String method = "GET";
        private String scheme = "http";
        private String authority = "localhost";
        private String path = "/";
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String remoteAddress = "127.0.0.1";
        private int remotePort = 0;
        private int listenerPort = 8080;
        private String protocol = "HTTP/1.1";
        private long startTimeMillis = 0;

        private Builder() {
        }

        /** The method ({@code GET}). */
        public Builder method(String method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /** {@code http} or {@code https}. */
        public Builder scheme(String scheme) {
            this.scheme = Objects.requireNonNull(scheme, "scheme");
            return this;
        }

        /** The Host header ({@code :authority}), port allowed. */
        public Builder authority(String authority) {
            this.authority = Objects.requireNonNull(authority, "authority");
            return this;
        }

        /** The request target in origin form, query included. */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * {@code http://host:port/path?query}: sets scheme, authority and path at once (a convenience for tests and
         * {@code explain}).
         */
        public Builder url(String url) {
            int schemeEnd = url.indexOf("://");
            if (schemeEnd < 0) {
                throw new IllegalArgumentException("url: " + url + " (expected: scheme://authority/path)");
            }
            scheme(url.substring(0, schemeEnd));
            int pathStart = url.indexOf('/', schemeEnd + 3);
            if (pathStart < 0) {
                int q = url.indexOf('?', schemeEnd + 3);
                authority(url.substring(schemeEnd + 3, q < 0 ? url.length() : q));
                path(q < 0 ? "/" : "/" + url.substring(q));
            } else {
                authority(url.substring(schemeEnd + 3, pathStart));
                path(url.substring(pathStart));
            }
            return this;
        }

        /** Adds a header value; a repeated name is joined with {@code ","}. */
        public Builder header(String name, String value) {
            headers.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + "," + b);
            return this;
        }

        /** Adds several header values (name, value, name, value, ...). */
        public Builder headers(String... nameValues) {
            if (nameValues.length % 2 != 0) {
                throw new IllegalArgumentException("headers: odd number of arguments (expected: name, value pairs)");
            }
            for (int i = 0; i < nameValues.length; i += 2) {
                header(nameValues[i], nameValues[i + 1]);
            }
            return this;
        }

        /** Adds a cookie to the {@code cookie} header. */
        public Builder cookie(String name, String value) {
            String existing = headers.get("cookie");
            headers.put("cookie", existing == null ? name + "=" + value : existing + "; " + name + "=" + value);
            return this;
        }

        /** The client address without port. */
        public Builder remoteAddress(String remoteAddress) {
            this.remoteAddress = remoteAddress;
            return this;
        }

        /** The client port. */
        public Builder remotePort(int remotePort) {
            this.remotePort = remotePort;
            return this;
        }

        /** The listener port the request arrived on. */
        public Builder listenerPort(int listenerPort) {
            this.listenerPort = listenerPort;
            return this;
        }

        /** {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}. */
        public Builder protocol(String protocol) {
            this.protocol = protocol;
            return this;
        }

        /** Request start, epoch milliseconds. */
        public Builder startTimeMillis(long startTimeMillis) {
            this.startTimeMillis = startTimeMillis;
            return this;
        }

        /** The request. */
        public SimpleRequest build() {
            return new SimpleRequest(this);
        }
    }
}

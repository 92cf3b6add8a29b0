package io.shadowgate.proxy.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.shadowgate.config.snapshot.CorsConfig;
import io.shadowgate.config.snapshot.StringMatcher;
import io.shadowgate.proxy.stream.RequestHead;

/**
 * A route's CORS policy applied to one request (Envoy's {@code filters/http/cors}): a preflight from an allowed
 * origin is answered locally, a preflight from another origin too unless the route forwards unmatched preflights,
 * and any answer to an allowed origin carries the {@code access-control-*} headers. Event-loop confined.
 */
final class CorsPolicy {

    private final CorsConfig cors;
    /** The request's origin when the route allows it, else {@code null}. */
    private final String allowedOrigin;
    private final boolean answerLocally;

    private CorsPolicy(CorsConfig cors, String allowedOrigin, boolean answerLocally) {
        this.cors = cors;
        this.allowedOrigin = allowedOrigin;
        this.answerLocally = answerLocally;
    }

    /** The policy for {@code head}, or {@code null} when CORS has nothing to do with it (no {@code Origin}). */
    static CorsPolicy evaluate(CorsConfig cors, RequestHead head) {
        String origin = head.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return null;
        }
        boolean allowed = false;
        for (StringMatcher m : cors.allowOrigins()) {
            if (m.matches(origin)) {
                allowed = true;
                break;
            }
        }
        boolean preflight = head.httpMethod() == HttpMethod.OPTIONS
                && head.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (!allowed) {
            return preflight && !cors.forwardUnmatchedPreflights() ? new CorsPolicy(cors, null, true) : null;
        }
        return new CorsPolicy(cors, origin, preflight);
    }

    /** Whether the request is a preflight answered here rather than forwarded. */
    boolean answersLocally() {
        return answerLocally;
    }

    /** The local answer to a preflight (the origin headers are added by {@link #decorate}). */
    FullHttpResponse preflightReply(ByteBufAllocator alloc) {
        FullHttpResponse r = LocalReplies.text(alloc, 200, "");
        if (allowedOrigin == null) {
            return r;
        }
        HttpHeaders h = r.headers();
        if (cors.allowMethods() != null) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, cors.allowMethods());
        }
        if (cors.allowHeaders() != null) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, cors.allowHeaders());
        }
        if (cors.maxAgeSeconds() >= 0) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, cors.maxAgeSeconds());
        }
        return r;
    }

    /** Adds the allowed origin's headers to an answer (forwarded or local); nothing for a disallowed origin. */
    void decorate(HttpHeaders h) {
        if (allowedOrigin == null) {
            return;
        }
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowedOrigin);
        if (Boolean.TRUE.equals(cors.allowCredentials())) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        if (cors.exposeHeaders() != null) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, cors.exposeHeaders());
        }
    }
}

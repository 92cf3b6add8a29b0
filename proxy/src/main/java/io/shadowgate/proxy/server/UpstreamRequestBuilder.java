package io.shadowgate.proxy.server;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.WeightedDestination;
import io.shadowgate.proxy.observe.RequestTracer;
import io.shadowgate.proxy.stream.RequestHead;
import java.util.List;

/**
 * The upstream request head of each attempt (Envoy's {@code FilterUtility} and {@code HeaderParser}): hop-by-hop and
 * {@code Connection}-listed headers removed, {@code Host}, {@code x-forwarded-for}/{@code -proto},
 * {@code x-request-id}, {@code x-envoy-attempt-count}, {@code x-envoy-expected-rq-timeout-ms}, trace context,
 * rewrites (with {@code x-envoy-original-path}), the destination's header operations, and framing regenerated from
 * the client's ({@code Content-Length}, or chunked when the body streams).
 *
 * <p>The client's decoded header map is edited in place when nothing reads the original later: header operations
 * and mirrors render {@code %REQ(...)%} from the client's headers, so routes with either get a copy. Another attempt
 * then starts from the previous attempt's head ({@link #next}). Event-loop confined; one per exchange.
 */
final class UpstreamRequestBuilder {

    private final RequestHead head;
    private final ForwardAction forward;
    private final WeightedDestination destination;
    private final String requestId;
    private final RequestTracer.Span span;
    private boolean inPlace;
    /** The trace id the client's headers carried, read before they were edited in place. */
    private String clientTraceId;

    UpstreamRequestBuilder(RequestHead head, ForwardAction forward, WeightedDestination destination,
                           String requestId, RequestTracer.Span span) {
        this.head = head;
        this.forward = forward;
        this.destination = destination;
        this.requestId = requestId;
        this.span = span;
    }

    /** The first attempt's head. */
    HttpRequest first() {
        boolean chunked = head.streamedBody();
        long length = head.declaredLength();
        HttpHeaders h;
        if (destination.requestHeaders().isEmpty() && destination.responseHeaders().isEmpty()
                && forward.mirrors().isEmpty()) {
            h = head.headers();
            inPlace = true;
            clientTraceId = span.traceId() == null ? clientTraceId(h) : null;
            ProxyHeaders.removeHopByHop(h);
        } else {
            h = ProxyHeaders.copyEndToEnd(head.headers());
        }
        String path = head.path();
        String newPath = path;
        if (forward.rewrite() != null) {
            newPath = forward.rewrite().rewritePath(path);
            if (forward.rewrite().rewritesPath() && !newPath.equals(path)) {
                h.set("x-envoy-original-path", path);
            }
        }
        h.set(HttpHeaderNames.HOST, head.authority());
        // Envoy's Utility::appendXff: repeated headers are one (coalesced with ","), the peer appended with ",".
        List<String> xff = h.getAll("x-forwarded-for");
        h.set("x-forwarded-for", xff.isEmpty() ? head.remoteAddress()
                : String.join(",", xff) + "," + head.remoteAddress());
        h.set("x-forwarded-proto", head.scheme());
        h.set("x-request-id", requestId);
        h.set("x-envoy-attempt-count", "1");
        if (!forward.timeout().isZero()) {
            h.set("x-envoy-expected-rq-timeout-ms", forward.timeout().toMillis());
        }
        span.inject(h::set);
        ProxyHeaders.apply(destination.requestHeaders(), h, head);
        String authority = destination.hostRewrite();
        if (authority == null && forward.rewrite() != null) {
            authority = forward.rewrite().authority();
        }
        if (authority != null) {
            h.set(HttpHeaderNames.HOST, authority);
        }
        if (chunked) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else if (length > 0 || (length == 0 && methodMayHaveBody())) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, head.httpMethod(), newPath, h);
    }

    /**
     * The head of another attempt: built again from the client's headers, or, when those were edited in place,
     * a copy of {@code previous} (the same inputs give the same headers).
     */
    HttpRequest next(HttpRequest previous) {
        if (!inPlace) {
            return first();
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, previous.method(), previous.uri(),
                previous.headers().copy());
    }

    /** The trace id for the log: the span's, else the one the client's headers carried. */
    String traceId() {
        String traced = span.traceId();
        if (traced != null) {
            return traced;
        }
        return inPlace ? clientTraceId : clientTraceId(head.headers());
    }

    /** The trace id of a request never forwarded: the span's, else the one {@code headers} carry. */
    static String traceIdOf(RequestTracer.Span span, HttpHeaders headers) {
        String traced = span.traceId();
        return traced != null ? traced : clientTraceId(headers);
    }

    /** The trace id the client's headers carry, if any. */
    static String clientTraceId(HttpHeaders headers) {
        String tp = headers.get("traceparent");
        if (tp != null && tp.length() >= 35) {
            return tp.substring(3, 35);
        }
        return headers.get("x-b3-traceid");
    }

    private boolean methodMayHaveBody() {
        HttpMethod m = head.httpMethod();
        return m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH;
    }
}

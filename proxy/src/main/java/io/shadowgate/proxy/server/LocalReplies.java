package io.shadowgate.proxy.server;

import io.shadowgate.proxy.stream.RequestHead;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Responses the proxy generates itself, with Envoy's bodies so clients and scripts see familiar text. */
final class LocalReplies {

    static final String UPSTREAM_RESET_PREFIX = "upstream connect error or disconnect/reset before headers. ";

    private LocalReplies() {
    }

    /** A complete response with a plain-text body ({@code ""} for none). */
    static FullHttpResponse text(ByteBufAllocator alloc, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                bytes.length == 0 ? Unpooled.EMPTY_BUFFER : alloc.buffer(bytes.length).writeBytes(bytes),
                ProxyHeaders.newHeaders(), ProxyHeaders.newHeaders());
        if (bytes.length > 0) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
        }
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return r;
    }

    /**
     * A local reply shaped for the request, as Envoy's local replies are: a gRPC request
     * ({@code content-type: application/grpc...}) gets a trailers-only answer with the gRPC status Envoy maps the
     * HTTP status to and the text as {@code grpc-message}; anything else gets {@link #text}.
     */
    static FullHttpResponse forRequest(RequestHead head, ByteBufAllocator alloc, int status, String body) {
        String contentType = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType != null && contentType.startsWith("application/grpc")) {
            return grpc(alloc, GrpcStatus.fromHttp(status), body);
        }
        return text(alloc, status, body);
    }

    /**
     * A gRPC trailers-only answer: HTTP 200, {@code content-type: application/grpc} and {@code grpc-status} (and
     * {@code grpc-message} when given) in the head, no body.
     */
    static FullHttpResponse grpc(ByteBufAllocator alloc, int grpcStatus, String message) {
        FullHttpResponse r = text(alloc, 200, "");
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
        r.headers().set("grpc-status", String.valueOf(grpcStatus));
        if (message != null && !message.isEmpty()) {
            r.headers().set("grpc-message", message);
        }
        return r;
    }

    /** A complete response with the given bytes as body. */
    static FullHttpResponse bytes(ByteBufAllocator alloc, int status, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                body.length == 0 ? Unpooled.EMPTY_BUFFER : alloc.buffer(body.length).writeBytes(body),
                ProxyHeaders.newHeaders(), ProxyHeaders.newHeaders());
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }
}

package io.shadowgate.proxy.server;

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

    /** A complete response with the given bytes as body. */
    static FullHttpResponse bytes(ByteBufAllocator alloc, int status, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                body.length == 0 ? Unpooled.EMPTY_BUFFER : alloc.buffer(body.length).writeBytes(body),
                ProxyHeaders.newHeaders(), ProxyHeaders.newHeaders());
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }
}

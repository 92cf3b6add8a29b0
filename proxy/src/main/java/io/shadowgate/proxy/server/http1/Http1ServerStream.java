package io.shadowgate.proxy.server.http1;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.shadowgate.proxy.observe.ResponseFlag;
import io.shadowgate.proxy.stream.DownstreamStream;
import io.shadowgate.proxy.stream.RequestHead;
import io.shadowgate.proxy.stream.ResponseWriter;

/**
 * One HTTP/1.1 request on a client connection as a {@link DownstreamStream}, and its answer as a
 * {@link ResponseWriter}. Owns what is HTTP/1 about an exchange:
 * <ul>
 *   <li>{@code Expect: 100-continue} is answered as soon as the head is decoded, before routing (Envoy with
 *       {@code proxy_100_continue} off);</li>
 *   <li>response framing: the upstream's {@code Content-Length} when known, else chunked for HTTP/1.1 and a
 *       close-delimited body for HTTP/1.0;</li>
 *   <li>connection management: keep-alive only when the client asked for it, the request was consumed to its end
 *       (or had no body), nothing forced a close and the proxy is not draining; {@code Connection: close} or
 *       {@code keep-alive} (HTTP/1.0) said on the response;</li>
 *   <li>client reads (AUTO_READ is off: {@link #readRequestData()} is one {@code read()}) and writability.</li>
 * </ul>
 * Confined to the connection's event loop; the connection ({@link Http1Connection}) runs one stream at a time.
 */
public final class Http1ServerStream implements DownstreamStream, ResponseWriter {

    private final ChannelHandlerContext ctx;
    private final Http1RequestHead head;
    private final Http1Connection connection;
    private final boolean clientKeepAlive;
    private final boolean http11;
    private Listener listener;
    /** The router consumed the request's end ({@link #requestConsumed()}). */
    private boolean requestConsumed;
    /** Something made the connection's framing untrustworthy or asked for a close: no request after this one. */
    private boolean closeAfterResponse;

    /**
     * @param ctx        the client connection's last handler context (writes start there)
     * @param head       the decoded request head
     * @param connection the connection handler this stream reports to
     */
    public Http1ServerStream(ChannelHandlerContext ctx, Http1RequestHead head, Http1Connection connection) {
        this.ctx = ctx;
        this.head = head;
        this.connection = connection;
        this.clientKeepAlive = HttpUtil.isKeepAlive(head.request());
        this.http11 = head.request().protocolVersion().equals(HttpVersion.HTTP_1_1);
    }

    /** Hands the stream to {@code router} and starts it: 100-continue first, then the head. */
    public void start(Listener router) {
        this.listener = router;
        if (HttpUtil.is100ContinueExpected(head.request())) {
            // Envoy answers 100-continue itself (proxy_100_continue off) as soon as the headers are decoded, before
            // routing, fault delays or local replies, and strips Expect upstream (ActiveStream::decodeHeaders).
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        router.onHeaders();
    }

    /** The router receiving this stream's events. */
    public Listener listener() {
        return listener;
    }

    /** A body chunk of this request from the codec; ownership passes to the router. */
    public void onContent(HttpContent content) {
        listener.onData(content);
    }

    // ------------------------------------------------------------------ DownstreamStream

    @Override
    public RequestHead head() {
        return head;
    }

    @Override
    public ResponseWriter response() {
        return this;
    }

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    @Override
    public void readRequestData() {
        ctx.read();
    }

    @Override
    public boolean inReadBatch() {
        return connection.inReadBatch();
    }

    @Override
    public void requestConsumed() {
        requestConsumed = true;
    }

    @Override
    public void streamDone() {
        // Answered before the request body ended: the connection's framing cannot be trusted to line up.
        connection.streamDone(this, (requestConsumed || head.bodyless()) && !closeAfterResponse);
    }

    // ------------------------------------------------------------------ ResponseWriter

    @Override
    public void writeHead(HttpResponseStatus status, HttpHeaders headers, long contentLength) {
        int code = status.code();
        boolean bodyless = head.httpMethod() == HttpMethod.HEAD || code == 204 || code == 304;
        if (contentLength >= 0 && code != 204) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        } else if (!bodyless) {
            if (http11) {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                // HTTP/1.0 has no chunked coding: the body ends with the connection.
                closeAfterResponse = true;
            }
        }
        sayConnection(headers, requestConsumed);
        ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, headers));
    }

    @Override
    public void writeData(HttpContent data) {
        if (data instanceof LastHttpContent) {
            ctx.writeAndFlush(data);
        } else {
            ctx.writeAndFlush(data, ctx.voidPromise());
        }
    }

    @Override
    public void writeLocal(FullHttpResponse response) {
        // A bodyless request is complete at its head, even when the answer (a redirect, a 503) comes before the
        // decoder's empty last chunk was handed over: the connection's framing is intact and may be kept.
        sayConnection(response.headers(), requestConsumed || head.bodyless());
        ctx.writeAndFlush(response);
    }

    /** Keep-alive or close, said on the response head. */
    private void sayConnection(HttpHeaders headers, boolean framingIntact) {
        boolean keepAlive = clientKeepAlive && framingIntact && !connection.draining() && !closeAfterResponse;
        if (!keepAlive) {
            closeAfterResponse = true;
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!http11) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    @Override
    public void reset() {
        ctx.close();
    }

    @Override
    public void endAfterResponse() {
        closeAfterResponse = true;
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    /** Client-side failure of the request in flight (see {@link Listener#onReset}). */
    public void clientFailed(int status, ResponseFlag flag, String body) {
        listener.onReset(status, flag, body);
    }
}

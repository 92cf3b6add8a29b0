package io.shadowgate.admin.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns aggregated Netty requests into {@link AdminRequest}s (copied on the IO thread, so the Netty request is
 * released at once) and runs the router on the worker executor, which is single-threaded so pipelined requests are
 * answered in order. Sharable.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);

    private final AdminRouter router;
    private final Executor worker;

    /**
     * @param router routes requests
     * @param worker runs the endpoints; must run tasks one at a time, in submission order
     */
    public AdminHttpHandler(AdminRouter router, Executor worker) {
        this.router = router;
        this.worker = worker;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = HttpMethod.HEAD.equals(request.method());
        boolean keepAliveDefault = request.protocolVersion().isKeepAliveDefault();
        if (request.decoderResult().isFailure()) {
            respond(ctx, AdminResponse.text(400, "400 Bad Request\n"), false, false, keepAliveDefault);
            return;
        }
        QueryStringDecoder qs = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
        String method = head ? "GET" : request.method().name().toUpperCase(Locale.ROOT);
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b);
        }
        AdminRequest r = new AdminRequest(method, qs.path(), qs.parameters(),
                request.content().toString(StandardCharsets.UTF_8), headers);
        try {
            worker.execute(() -> respond(ctx, router.route(r), keepAlive, head, keepAliveDefault));
        } catch (RejectedExecutionException shuttingDown) {
            respond(ctx, AdminResponse.text(503, "503 Service Unavailable: shutting down\n"), false, head,
                    keepAliveDefault);
        }
    }

    private static void respond(ChannelHandlerContext ctx, AdminResponse answer, boolean keepAlive, boolean head,
                                boolean keepAliveDefault) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        if (answer.status() != 304) {
            // A 304 has no body; a Content-Length on it would have to be the full answer's length.
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        }
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, max-age=0");
        response.headers().set("x-content-type-options", "nosniff");
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
            response.headers().set(h.getKey(), h.getValue());
        }
        if (keepAlive) {
            if (!keepAliveDefault) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}

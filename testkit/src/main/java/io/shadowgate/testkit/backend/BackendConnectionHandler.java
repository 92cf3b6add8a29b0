package io.shadowgate.testkit.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-connection request recorder and response scheduler of a {@link TestBackend}.
 *
 * <p>Threading: one instance per channel, confined to that channel's event loop; no field needs synchronisation.
 * The only cross-thread effects go through {@link TestBackend#record(RecordedRequest)} (synchronised) and
 * {@link TestBackend#behavior()} (volatile).
 *
 * <p>ByteBuf ownership: every inbound message is released in {@link #channelRead} after its bytes were hashed and the
 * prefix copied; nothing inbound is retained. Outbound buffers are allocation-free wrappers, ownership passes to
 * Netty on write.
 *
 * <p>Request recording and response writing are decoupled on purpose: a request is recorded as soon as its body ends
 * (or the connection dies), while responses go through a FIFO of jobs so that pipelined requests are answered in order
 * even when one response is delayed or streams for a long time.
 */
final class BackendConnectionHandler extends ChannelInboundHandlerAdapter {

    static final String CODEC_NAME = "http-codec";

    private static final Logger log = LoggerFactory.getLogger(BackendConnectionHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER_PREFIX = "x-testkit-header-";
    private static final byte[] GARBAGE =
            "\u0000\u0001\u0002 THIS-IS-NOT-HTTP \u00ff\u00fe garbage from testkit\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final TestBackend backend;
    private final TestBackend.Settings settings;
    private final int connectionId;

    private ChannelHandlerContext ctx;
    /** The request whose body is being received; null between requests. */
    private RequestState current;
    private final ArrayDeque<Job> pending = new ArrayDeque<>();
    private Job active;
    /** We decided to close this connection: no further response may start. */
    private boolean closing;
    /** A request was deliberately left unanswered; answering a later one would be misattributed by the client. */
    private boolean silenced;

    BackendConnectionHandler(TestBackend backend, int connectionId) {
        this.backend = backend;
        this.settings = backend.settings();
        this.connectionId = connectionId;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                onRequestHead(request);
            }
            // Not "else": a FullHttpRequest (the decoder's form for invalid messages) is both.
            if (msg instanceof HttpContent content && current != null) {
                onContent(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (active != null) {
            active.onWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) {
            // The connection ended before the body's framing did: record it, visibly incomplete.
            finishRecord(false);
        }
        if (active != null) {
            active.onInactive();
            active = null;
        }
        pending.clear();
        backend.connectionClosed(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Mostly "connection reset by peer" from clients that give up; nothing to report to the test.
        log.debug("backend {} connection {}: closing after {}", settings.name(), connectionId, cause.toString());
        ctx.close();
    }

    // ---- request side ----

    private void onRequestHead(HttpRequest request) {
        if (current != null) {
            finishRecord(false);
        }
        Behavior behavior = backend.behavior();
        current = new RequestState(request, behavior, settings.recordBodyBytes());
        if (request.decoderResult().isFailure()) {
            finishRecord(false);
            fail(HttpResponseStatus.BAD_REQUEST, "malformed request: " + request.decoderResult().cause());
            return;
        }
        switch (behavior) {
            case RESET -> {
                closing = true;
                // SO_LINGER 0 turns close() into an abortive close: the kernel sends RST instead of FIN.
                ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                ctx.channel().close();
            }
            case CLOSE_AFTER_HEADERS -> {
                closing = true;
                // FIN first, so the peer sees an orderly close even if unread body bytes later turn close() into RST.
                ((SocketChannel) ctx.channel()).shutdownOutput().addListener(f -> ctx.channel().close());
            }
            case STALL_READ -> {
                // Switched at runtime on a live connection: stop reading from here on.
                silenced = true;
                ctx.channel().config().setAutoRead(false);
            }
            default -> {
                if (HttpUtil.is100ContinueExpected(request)) {
                    enqueue(new ContinueJob());
                }
            }
        }
    }

    private void onContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            finishRecord(false);
            fail(HttpResponseStatus.BAD_REQUEST, "malformed request body: " + content.decoderResult().cause());
            return;
        }
        current.consume(content.content());
        if (content instanceof LastHttpContent) {
            RequestState state = current;
            RecordedRequest recorded = finishRecord(true);
            onRequestComplete(state, recorded);
        }
    }

    private RecordedRequest finishRecord(boolean complete) {
        RecordedRequest recorded = current.toRecord(complete, connectionId);
        current = null;
        backend.record(recorded);
        return recorded;
    }

    private void onRequestComplete(RequestState state, RecordedRequest request) {
        switch (state.behavior) {
            case NORMAL -> {
                Job job;
                try {
                    job = normalResponse(state, request);
                } catch (IllegalArgumentException e) {
                    fail(HttpResponseStatus.BAD_REQUEST, e.getMessage());
                    return;
                }
                enqueue(job);
            }
            case ENDLESS_BODY -> enqueue(new StreamJob(HttpResponseStatus.OK, baseHeaders("application/octet-stream"),
                    Long.MAX_VALUE, null, true, 0, true, false));
            case GARBAGE -> enqueue(new GarbageJob());
            case HALF_RESPONSE -> enqueue(new HalfResponseJob());
            case NEVER_RESPOND, STALL_READ -> silenced = true;
            case RESET, CLOSE_AFTER_HEADERS -> {
                // Already closing since the headers arrived.
            }
        }
    }

    private Job normalResponse(RequestState state, RecordedRequest request) {
        int status = settings.status();
        String statusOverride = request.header("x-testkit-status");
        if (statusOverride != null) {
            status = parseLong("x-testkit-status", statusOverride, 200, 999).intValue();
        }
        long delayMs = settings.latency().toMillis();
        String delayOverride = request.header("x-testkit-delay-ms");
        if (delayOverride != null) {
            delayMs = parseLong("x-testkit-delay-ms", delayOverride, 0, TimeUnit.HOURS.toMillis(1));
        }
        boolean chunked = "true".equalsIgnoreCase(trimmed(request.header("x-testkit-chunked")));
        String bodyBytesOverride = request.header("x-testkit-body-bytes");

        List<Map.Entry<String, String>> headers;
        long length;
        byte[] json = null;
        if (bodyBytesOverride != null) {
            length = parseLong("x-testkit-body-bytes", bodyBytesOverride, 0, Long.MAX_VALUE);
            headers = baseHeaders("application/octet-stream");
        } else {
            json = echo(request);
            length = json.length;
            headers = baseHeaders("application/json");
        }
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey();
            if (name.length() > HEADER_PREFIX.length() && name.regionMatches(true, 0, HEADER_PREFIX, 0, HEADER_PREFIX.length())) {
                headers.add(Map.entry(name.substring(HEADER_PREFIX.length()), h.getValue()));
            }
        }
        HttpResponseStatus responseStatus = HttpResponseStatus.valueOf(status);
        boolean bodyless = state.head || status == 204 || status == 304;
        return new StreamJob(responseStatus, headers, length, json, chunked, delayMs, state.keepAlive, bodyless);
    }

    private List<Map.Entry<String, String>> baseHeaders(String contentType) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry(HttpHeaderNames.CONTENT_TYPE.toString(), contentType));
        headers.add(Map.entry("x-backend", settings.name()));
        headers.addAll(settings.responseHeaders());
        return headers;
    }

    private byte[] echo(RecordedRequest request) {
        ObjectNode root = JSON.createObjectNode();
        root.put("backend", settings.name());
        root.put("method", request.method());
        root.put("path", request.uri());
        ObjectNode headers = root.putObject("headers");
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            ArrayNode values = headers.has(name) ? (ArrayNode) headers.get(name) : headers.putArray(name);
            values.add(h.getValue());
        }
        root.put("bodyBytes", request.bodyBytes());
        root.put("bodySha256", request.bodySha256());
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree of strings and numbers", e);
        }
    }

    private static Long parseLong(String header, String value, long min, long max) {
        try {
            long v = Long.parseLong(value.trim());
            if (v < min || v > max) {
                throw new IllegalArgumentException(header + " out of range [" + min + ", " + max + "]: " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(header + " is not a number: " + value, e);
        }
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }

    // ---- response side ----

    private void fail(HttpResponseStatus status, String message) {
        if (silenced) {
            // An earlier request is still unanswered; an error response now would be read as its answer.
            closing = true;
            ctx.channel().close();
            return;
        }
        enqueue(new ErrorJob(status, message));
    }

    private void enqueue(Job job) {
        if (closing || silenced) {
            return;
        }
        pending.add(job);
        runNext();
    }

    private void runNext() {
        while (active == null && !pending.isEmpty()) {
            if (closing || !ctx.channel().isActive()) {
                pending.clear();
                return;
            }
            active = pending.poll();
            active.start();
        }
    }

    private void jobDone(Job job) {
        if (active == job) {
            active = null;
            runNext();
        }
    }

    private void closeAfter(ChannelFuture future) {
        closing = true;
        future.addListener(ChannelFutureListener.CLOSE);
    }

    /** One response (or interim response) on this connection; runs on the event loop. */
    private abstract static class Job {
        abstract void start();

        void onWritabilityChanged() {
        }

        void onInactive() {
        }
    }

    private final class ContinueJob extends Job {
        @Override
        void start() {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            jobDone(this);
        }
    }

    /**
     * A response whose body is either a fixed byte array (the JSON echo) or {@code length} bytes of
     * {@link BodyPattern}, written chunk by chunk only while the channel is writable, so memory stays flat however
     * long the body is ({@code Long.MAX_VALUE} = endless).
     */
    private final class StreamJob extends Job {
        private final HttpResponseStatus status;
        private final List<Map.Entry<String, String>> headers;
        private final byte[] fixedBody;
        private final boolean chunked;
        private final long delayMs;
        private final boolean keepAlive;
        private final boolean bodyless;
        private final long length;
        private long remaining;
        private boolean headSent;
        private boolean finished;
        private boolean pumping;
        private boolean repump;
        private ScheduledFuture<?> delay;

        StreamJob(HttpResponseStatus status, List<Map.Entry<String, String>> headers, long length, byte[] fixedBody,
                  boolean chunked, long delayMs, boolean keepAlive, boolean bodyless) {
            this.status = status;
            this.headers = headers;
            this.length = length;
            this.remaining = bodyless ? 0 : length;
            this.fixedBody = fixedBody;
            this.chunked = chunked;
            this.delayMs = delayMs;
            this.keepAlive = keepAlive;
            this.bodyless = bodyless;
        }

        @Override
        void start() {
            if (delayMs > 0) {
                // Scheduled, never slept: the event loop keeps serving other connections meanwhile.
                delay = ctx.executor().schedule(this::writeHead, delayMs, TimeUnit.MILLISECONDS);
            } else {
                writeHead();
            }
        }

        private void writeHead() {
            if (!ctx.channel().isActive()) {
                return;
            }
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
            for (Map.Entry<String, String> h : headers) {
                response.headers().add(h.getKey(), h.getValue());
            }
            boolean noBodyAllowed = status.code() == 204 || status.code() == 304;
            if (!noBodyAllowed) {
                if (chunked) {
                    HttpUtil.setTransferEncodingChunked(response, true);
                } else {
                    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
                }
            }
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            ctx.write(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            headSent = true;
            pump();
        }

        private void pump() {
            if (pumping) {
                // Re-entered from a writability event fired inside write()/flush(): let the outer loop go on.
                repump = true;
                return;
            }
            pumping = true;
            try {
                do {
                    repump = false;
                    while (remaining > 0 && ctx.channel().isActive() && ctx.channel().isWritable()) {
                        ctx.write(new DefaultHttpContent(nextChunk())).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                    }
                    if (remaining == 0 && !finished) {
                        finished = true;
                        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
                            if (!f.isSuccess() || !keepAlive) {
                                closing = true;
                                ctx.channel().close();
                            } else {
                                jobDone(this);
                            }
                        });
                    } else {
                        ctx.flush();
                    }
                } while (repump && !finished);
            } finally {
                pumping = false;
            }
        }

        private ByteBuf nextChunk() {
            if (fixedBody != null) {
                int offset = (int) (fixedBody.length - remaining);
                int n = (int) Math.min(remaining, BodyPattern.MAX_CHUNK);
                remaining -= n;
                return Unpooled.wrappedBuffer(fixedBody, offset, n);
            }
            int n = (int) Math.min(remaining, BodyPattern.MAX_CHUNK);
            if (remaining != Long.MAX_VALUE) {
                remaining -= n;
            }
            return BodyPattern.chunk(n);
        }

        @Override
        void onWritabilityChanged() {
            if (headSent && !finished && ctx.channel().isWritable()) {
                pump();
            }
        }

        @Override
        void onInactive() {
            if (delay != null) {
                delay.cancel(false);
            }
        }
    }

    private final class ErrorJob extends Job {
        private final HttpResponseStatus status;
        private final String message;

        ErrorJob(HttpResponseStatus status, String message) {
            this.status = status;
            this.message = message;
        }

        @Override
        void start() {
            ObjectNode body = JSON.createObjectNode().put("backend", settings.name()).put("error", message);
            byte[] bytes;
            try {
                bytes = JSON.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            DefaultFullHttpResponse response =
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .set("x-backend", settings.name())
                    .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            closeAfter(ctx.writeAndFlush(response));
        }
    }

    private final class GarbageJob extends Job {
        @Override
        void start() {
            // Written from the codec's context so the bytes go out raw, bypassing the HTTP encoder.
            closeAfter(ctx.pipeline().context(CODEC_NAME).writeAndFlush(Unpooled.wrappedBuffer(GARBAGE)));
        }
    }

    private final class HalfResponseJob extends Job {
        @Override
        void start() {
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            for (Map.Entry<String, String> h : baseHeaders("application/octet-stream")) {
                response.headers().add(h.getKey(), h.getValue());
            }
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 100);
            ctx.write(response);
            closeAfter(ctx.writeAndFlush(new DefaultHttpContent(BodyPattern.chunk(10))));
        }
    }

    /** Accumulates one request's metadata, digest and bounded body prefix while its body streams in. */
    private static final class RequestState {
        final String method;
        final String uri;
        final List<Map.Entry<String, String>> headers;
        final Behavior behavior;
        final Instant receivedAt = Instant.now();
        final boolean keepAlive;
        final boolean head;
        final int cap;
        final MessageDigest digest = BodyPattern.sha256();
        final ByteArrayOutputStream prefix;
        long bytes;

        RequestState(HttpRequest request, Behavior behavior, int cap) {
            this.method = request.method().name();
            this.uri = request.uri();
            List<Map.Entry<String, String>> hs = new ArrayList<>();
            request.headers().iteratorAsString().forEachRemaining(e -> hs.add(Map.entry(e.getKey(), e.getValue())));
            this.headers = hs;
            this.behavior = behavior;
            this.keepAlive = HttpUtil.isKeepAlive(request);
            this.head = HttpMethod.HEAD.equals(request.method());
            this.cap = cap;
            this.prefix = new ByteArrayOutputStream(Math.min(cap, 4096));
        }

        void consume(ByteBuf content) {
            int n = content.readableBytes();
            if (n == 0) {
                return;
            }
            bytes += n;
            int keep = Math.min(n, cap - prefix.size());
            if (keep > 0) {
                byte[] copy = new byte[keep];
                content.getBytes(content.readerIndex(), copy);
                prefix.write(copy, 0, keep);
            }
            if (content.hasArray()) {
                digest.update(content.array(), content.arrayOffset() + content.readerIndex(), n);
            } else {
                for (ByteBuffer nio : content.nioBuffers()) {
                    digest.update(nio);
                }
            }
        }

        RecordedRequest toRecord(boolean complete, int connectionId) {
            return new RecordedRequest(method, uri, pathOf(uri), headers, bytes,
                    HexFormat.of().formatHex(digest.digest()), prefix.toByteArray(), complete, receivedAt, connectionId);
        }

        static String pathOf(String uri) {
            String p = uri;
            int scheme = p.indexOf("://");
            if (!p.startsWith("/") && scheme > 0) {
                int slash = p.indexOf('/', scheme + 3);
                p = slash < 0 ? "/" : p.substring(slash);
            }
            int cut = p.length();
            int q = p.indexOf('?');
            if (q >= 0) {
                cut = q;
            }
            int hash = p.indexOf('#');
            if (hash >= 0 && hash < cut) {
                cut = hash;
            }
            return p.substring(0, cut);
        }
    }
}

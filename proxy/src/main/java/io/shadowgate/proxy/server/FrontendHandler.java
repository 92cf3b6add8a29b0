package io.shadowgate.proxy.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.shadowgate.proxy.mirror.RateLimitedLog;
import io.shadowgate.proxy.observe.ResponseFlag;
import io.shadowgate.proxy.server.http1.Http1Connection;
import io.shadowgate.proxy.server.http1.Http1RequestHead;
import io.shadowgate.proxy.server.http1.Http1ServerStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an HTTP/1 client connection's pipeline: one request stream at a time, requests handled in
 * order. Each request becomes an {@link Http1ServerStream} (the HTTP/1 side: framing, keep-alive) driven by a
 * {@link RouterStream} (what the request does).
 *
 * <p>AUTO_READ is off. This handler reads when the connection opens and after each exchange ends with keep-alive;
 * the exchange reads body chunks as the upstream accepts them. Messages the codec decodes ahead of time (pipelined
 * requests in the same read) wait in a small queue until the current exchange finishes, so a client can never make
 * two exchanges overlap on one connection. A malformed request is answered 400 (414, 431) and the connection
 * closed: once framing is in doubt, nothing more is read from it.
 */
final class FrontendHandler extends ChannelDuplexHandler implements Http1Connection {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FrontendHandler.class);

    /** Refused requests: logged, but a flood of them writes one line per kind every 10 seconds. */
    private static final RateLimitedLog REFUSALS = new RateLimitedLog(LOG, java.time.Duration.ofSeconds(10));

    /** Pipelined messages kept at most; a client sending more before reading answers is cut off. */
    private static final int MAX_QUEUED = 256;

    private static final int PHASE_NONE = 0;
    private static final int PHASE_IDLE = 1;
    private static final int PHASE_HEADERS = 2;

    private final ProxyRuntime rt;
    private final int listenerPort;
    private ChannelHandlerContext ctx;
    /** The request stream in progress, or {@code null} between requests. */
    private Http1ServerStream exchange;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private boolean closing;
    /** Between a socket read's first message and its channelReadComplete: upstream flushes can wait for the end. */
    private boolean inReadBatch;
    /** What {@link #deadlineNanos} guards: nothing (an exchange runs), the idle connection, or a request head. */
    private int timerPhase = PHASE_NONE;
    private long deadlineNanos;
    /**
     * The connection's one timer, or {@code null}. It is not moved when the deadline moves: when it fires early it
     * re-arms itself for the rest (Netty's {@code IdleStateHandler} pattern), so a keep-alive request costs two
     * field writes instead of a schedule and a cancel.
     */
    private ScheduledFuture<?> timer;
    private final Runnable onTimer = this::onTimer;
    private final long idleTimeoutNanos;
    private final long headersTimeoutNanos;
    /**
     * Longest a timer is scheduled ahead: a deadline set later is never earlier than now + this, so the pending
     * timer always fires at or before any deadline set while it waits.
     */
    private final long timerStepNanos;
    private String remoteAddress;
    private int remotePort;

    FrontendHandler(ProxyRuntime rt, int listenerPort) {
        this.rt = rt;
        this.listenerPort = listenerPort;
        this.idleTimeoutNanos = rt.options().listener().idleTimeout().toNanos();
        this.headersTimeoutNanos = rt.options().listener().requestHeadersTimeout().toNanos();
        this.timerStepNanos = Math.max(1, Math.min(idleTimeoutNanos, headersTimeoutNanos));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        remoteAddress = remote == null ? "" : remote.getAddress().getHostAddress();
        remotePort = remote == null ? 0 : remote.getPort();
        rt.observer().onConnection(listenerPort, 1);
        armIdleTimer();
        ctx.read();
        ctx.fireChannelActive();
    }

    /** Called by {@link ReadActivityHandler} when request bytes arrive while no request is in progress. */
    void onRequestBytes() {
        if (exchange == null && timerPhase != PHASE_HEADERS && !closing) {
            setDeadline(PHASE_HEADERS, headersTimeoutNanos);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inReadBatch = true;
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (exchange != null && queued.isEmpty() && msg instanceof HttpContent content
                && !(msg instanceof HttpRequest)) {
            exchange.onContent(content);
            return;
        }
        if (exchange != null || !queued.isEmpty()) {
            if (queued.size() >= MAX_QUEUED) {
                ReferenceCountUtil.release(msg);
                closeNow();
                return;
            }
            queued.add(msg);
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            startExchange(request);
            if (msg instanceof HttpContent content && exchange != null) {
                // A FullHttpRequest: headers and body in one object.
                exchange.onContent(content);
            }
            return;
        }
        // Body bytes without a request: a leftover of a request answered early. Nothing to do with them.
        ReferenceCountUtil.release(msg);
        ctx.read();
    }

    private void startExchange(HttpRequest request) {
        timerPhase = PHASE_NONE;
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            rejectMalformed(result.cause());
            ReferenceCountUtil.release(request);
            return;
        }
        String authority = request.headers().get(HttpHeaderNames.HOST);
        String path = request.uri();
        if (!path.startsWith("/")) {
            // Absolute form (RFC 9112 §3.2.2): the authority comes from the target and must agree with Host.
            if (path.equals("*")) {
                path = "*";
            } else {
                try {
                    URI uri = new URI(path);
                    if (uri.getRawAuthority() == null || uri.getScheme() == null) {
                        rejectWith(400, ResponseFlag.DPE, "absolute-form target without scheme or authority");
                        ReferenceCountUtil.release(request);
                        return;
                    }
                    String targetAuthority = uri.getRawAuthority();
                    if (authority != null && !authority.equalsIgnoreCase(targetAuthority)) {
                        rejectWith(400, ResponseFlag.DPE, "Host differs from the absolute-form target");
                        ReferenceCountUtil.release(request);
                        return;
                    }
                    authority = targetAuthority;
                    String p = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                    path = uri.getRawQuery() == null ? p : p + "?" + uri.getRawQuery();
                } catch (Exception e) {
                    rejectWith(400, ResponseFlag.DPE, "malformed request target");
                    ReferenceCountUtil.release(request);
                    return;
                }
            }
        }
        if (authority == null) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                rejectWith(400, ResponseFlag.DPE, "HTTP/1.1 request without Host");
                ReferenceCountUtil.release(request);
                return;
            }
            authority = "";
        }
        Http1RequestHead head = new Http1RequestHead(request, authority, PathNormalizer.normalize(path),
                remoteAddress, remotePort, listenerPort, rt.clock().millis());
        Http1ServerStream stream = new Http1ServerStream(ctx, head, this);
        exchange = stream;
        stream.start(new RouterStream(stream, rt));
    }

    /** The stream is over; {@code keepAlive} says whether the connection may carry the next request. */
    @Override
    public void streamDone(Http1ServerStream done, boolean keepAlive) {
        if (done != exchange) {
            return;
        }
        if (!keepAlive) {
            closeAfterFlush();
            return;
        }
        exchange = null;
        armIdleTimer();
        drainQueued();
        if (exchange == null && !closing) {
            RawRequestScanner wire = ctx.pipeline().get(RawRequestScanner.class);
            if (wire != null && wire.partialHead()) {
                // Part of the next request arrived with this one: its headers timeout runs from now (found by
                // RequestPathFuzzTest: otherwise only the idle timeout would apply to it).
                onRequestBytes();
            }
            ctx.read();
        }
    }

    /**
     * Hands queued (pipelined) messages out in order: a request starts an exchange when none is running, and the
     * body chunks queued behind it go to that exchange; the next request waits for the exchange to end. Re-entrant:
     * an exchange may end (and call {@link #exchangeDone}) while being fed, so the state is re-read on every step.
     */
    private void drainQueued() {
        while (!queued.isEmpty() && !closing) {
            Object next = queued.peek();
            if (exchange == null) {
                dispatch(queued.poll());
            } else if (next instanceof HttpContent content && !(next instanceof HttpRequest)) {
                queued.poll();
                exchange.onContent(content);
            } else {
                return;
            }
        }
    }

    private void closeAfterFlush() {
        closing = true;
        releaseQueued();
        LingeringClose.after(ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER));
    }

    private void rejectMalformed(Throwable cause) {
        int status = 400;
        String reason = "malformed request";
        if (cause instanceof RejectedRequestException rejected) {
            status = rejected.status();
            reason = rejected.getMessage();
        } else if (cause instanceof TooLongHttpLineException) {
            status = 414;
            reason = "request line too long";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            reason = "request header block too large";
        } else if (cause instanceof TooLongFrameException) {
            status = 413;
            reason = "request too large";
        }
        if (Http2Refusal.PRIOR_KNOWLEDGE.equals(reason)) {
            // An HTTP/2 client reads frames, not an HTTP/1.1 status line: written below the HTTP codec.
            countRefusal(status, reason);
            closing = true;
            releaseQueued();
            LingeringClose.after(ctx.pipeline().firstContext().writeAndFlush(Http2Refusal.goAway(ctx.alloc())));
            return;
        }
        rejectWith(status, ResponseFlag.DPE, reason);
    }

    /**
     * Answers {@code status} with {@code reason} as the body and closes; every refusal is counted and logged (at
     * most one line per kind every 10 s). {@code reason} is a fixed text, never client bytes.
     */
    private void rejectWith(int status, ResponseFlag flag, String reason) {
        countRefusal(status, reason);
        closing = true;
        releaseQueued();
        FullHttpResponse r = LocalReplies.text(ctx.alloc(), status, reason + "\n");
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        LingeringClose.after(ctx.writeAndFlush(r));
    }

    private void countRefusal(int status, String reason) {
        String token = Http2Refusal.token(reason);
        if (token == null) {
            token = status == 408 ? "timeout" : "malformed";
        }
        rt.observer().onRequestRefused(listenerPort, status, token);
        REFUSALS.info(token, "refused a request from " + remoteAddress + " on port " + listenerPort + ": " + status
                + " " + reason);
    }

    /** The connection's timer: re-arms itself while the deadline is ahead, else applies the phase's timeout. */
    private void onTimer() {
        timer = null;
        if (closing || timerPhase == PHASE_NONE) {
            // An exchange runs: its end sets a new deadline and arms the timer again.
            return;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            timer = ctx.executor().schedule(onTimer, Math.min(left, timerStepNanos), TimeUnit.NANOSECONDS);
            return;
        }
        if (exchange != null) {
            return;
        }
        if (timerPhase == PHASE_HEADERS) {
            rejectWith(408, ResponseFlag.RTO, "request headers not received in time");
        } else {
            closeNow();
        }
    }

    private void setDeadline(int phase, long timeoutNanos) {
        timerPhase = phase;
        deadlineNanos = System.nanoTime() + timeoutNanos;
        if (timer == null) {
            timer = ctx.executor().schedule(onTimer, Math.min(timeoutNanos, timerStepNanos), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A client stalled the request in flight ({@link ClientStallHandler}): {@code status} is answered when the response
     * has not started (0: just close), and the connection closes either way.
     */
    void clientStalled(int status, ResponseFlag flag, String reason) {
        if (closing) {
            if (status == 0) {
                // A last response the client never reads: stop waiting for its flush.
                ctx.close();
            }
            return;
        }
        if (exchange != null) {
            exchange.clientFailed(status, flag, reason);
        } else if (status > 0) {
            rejectWith(status, flag, reason);
        } else {
            closeNow();
        }
    }

    private void armIdleTimer() {
        setDeadline(PHASE_IDLE, idleTimeoutNanos);
    }

    private void cancelTimer() {
        timerPhase = PHASE_NONE;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void closeNow() {
        closing = true;
        releaseQueued();
        ctx.close();
    }

    private void releaseQueued() {
        Object m;
        while ((m = queued.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }

    /** The end of a socket read: what the exchange wrote upstream during it goes out in one flush. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inReadBatch = false;
        if (exchange != null) {
            exchange.listener().onReadBatchEnd();
        }
        ctx.fireChannelReadComplete();
    }

    /** Whether a socket read is being handled (a {@link #channelReadComplete} follows). */
    @Override
    public boolean inReadBatch() {
        return inReadBatch;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && exchange != null) {
            exchange.listener().onWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        inReadBatch = false;
        cancelTimer();
        releaseQueued();
        if (exchange != null) {
            exchange.listener().onClosed();
            exchange = null;
        }
        rt.observer().onConnection(listenerPort, -1);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors (reset by peer) end the connection; channelInactive cleans up. Anything else is a bug in the data
        // path: say so (the fuzz test fails on this log line) and close.
        if (!(cause instanceof java.io.IOException)) {
            LOG.warn("unexpected error on a client connection from {}; closing it", remoteAddress, cause);
        }
        ctx.close();
    }

    @Override
    public boolean draining() {
        return rt.draining();
    }

    /** Whether the connection is between requests (for draining). */
    boolean idle() {
        return exchange == null;
    }

    /** Draining: close now if idle, else after the current exchange (its response says connection: close). */
    void drain() {
        if (exchange == null) {
            closeNow();
        }
    }
}

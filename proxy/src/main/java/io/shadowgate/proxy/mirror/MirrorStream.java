package io.shadowgate.proxy.mirror;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.shadowgate.config.snapshot.MirrorPolicy;
import io.shadowgate.config.snapshot.RequestView;
import io.shadowgate.proxy.observe.CapturedResponse;
import io.shadowgate.proxy.observe.ExchangeLog;
import io.shadowgate.proxy.observe.MirrorOutcome;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.proxy.observe.RequestTracer;
import io.shadowgate.proxy.upstream.ConnectionPool;
import io.shadowgate.proxy.upstream.UpstreamCluster;
import io.shadowgate.proxy.upstream.UpstreamEndpoint;
import io.shadowgate.proxy.upstream.UpstreamHandler;
import io.shadowgate.proxy.upstream.UpstreamListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One mirrored request: a copy of the client's request streamed to the mirror cluster as the body arrives, and the
 * mirror's response read and discarded (or kept, within a bound, for comparison). Runs on the client connection's
 * event loop; not thread-safe.
 *
 * <p>Isolation rules: nothing here ever pauses the client. Body chunks are written as they come; bytes the mirror
 * has not yet accepted count against this request's budget and the global one, and when either would be exceeded
 * the mirror is abandoned ({@code dropped_buffer}/{@code dropped_global_buffer}). The timeout starts when the client's
 * request has ended (Envoy starts it when the end of the request is sent, which with its back-pressure is about the
 * same moment; here the mirror may still be behind, and a mirror that stops reading must not hold its buffers, its
 * in-flight slot and its connection for ever), and a mirror that has not answered by then is closed when it fires.
 *
 * <p>Buffer ownership: {@link #onBody} takes ownership of the chunk it is given (a retained duplicate of the
 * primary's chunk) and either writes it or releases it.
 */
public final class MirrorStream implements UpstreamListener {

    private final MirrorDispatcher dispatcher;
    private final EventLoop loop;
    private final UpstreamCluster cluster;
    private final MirrorPolicy policy;
    private final HttpRequest request;
    private final long startNanos;
    private final Duration timeout;
    private final long maxBuffered;
    private final AtomicInteger inFlight;
    private final BiConsumer<RequestLog, CapturedResponse> capture;
    private final RequestTracer.Span span;

    private UpstreamEndpoint endpoint;
    private Channel channel;
    private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
    private long buffered;
    private boolean requestEnded;
    private boolean requestSent;
    private boolean done;
    private boolean flushScheduled;
    private ScheduledFuture<?> timeoutTask;
    /** Filled as the mirror goes (request at start, endpoint, status, bytes), built when it ends. */
    private final ExchangeLog log;
    /** The mirror's response kept for comparison; {@code null} when nothing compares it. */
    private final ResponseCapture kept;

    MirrorStream(MirrorDispatcher dispatcher, EventLoop loop, UpstreamCluster cluster, MirrorPolicy policy,
                 HttpRequest request, String requestId, Instant startTime, RequestView view, Duration timeout,
                 long maxBuffered, AtomicInteger inFlight, RequestTracer.Span span,
                 BiConsumer<RequestLog, CapturedResponse> capture) {
        this.dispatcher = dispatcher;
        this.loop = loop;
        this.cluster = cluster;
        this.policy = policy;
        this.request = request;
        this.timeout = timeout;
        this.maxBuffered = maxBuffered;
        this.inFlight = inFlight;
        this.capture = capture;
        this.span = span;
        this.startNanos = System.nanoTime();
        this.kept = capture == null ? null : new ResponseCapture(dispatcher.options().capture().maxBodyBytes());
        this.log = new ExchangeLog(startTime, startNanos)
                .request(request.method().name(), request.uri(), request.headers().get("host"),
                        request.protocolVersion().text(), requestId)
                .client(view.remoteAddress(), request.headers().get("user-agent"))
                .destination(policy.cluster(), policy.host(), policy.subset())
                .namespace(cluster.config().namespace());
    }

    /** Picks an endpoint and connects; the request headers are written once connected. */
    void connect() {
        endpoint = cluster.choose(0, false, null);
        if (endpoint == null) {
            finish(MirrorOutcome.NO_HEALTHY_UPSTREAM, null);
            return;
        }
        log.endpoint(endpoint.hostPort(), endpoint.labels());
        endpoint.requestStarted();
        Future<Channel> f = dispatcher.pool().acquire(loop, cluster, endpoint, this);
        if (f.isDone()) {
            onConnected(f);
        } else {
            f.addListener(ignored -> onConnected(f));
        }
    }

    private void onConnected(Future<Channel> f) {
        if (done) {
            if (f.isSuccess()) {
                f.getNow().close();
            }
            return;
        }
        if (!f.isSuccess()) {
            finish(f.cause() instanceof ConnectionPool.OverflowException ? MirrorOutcome.DROPPED_OVERFLOW
                    : MirrorOutcome.CONNECT_FAILURE, f.cause().toString());
            return;
        }
        channel = f.getNow();
        channel.write(request);
        HttpContent c;
        while ((c = pending.poll()) != null) {
            write(c);
        }
        channel.flush();
    }

    /** A chunk of the request body; takes ownership of {@code content}. */
    public void onBody(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        int size = content.content().readableBytes();
        log.addBytesReceived(size);
        if (!reserve(size)) {
            content.release();
            return;
        }
        if (content instanceof LastHttpContent) {
            requestEnded = true;
            armTimeout();
        }
        if (channel == null) {
            pending.add(content);
            return;
        }
        write(content);
        if (content instanceof LastHttpContent) {
            channel.flush();
        } else if (!flushScheduled) {
            // Body chunks of one loop iteration (one or more client reads, for every exchange of the loop) go out
            // with one flush, after the iteration's I/O. The budgets count from onBody to the write's completion, so
            // they stay exact.
            flushScheduled = true;
            loop.execute(this::flushBatch);
        }
    }

    private void flushBatch() {
        flushScheduled = false;
        if (channel != null) {
            channel.flush();
        }
    }

    /** The client's request is complete (its last chunk was already passed to {@link #onBody}). */
    public void onRequestEnd() {
        requestEnded = true;
    }

    private boolean reserve(int size) {
        if (size == 0) {
            return true;
        }
        if (buffered + size > maxBuffered) {
            abort(MirrorOutcome.DROPPED_BUFFER);
            return false;
        }
        if (!dispatcher.reserveGlobal(size)) {
            abort(MirrorOutcome.DROPPED_GLOBAL_BUFFER);
            return false;
        }
        buffered += size;
        return true;
    }

    private void write(HttpContent content) {
        int size = content.content().readableBytes();
        boolean last = content instanceof LastHttpContent;
        channel.write(content).addListener(f -> {
            unreserve(size);
            if (last && f.isSuccess() && !done) {
                requestSent = true;
                armTimeout();
            }
        });
    }

    private void unreserve(int size) {
        if (size > 0) {
            buffered -= size;
            dispatcher.releaseGlobal(size);
        }
    }

    private void armTimeout() {
        if (timeoutTask != null || done) {
            return;
        }
        timeoutTask = loop.schedule(() -> abort(MirrorOutcome.TIMEOUT), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Gives up on this mirror: closes its connection (so it never sees a truncated request as complete). */
    public void abort(MirrorOutcome outcome) {
        if (done) {
            return;
        }
        finish(outcome, null);
    }

    @Override
    public void onUpstreamMessage(Object msg) {
        try {
            if (done) {
                return;
            }
            if (msg instanceof HttpResponse response) {
                if (response.decoderResult().isFailure()) {
                    finish(MirrorOutcome.PROTOCOL_ERROR, response.decoderResult().cause().toString());
                    return;
                }
                int code = response.status().code();
                if (code >= 100 && code < 200) {
                    return;
                }
                log.status(code);
                if (kept != null) {
                    kept.start(code, response.headers());
                }
                if (!HttpUtil.isKeepAlive(response)) {
                    channel.pipeline().get(UpstreamHandler.class).markNotReusable();
                }
            }
            if (msg instanceof HttpContent content) {
                if (content.decoderResult().isFailure()) {
                    finish(MirrorOutcome.PROTOCOL_ERROR, content.decoderResult().cause().toString());
                    return;
                }
                ByteBuf buf = content.content();
                log.addBytesSent(buf.readableBytes());
                if (kept != null) {
                    kept.body(buf);
                }
                if (content instanceof LastHttpContent) {
                    finish(MirrorOutcome.COMPLETED, null);
                    return;
                }
                long cap = Math.max(dispatcher.options().mirror().maxResponseBytes(),
                        kept == null ? 0 : dispatcher.options().capture().maxBodyBytes());
                if (log.bytesSent() > cap) {
                    // An endless or huge answer: stop reading it, it is only going to be thrown away.
                    finish(MirrorOutcome.RESPONSE_TOO_LARGE, null);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        // Nothing waits on the mirror's writability: buffered bytes are bounded by the budgets instead.
    }

    @Override
    public void onUpstreamClosed() {
        if (!done) {
            finish(log.status() == 0 ? MirrorOutcome.RESET : MirrorOutcome.RESET_AFTER_HEADERS, null);
        }
    }

    @Override
    public void onUpstreamError(Throwable cause) {
        if (!done) {
            finish(cause instanceof java.io.IOException ? MirrorOutcome.RESET : MirrorOutcome.PROTOCOL_ERROR,
                    cause.toString());
        }
    }

    private void finish(MirrorOutcome outcome, String detail) {
        done = true;
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
            timeoutTask = null;
        }
        HttpContent c;
        while ((c = pending.poll()) != null) {
            unreserve(c.content().readableBytes());
            c.release();
        }
        boolean completed = outcome == MirrorOutcome.COMPLETED;
        if (channel != null) {
            Channel ch = channel;
            channel = null;
            if (completed && requestSent) {
                dispatcher.pool().release(ch, cluster, true);
            } else {
                UpstreamHandler h = ch.pipeline().get(UpstreamHandler.class);
                if (h != null) {
                    h.markNotReusable();
                }
                dispatcher.pool().release(ch, cluster, false);
            }
        }
        if (endpoint != null) {
            endpoint.requestEnded();
        }
        inFlight.decrementAndGet();
        if (!completed) {
            dispatcher.failureLog().warn(outcome.label(), "mirror to " + policy.cluster() + " " + outcome.label()
                    + (detail == null ? "" : ": " + detail));
        }
        if (!completed && outcome.flag() != null) {
            log.flag(outcome.flag());
        }
        RequestLog done = log.traceId(span.traceId()).mirror(outcome).build(System.nanoTime());
        span.end(done);
        dispatcher.observer().onMirror(done);
        if (capture != null && !outcome.droppedOrCancelled()) {
            capture.accept(done, kept.toCaptured(0, System.nanoTime() - startNanos, completed ? null : outcome.label()));
        }
    }

    /** Whether this mirror finished (completed or given up). */
    public boolean done() {
        return done;
    }
}

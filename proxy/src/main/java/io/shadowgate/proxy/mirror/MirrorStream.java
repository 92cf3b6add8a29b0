package io.shadowgate.proxy.mirror;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    private static final byte[] EMPTY = new byte[0];

    private final MirrorDispatcher dispatcher;
    private final EventLoop loop;
    private final UpstreamCluster cluster;
    private final MirrorPolicy policy;
    private final HttpRequest request;
    private final String requestId;
    private final Instant startTime;
    private final long startNanos = System.nanoTime();
    private final RequestView view;
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
    private int status;
    private long bytesIn;
    private long bytesOut;
    private List<Map.Entry<String, String>> responseHeaders = List.of();
    private byte[] body;
    private int bodyLength;
    private boolean bodyTruncated;

    MirrorStream(MirrorDispatcher dispatcher, EventLoop loop, UpstreamCluster cluster, MirrorPolicy policy,
                 HttpRequest request, String requestId, Instant startTime, RequestView view, Duration timeout,
                 long maxBuffered, AtomicInteger inFlight, RequestTracer.Span span,
                 BiConsumer<RequestLog, CapturedResponse> capture) {
        this.dispatcher = dispatcher;
        this.loop = loop;
        this.cluster = cluster;
        this.policy = policy;
        this.request = request;
        this.requestId = requestId;
        this.startTime = startTime;
        this.view = view;
        this.timeout = timeout;
        this.maxBuffered = maxBuffered;
        this.inFlight = inFlight;
        this.capture = capture;
        this.span = span;
        this.body = capture == null ? null : EMPTY;
    }

    /** Picks an endpoint and connects; the request headers are written once connected. */
    void connect() {
        endpoint = cluster.choose(0, false, null);
        if (endpoint == null) {
            finish("no_healthy_upstream", null);
            return;
        }
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
            finish(f.cause() instanceof ConnectionPool.OverflowException ? "dropped_overflow" : "connect_failure",
                    f.cause().toString());
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
        bytesIn += size;
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
            abort("dropped_buffer");
            return false;
        }
        if (!dispatcher.reserveGlobal(size)) {
            abort("dropped_global_buffer");
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
        timeoutTask = loop.schedule(() -> abort("timeout"), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Gives up on this mirror: closes its connection (so it never sees a truncated request as complete). */
    public void abort(String outcome) {
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
                    finish("protocol_error", response.decoderResult().cause().toString());
                    return;
                }
                int code = response.status().code();
                if (code >= 100 && code < 200) {
                    return;
                }
                status = code;
                if (capture != null) {
                    responseHeaders = headerList(response.headers());
                }
                if (!HttpUtil.isKeepAlive(response)) {
                    channel.pipeline().get(UpstreamHandler.class).markNotReusable();
                }
            }
            if (msg instanceof HttpContent content) {
                if (content.decoderResult().isFailure()) {
                    finish("protocol_error", content.decoderResult().cause().toString());
                    return;
                }
                ByteBuf buf = content.content();
                bytesOut += buf.readableBytes();
                if (body != null) {
                    keep(buf);
                }
                if (content instanceof LastHttpContent) {
                    finish("completed", null);
                    return;
                }
                long cap = Math.max(dispatcher.options().mirrorMaxResponseBytes(),
                        body == null ? 0 : dispatcher.options().compareMaxBodyBytes());
                if (bytesOut > cap) {
                    // An endless or huge answer: stop reading it, it is only going to be thrown away.
                    finish("response_too_large", null);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void keep(ByteBuf buf) {
        int max = dispatcher.options().compareMaxBodyBytes();
        int n = buf.readableBytes();
        int take = Math.min(n, max - bodyLength);
        if (take < n) {
            bodyTruncated = true;
        }
        if (take <= 0) {
            return;
        }
        if (body.length < bodyLength + take) {
            body = Arrays.copyOf(body, Math.min(max, Math.max(bodyLength + take, body.length * 2)));
        }
        buf.getBytes(buf.readerIndex(), body, bodyLength, take);
        bodyLength += take;
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        // Nothing waits on the mirror's writability: buffered bytes are bounded by the budgets instead.
    }

    @Override
    public void onUpstreamClosed() {
        if (!done) {
            finish(status == 0 ? "reset" : "reset_after_headers", null);
        }
    }

    @Override
    public void onUpstreamError(Throwable cause) {
        if (!done) {
            finish(cause instanceof java.io.IOException ? "reset" : "protocol_error", cause.toString());
        }
    }

    private void finish(String outcome, String detail) {
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
        boolean completed = "completed".equals(outcome);
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
            dispatcher.failureLog().warn(outcome, "mirror to " + policy.cluster() + " " + outcome
                    + (detail == null ? "" : ": " + detail));
        }
        RequestLog log = new RequestLog(startTime, request.method().name(), request.uri(),
                request.headers().get("host"), "HTTP/1.1", status, completed ? "-" : flagFor(outcome), bytesIn,
                bytesOut, System.nanoTime() - startNanos, endpoint == null ? null : endpoint.hostPort(),
                policy.cluster(), null, null, requestId, span.traceId(), policy.host(), policy.subset(),
                endpoint == null ? Map.of() : endpoint.labels(), cluster.config().namespace(), true, outcome,
                view.remoteAddress(), request.headers().get("user-agent"));
        span.end(log);
        dispatcher.observer().onMirror(log);
        if (capture != null && !outcome.startsWith("dropped") && !"cancelled".equals(outcome)) {
            capture.accept(log, new CapturedResponse(completed || status != 0 ? status : 0, responseHeaders,
                    body == null || bodyLength == 0 ? EMPTY : bodyLength == body.length ? body
                            : Arrays.copyOf(body, bodyLength), bodyTruncated, bytesOut,
                    System.nanoTime() - startNanos, completed ? null : outcome));
        }
    }

    private static String flagFor(String outcome) {
        return switch (outcome) {
            case "timeout" -> "UT";
            case "connect_failure" -> "UF";
            case "no_healthy_upstream" -> "UH";
            case "reset", "reset_after_headers" -> "UC";
            case "protocol_error" -> "UPE";
            case "dropped_overflow" -> "UO";
            default -> "-";
        };
    }

    private static List<Map.Entry<String, String>> headerList(HttpHeaders h) {
        List<Map.Entry<String, String>> list = new ArrayList<>(h.size());
        for (Map.Entry<String, String> e : h) {
            list.add(Map.entry(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        }
        return list;
    }

    /** Whether this mirror finished (completed or given up). */
    public boolean done() {
        return done;
    }
}

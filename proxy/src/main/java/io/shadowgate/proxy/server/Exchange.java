package io.shadowgate.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.shadowgate.config.decide.HashKey;
import io.shadowgate.config.decide.RouteDecider;
import io.shadowgate.config.decide.RouteDecision;
import io.shadowgate.config.snapshot.CorsConfig;
import io.shadowgate.config.snapshot.DirectResponseAction;
import io.shadowgate.config.snapshot.FaultConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.RedirectAction;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.StringMatcher;
import io.shadowgate.config.snapshot.WeightedDestination;
import io.shadowgate.proxy.mirror.MirrorDispatcher;
import io.shadowgate.proxy.mirror.MirrorStream;
import io.shadowgate.proxy.telemetry.CapturedResponse;
import io.shadowgate.proxy.telemetry.RequestLog;
import io.shadowgate.proxy.telemetry.RequestTracer;
import io.shadowgate.proxy.telemetry.ResponseFlag;
import io.shadowgate.proxy.upstream.ConnectionPool;
import io.shadowgate.proxy.upstream.OutlierDetector;
import io.shadowgate.proxy.upstream.UpstreamCluster;
import io.shadowgate.proxy.upstream.UpstreamEndpoint;
import io.shadowgate.proxy.upstream.UpstreamHandler;
import io.shadowgate.proxy.upstream.UpstreamListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One request from a client to an upstream and the response back, plus its mirrors. Runs entirely on the client
 * connection's event loop; nothing here is thread-safe and nothing needs to be.
 *
 * <p>Flow control (see {@code docs/data-path.md}): the client connection has AUTO_READ off. A body chunk read from
 * the client is written to the upstream; the next read is requested only while the upstream connection is writable,
 * and resumes when it becomes writable again. Mirrors get a retained duplicate of each chunk and never gate the
 * client's reads: a mirror that cannot keep up within its byte budget is abandoned. Response chunks flow the same
 * way in the other direction: the next upstream read is requested only while the client connection is writable.
 *
 * <p>Buffer ownership: client body chunks are owned by the exchange until written upstream (queued while the
 * upstream connection is being set up) or released when the exchange is torn down.
 */
final class Exchange implements UpstreamListener {

    private final FrontendHandler frontend;
    private final ChannelHandlerContext ctx;
    private final ProxyRuntime rt;
    private final HttpRequest request;
    private final NettyRequestView view;
    private final long startNanos = System.nanoTime();
    private final Instant startTime = Instant.now();
    private final String requestId;
    private final boolean clientKeepAlive;
    /** No Content-Length (or 0) and no Transfer-Encoding: the request is complete with its head (RFC 9112 §6.3). */
    private final boolean noRequestBody;
    /** The client's framing, read once: chunked, else the declared Content-Length (-1 when none). */
    private final boolean chunkedRequest;
    private final long declaredLength;

    private RoutingSnapshot snapshot;
    private RouteConfig route;
    /** The configuration's decision for this request (route, destination, hash key, sampled mirrors). */
    private RouteDecision decision;
    private ForwardAction forward;
    private WeightedDestination destination;
    private UpstreamCluster cluster;
    private UpstreamEndpoint endpoint;
    /** The route's retry policy; {@code null} when it never retries. */
    private io.shadowgate.config.snapshot.RetryConfig retryConfig;
    /**
     * Retry bookkeeping and body replay, created on first need ({@link #retryState}): the first body byte to keep,
     * or the first outcome the policy would retry. {@code null} before (a bodyless request that succeeds never
     * needs one) and when {@link #retryConfig} is {@code null}.
     */
    private RetryState retry;
    /** Upstream attempts started (the ones before {@link #retry} exists went to {@link #endpoint}). */
    private int attemptsStarted;
    /** Whether a body chunk went to {@link #retry} (else an ended body is replayed as an empty end). */
    private boolean bodyRecorded;
    /** Whether the current attempt holds the endpoint's and the cluster's active-request counts. */
    private boolean attemptActive;
    /** Whether body bytes went to an upstream attempt (a new attempt then needs the replay copy). */
    private boolean bodySentUpstream;
    private Future<Channel> acquiring;
    private ScheduledFuture<?> perTryTask;
    private ScheduledFuture<?> retryTask;
    private long hash;
    private boolean hasHash;
    private String stickyCookie;
    private String corsOrigin;

    private HttpRequest upstreamRequest;
    /**
     * Whether {@link #upstreamRequest} is the client's decoded head edited in place (no later reader needs the
     * original: see {@link #buildUpstreamRequest}); the values read from it for the request log are then kept here.
     */
    private boolean headersInPlace;
    private String userAgent;
    private String headerTraceId;
    private Channel upstream;
    private boolean upstreamReused;
    /** Writes to {@link #upstream} wait for the end of the client's read batch ({@link #flushUpstream}). */
    private boolean upstreamFlushPending;
    /** Client body chunks waiting for the upstream connection; {@code null} until the first one. */
    private ArrayDeque<HttpContent> pendingBody;
    private List<MirrorStream> mirrors = List.of();
    private ScheduledFuture<?> timeoutTask;

    private boolean requestComplete;
    private boolean requestFullySent;
    private boolean readPaused;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean upstreamPaused;
    private boolean finished;
    private boolean closeClientAfterResponse;
    private int status;
    /** Response flags in the order they were raised; {@code null} until the first (most requests have none). */
    private List<ResponseFlag> flags;
    private long bytesReceived;
    private long bytesSent;

    private ResponseCapture capture;
    private RequestTracer.Span span = RequestTracer.Span.NOOP;

    Exchange(FrontendHandler frontend, ChannelHandlerContext ctx, ProxyRuntime rt, HttpRequest request,
             NettyRequestView view) {
        this.frontend = frontend;
        this.ctx = ctx;
        this.rt = rt;
        this.request = request;
        this.view = view;
        String rid = request.headers().get("x-request-id");
        this.requestId = rid != null && !rid.isEmpty() ? rid : RequestIds.randomUuid();
        this.clientKeepAlive = HttpUtil.isKeepAlive(request);
        this.chunkedRequest = HttpUtil.isTransferEncodingChunked(request);
        this.declaredLength = chunkedRequest ? -1L : HttpUtil.getContentLength(request, -1L);
        this.noRequestBody = !chunkedRequest && declaredLength <= 0L;
        rt.activeExchanges().incrementAndGet();
    }

    // ------------------------------------------------------------------ request side

    /** Routes the request and starts forwarding, or answers locally. */
    void start() {
        if (HttpUtil.is100ContinueExpected(request)) {
            // Envoy answers 100-continue itself (proxy_100_continue off) as soon as the headers are decoded, before
            // routing, fault delays or local replies, and strips Expect upstream (ActiveStream::decodeHeaders).
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        snapshot = rt.snapshots().get();
        decision = RouteDecider.decide(snapshot, view, rt.random().nextLong(), null);
        route = decision.route();
        if (route == null) {
            localReply(404, ResponseFlag.NR, "");
            return;
        }
        span = rt.tracer().start(view, requestId);
        CorsConfig cors = route.cors();
        if (cors != null && handleCors(cors)) {
            return;
        }
        if (route.action() instanceof RedirectAction redirect) {
            FullHttpResponse r = LocalReplies.text(ctx.alloc(), redirect.code(), "");
            r.headers().set(HttpHeaderNames.LOCATION, redirect.location(view));
            ProxyHeaders.apply(redirect.headers(), r.headers(), view);
            sendLocal(r);
            return;
        }
        if (route.action() instanceof DirectResponseAction direct) {
            FullHttpResponse r = LocalReplies.bytes(ctx.alloc(), direct.status(), direct.body());
            if (direct.body().length > 0) {
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
            }
            ProxyHeaders.apply(direct.headers(), r.headers(), view);
            sendLocal(r);
            return;
        }
        forward = (ForwardAction) route.action();
        long limit = rt.options().maxRequestBodyBytes();
        if (limit >= 0 && HttpUtil.getContentLength(request, -1L) > limit) {
            localReply(413, ResponseFlag.LR, "Payload Too Large");
            return;
        }
        FaultConfig fault = forward.fault();
        if (fault != null && fault.delay() != null && fault.delayPerMillion() > 0
                && ThreadLocalRandom.current().nextInt(1_000_000) < fault.delayPerMillion()) {
            // Envoy's fault filter: the delay first, then (maybe) the abort.
            addFlag(ResponseFlag.DI);
            ctx.executor().schedule(this::afterFaultDelay, fault.delay().toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        afterFaultDelay();
    }

    /** Fault abort (decided after any fault delay, as Envoy does), else forwarding. */
    private void afterFaultDelay() {
        if (finished) {
            return;
        }
        FaultConfig fault = forward.fault();
        if (fault != null && fault.abortPerMillion() > 0
                && ThreadLocalRandom.current().nextInt(1_000_000) < fault.abortPerMillion()) {
            abortByFault(fault);
            return;
        }
        proceed();
    }

    /** Picks the destination and endpoint, starts mirrors and connects upstream. */
    private void proceed() {
        if (finished) {
            return;
        }
        destination = decision.destination();
        cluster = rt.clusters().get(destination.cluster());
        if (cluster == null || snapshot.cluster(destination.cluster()) == null) {
            localReply(503, ResponseFlag.NC, "");
            return;
        }
        HashKey hashKey = decision.hashKey();
        if (hashKey != null) {
            hash = hashKey.hash();
            hasHash = true;
            stickyCookie = hashKey.setCookie();
        }
        endpoint = cluster.choose(hash, hasHash, null);
        if (endpoint == null) {
            localReply(503, ResponseFlag.UH, "no healthy upstream");
            return;
        }
        retryConfig = RetryState.retries(forward.retries()) ? forward.retries() : null;
        if (pendingBody != null) {
            // Chunks that arrived during a fault delay are already waiting: they are part of the replay too.
            for (HttpContent c : pendingBody) {
                recordForReplay(c);
            }
        }
        upstreamRequest = buildUpstreamRequest();
        boolean compare = forward.compare() != null ? forward.compare() : rt.options().compareByDefault();
        MirrorDispatcher dispatcher = rt.mirrors();
        if (!forward.mirrors().isEmpty() && request.method() != HttpMethod.CONNECT) {
            if (compare) {
                capture = new ResponseCapture(rt.options().compareMaxBodyBytes());
            }
            mirrors = dispatcher.start(ctx.channel().eventLoop(), snapshot, forward, view, decision.mirrors(),
                    upstreamRequest, requestId, startTime, span, capture != null ? this::onMirrorCaptured : null,
                    destination, capture != null ? this::onNoiseSampleCaptured : null);
            if (mirrors.isEmpty()) {
                capture = null;
            }
            // Body chunks that arrived before the mirrors started (during a fault delay) are theirs too.
            if (pendingBody != null) {
                for (HttpContent c : pendingBody) {
                    for (MirrorStream m : mirrors) {
                        m.onBody(c.retainedDuplicate());
                    }
                }
            }
            if (requestComplete) {
                for (MirrorStream m : mirrors) {
                    m.onRequestEnd();
                }
            }
        }
        connect();
    }

    private void connect() {
        if (cluster.activeRequests().get() >= cluster.config().connectionPool().maxRequests()) {
            // DestinationRule http2MaxRequests: active requests per cluster (HTTP/1.1 too).
            cluster.stats().requestOverflow.increment();
            localReply(503, ResponseFlag.UO, LocalReplies.UPSTREAM_RESET_PREFIX + "reset reason: overflow");
            return;
        }
        attemptActive = true;
        endpoint.requestStarted();
        cluster.activeRequests().incrementAndGet();
        attemptsStarted++;
        if (retry != null) {
            retry.attempted(endpoint);
        }
        Future<Channel> f = rt.primaryPool().acquire(ctx.channel().eventLoop(), cluster, endpoint, this);
        if (f.isDone()) {
            onConnected(f);
        } else {
            acquiring = f;
            f.addListener(ignored -> onConnected(f));
        }
    }

    private void onConnected(Future<Channel> f) {
        if (acquiring == f) {
            acquiring = null;
        }
        if (finished) {
            if (f.isSuccess()) {
                rt.primaryPool().release(f.getNow(), cluster, false);
            }
            return;
        }
        if (!f.isSuccess()) {
            endpointDone();
            if (f.cause() instanceof ConnectionPool.OverflowException) {
                localReply(503, ResponseFlag.UO, LocalReplies.UPSTREAM_RESET_PREFIX + "reset reason: overflow");
                return;
            }
            // A connect failure counts as a 503 for outlier detection (Envoy without split local-origin errors).
            OutlierDetector.record(cluster, endpoint, 503);
            if (retryAfter(RetryState.Failure.CONNECT_FAILURE)) {
                return;
            }
            localReply(503, ResponseFlag.UF,
                    LocalReplies.UPSTREAM_RESET_PREFIX + "reset reason: connection failure");
            return;
        }
        upstream = f.getNow();
        upstreamReused = upstreamRequestCount() > 1;
        upstream.write(upstreamRequest);
        if (pendingBody != null) {
            HttpContent c;
            while ((c = pendingBody.poll()) != null) {
                writeBodyUpstream(c);
            }
        }
        flushUpstreamSoon();
        upstream.read();
        if (requestComplete) {
            armTimeout();
        } else if (upstream.isWritable()) {
            ctx.read();
        } else {
            readPaused = true;
        }
    }

    private int upstreamRequestCount() {
        return upstream.pipeline().get(UpstreamHandler.class).requests();
    }

    /** A body chunk from the client. Takes ownership of {@code content}. */
    void onClientContent(HttpContent content) {
        if (finished) {
            // Answered early; the connection closes after the response, the rest of the upload is dropped.
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            // Malformed body framing (bad chunk, forbidden trailer): the upstream must never see this body end.
            Throwable cause = content.decoderResult().cause();
            content.release();
            abortByClient(cause instanceof RejectedRequestException r ? r.status()
                    : cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException ? 431 : 400,
                    ResponseFlag.DPE, "");
            return;
        }
        int size = content.content().readableBytes();
        bytesReceived += size;
        long limit = rt.options().maxRequestBodyBytes();
        if (limit >= 0 && bytesReceived > limit) {
            content.release();
            abortMirrors("cancelled");
            localReply(413, ResponseFlag.LR, "Payload Too Large");
            return;
        }
        recordForReplay(content);
        boolean last = content instanceof LastHttpContent;
        for (MirrorStream m : mirrors) {
            m.onBody(content.retainedDuplicate());
        }
        if (last) {
            requestComplete = true;
            for (MirrorStream m : mirrors) {
                m.onRequestEnd();
            }
            // With AUTO_READ off a socket nobody reads never reports its peer's close: keep one read pending while
            // the response is awaited, so a client that goes away ends this exchange (DC) and frees the upstream
            // connection instead of holding both until the upstream answers. A pipelined next request read this
            // way waits in the FrontendHandler's queue; no further read is issued until this exchange ends.
            ctx.read();
        }
        if (upstream == null) {
            if (pendingBody == null) {
                pendingBody = new ArrayDeque<>(4);
            }
            pendingBody.add(content);
            return;
        }
        writeBodyUpstream(content);
        flushUpstreamSoon();
        if (last) {
            armTimeout();
        } else if (upstream.isWritable()) {
            ctx.read();
        } else {
            readPaused = true;
        }
    }

    /** One listener per exchange, not a capturing lambda per write. */
    private final ChannelFutureListener lastBodyWritten = f -> {
        if (f.isSuccess()) {
            requestFullySent = true;
            maybeRelease();
        }
    };

    private void writeBodyUpstream(HttpContent content) {
        bodySentUpstream = true;
        boolean last = content instanceof LastHttpContent;
        if (last) {
            upstream.write(content).addListener(lastBodyWritten);
        } else {
            upstream.write(content, upstream.voidPromise());
        }
    }

    /**
     * Flushes the upstream now, or at the end of the client read being handled (one flush per read batch rather
     * than per decoded chunk). Writability counts unflushed bytes too, so the read-after-write rule is unchanged.
     */
    private void flushUpstreamSoon() {
        if (frontend.inReadBatch()) {
            upstreamFlushPending = true;
        } else {
            upstreamFlushPending = false;
            upstream.flush();
        }
    }

    /** The client's read batch ended: flushes what was written upstream during it. */
    void flushUpstream() {
        if (upstreamFlushPending) {
            upstreamFlushPending = false;
            if (upstream != null) {
                upstream.flush();
            }
        }
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        if (writable && readPaused && !requestComplete && !finished) {
            readPaused = false;
            ctx.read();
        }
    }

    /** The client connection became writable again: resume reading the response. */
    void onClientWritable() {
        if (upstreamPaused && upstream != null && !responseComplete) {
            upstreamPaused = false;
            upstream.read();
        }
    }

    // ------------------------------------------------------------------ response side

    @Override
    public void onUpstreamMessage(Object msg) {
        if (finished) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                upstreamFailed(ResponseFlag.UPE, 502, "upstream protocol error");
                return;
            }
            int code = response.status().code();
            if (code >= 100 && code < 200 && code != 101) {
                // Informational responses end here: we already answered the client's Expect ourselves.
                ReferenceCountUtil.release(msg);
                upstream.read();
                return;
            }
            if (!responseStarted && retryResponse(response)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            startResponse(response);
        }
        if (msg instanceof HttpContent content) {
            if (content.decoderResult().isFailure()) {
                content.release();
                upstreamFailed(ResponseFlag.UPE, 502, "upstream protocol error");
                return;
            }
            boolean last = content instanceof LastHttpContent;
            bytesSent += content.content().readableBytes();
            if (capture != null) {
                capture.body(content.content());
            }
            if (last) {
                responseComplete = true;
                ctx.writeAndFlush(content);
                completeResponse();
                return;
            }
            ctx.writeAndFlush(content, ctx.voidPromise());
        }
        if (ctx.channel().isWritable()) {
            upstream.read();
        } else {
            upstreamPaused = true;
        }
    }

    private void startResponse(HttpResponse response) {
        responseStarted = true;
        cancelTimeout();
        status = response.status().code();
        // The decoded response head is edited in place: what is needed of it as received is read first.
        HttpHeaders headers = response.headers();
        long contentLength = HttpUtil.getContentLength(response, -1L);
        boolean upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        if (capture != null) {
            capture.start(status, headers);
        }
        ProxyHeaders.removeHopByHop(headers);
        ProxyHeaders.apply(destination.responseHeaders(), headers, view);
        if (corsOrigin != null) {
            addCorsResponseHeaders(headers);
        }
        if (stickyCookie != null) {
            headers.add(HttpHeaderNames.SET_COOKIE, stickyCookie);
        }
        boolean head = request.method() == HttpMethod.HEAD;
        boolean bodyless = head || status == 204 || status == 304;
        if (contentLength >= 0 && status != 204) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        } else if (!bodyless) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                closeClientAfterResponse = true;
            }
        }
        if (!upstreamKeepAlive) {
            upstream.pipeline().get(UpstreamHandler.class).markNotReusable();
        }
        boolean keepAlive = clientKeepAlive && !closeClientAfterResponse && !rt.draining() && requestComplete;
        if (!keepAlive) {
            closeClientAfterResponse = true;
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), headers));
        recordUpstreamResult(status);
    }

    private void completeResponse() {
        if (!requestComplete) {
            // An early response: the rest of the upload has nowhere to go. The upstream connection cannot be reused
            // and the client connection is closed after the response (its framing no longer lines up).
            upstream.pipeline().get(UpstreamHandler.class).markNotReusable();
            abortMirrors("cancelled");
            closeClientAfterResponse = true;
        }
        maybeRelease();
        finish();
    }

    private void maybeRelease() {
        if (upstream != null && responseComplete && (requestFullySent || !requestComplete)) {
            Channel ch = upstream;
            upstream = null;
            rt.primaryPool().release(ch, cluster, requestFullySent);
        }
    }

    private void recordUpstreamResult(int code) {
        OutlierDetector.record(cluster, endpoint, code);
    }

    // ------------------------------------------------------------------ retries (see RetryState)

    /** A retriable response head: ends this attempt and schedules the next one. False: forward it. */
    private boolean retryResponse(HttpResponse response) {
        if (retryConfig == null) {
            return false;
        }
        boolean retriable = RetryState.retriable(retryConfig, response);
        if (!retriable && retry == null) {
            // Nothing to decide and no state to settle: the response goes to the client.
            return false;
        }
        if (!decideRetry(retriable)) {
            return false;
        }
        recordUpstreamResult(response.status().code());
        abandonAttempt();
        scheduleRetry();
        return true;
    }

    /** The retry state, created on first need; only while {@link #retryConfig} is set. */
    private RetryState retryState() {
        if (retry == null) {
            retry = RetryState.create(retryConfig, cluster, rt.options().retryBufferBytes(),
                    rt.options().retryGlobalBufferBytes(), rt.retryBufferedBytes());
            if (attemptsStarted > 0) {
                retry.attempted(endpoint);
            }
            if (requestComplete && !bodyRecorded) {
                // A body that ended without a byte to keep: the replay is its (empty) end.
                retry.record(LastHttpContent.EMPTY_LAST_CONTENT);
            }
        }
        return retry;
    }

    /**
     * Keeps a client body chunk for a replay. A chunk with nothing to keep (no bytes, no trailers) creates no
     * state: {@link #retryState} accounts for an empty end when it is created later.
     */
    private void recordForReplay(HttpContent c) {
        if (retryConfig == null) {
            return;
        }
        if (retry == null && c.content().readableBytes() == 0
                && !(c instanceof LastHttpContent last && !last.trailingHeaders().isEmpty())) {
            return;
        }
        bodyRecorded = true;
        retryState().record(c);
    }

    /** Applies the retry policy to a failure without a response; true when a retry was scheduled. */
    private boolean retryAfter(RetryState.Failure failure) {
        if (retryConfig == null) {
            return false;
        }
        boolean retriable = RetryState.retriable(retryConfig, failure);
        if ((!retriable && retry == null) || !decideRetry(retriable)) {
            return false;
        }
        scheduleRetry();
        return true;
    }

    private boolean decideRetry(boolean wouldRetry) {
        RetryState state = retryState();
        switch (state.decide(wouldRetry, !bodySentUpstream || state.bodyKept())) {
            case RETRY:
                return true;
            case LIMIT_EXCEEDED:
                addFlag(ResponseFlag.URX);
                return false;
            case OVERFLOW:
                addFlag(ResponseFlag.UO);
                return false;
            default:
                return false;
        }
    }

    private void scheduleRetry() {
        retryTask = ctx.executor().schedule(this::startRetry, retry.backoffNanos(), TimeUnit.NANOSECONDS);
    }

    /** The next attempt: a fresh request head (attempt count), the body replayed, a (preferably new) endpoint. */
    private void startRetry() {
        retryTask = null;
        if (finished) {
            return;
        }
        UpstreamEndpoint next = retry.pick(hash, hasHash);
        if (next == null) {
            localReply(503, ResponseFlag.UH, "no healthy upstream");
            return;
        }
        endpoint = next;
        upstreamRequest = nextAttemptRequest();
        upstreamRequest.headers().set("x-envoy-attempt-count", retry.attempt());
        if (bodySentUpstream) {
            releasePending();
            if (pendingBody == null) {
                pendingBody = new ArrayDeque<>(4);
            }
            pendingBody.addAll(retry.replay());
            bodySentUpstream = false;
        }
        requestFullySent = false;
        upstreamReused = false;
        readPaused = false;
        connect();
    }

    /** Ends the current attempt without using its response: the connection is detached and closed, never pooled. */
    private void abandonAttempt() {
        cancelPerTry();
        if (upstream != null) {
            Channel ch = upstream;
            upstream = null;
            rt.primaryPool().release(ch, cluster, false);
        }
        endpointDone();
    }

    private void armPerTry() {
        if (retryConfig == null || perTryTask != null || responseStarted || upstream == null) {
            return;
        }
        Duration perTry = retryConfig.perTryTimeout();
        if (perTry != null && !perTry.isZero()) {
            perTryTask = ctx.executor().schedule(this::onPerTryTimeout, perTry.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void onPerTryTimeout() {
        perTryTask = null;
        if (finished || responseStarted) {
            return;
        }
        if (attemptActive) {
            recordUpstreamResult(504);
        }
        abandonAttempt();
        if (retryAfter(RetryState.Failure.PER_TRY_TIMEOUT)) {
            return;
        }
        localReply(504, ResponseFlag.UT, "upstream request timeout");
    }

    private void cancelPerTry() {
        if (perTryTask != null) {
            perTryTask.cancel(false);
            perTryTask = null;
        }
    }

    /**
     * The client side failed the request in flight (malformed body, stalled upload or download): answers
     * {@code status} if no response started (0: never answers), closes the connection, and never lets the upstream
     * or a mirror see the request as complete.
     */
    void abortByClient(int status, ResponseFlag flag, String body) {
        if (finished) {
            return;
        }
        closeClientAfterResponse = true;
        if (!requestComplete) {
            abortMirrors("cancelled");
        }
        if (status == 0) {
            addFlag(flag);
            ctx.close();
            finish();
            return;
        }
        localReply(status, flag, body);
    }

    @Override
    public void onUpstreamClosed() {
        if (finished || responseComplete) {
            return;
        }
        upstream = null;
        if (!responseStarted && upstreamReused && bytesReceived == 0 && requestComplete && retryOnStaleConnection()) {
            return;
        }
        upstreamFailed(ResponseFlag.UC, 503, LocalReplies.UPSTREAM_RESET_PREFIX + "reset reason: connection termination");
    }

    /**
     * A pooled connection the upstream had already closed: the request (bodyless) never reached it, so it is sent
     * again once on a fresh connection, as every HTTP/1.1 client does.
     */
    private boolean retryOnStaleConnection() {
        if ((pendingBody == null || pendingBody.isEmpty()) && upstreamRequest != null) {
            upstreamReused = false;
            abandonAttempt();
            upstreamRequest = nextAttemptRequest();
            if (retry != null) {
                upstreamRequest.headers().set("x-envoy-attempt-count", retry.attempt());
            }
            requestFullySent = false;
            // The body (an empty last chunk) was consumed by the first attempt: send it again.
            if (pendingBody == null) {
                pendingBody = new ArrayDeque<>(1);
            }
            pendingBody.add(new DefaultLastHttpContent());
            connect();
            return true;
        }
        return false;
    }

    @Override
    public void onUpstreamError(Throwable cause) {
        if (finished || responseComplete) {
            return;
        }
        upstream = null;
        upstreamFailed(ResponseFlag.UC, 503, LocalReplies.UPSTREAM_RESET_PREFIX + "reset reason: "
                + (cause instanceof java.io.IOException ? "connection termination" : "protocol error"));
    }

    private void upstreamFailed(ResponseFlag flag, int code, String body) {
        if (!responseStarted && attemptActive) {
            recordUpstreamResult(code);
            abandonAttempt();
            if (retryAfter(RetryState.Failure.RESET)) {
                return;
            }
        }
        if (upstream != null) {
            upstream.pipeline().get(UpstreamHandler.class).markNotReusable();
            upstream.close();
            upstream = null;
        }
        if (!requestComplete) {
            abortMirrors("cancelled");
        }
        if (responseStarted) {
            addFlag(flag);
            closeClientAfterResponse = true;
            ctx.close();
            finish();
        } else {
            localReply(code, flag, body);
        }
    }

    private void armTimeout() {
        armPerTry();
        Duration timeout = forward == null ? Duration.ZERO : forward.timeout();
        if (timeout.isZero() || responseStarted || timeoutTask != null) {
            return;
        }
        timeoutTask = ctx.executor().schedule(this::onTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void onTimeout() {
        timeoutTask = null;
        if (finished || responseStarted) {
            return;
        }
        if (upstream != null) {
            if (attemptActive) {
                recordUpstreamResult(504);
            }
            upstream.pipeline().get(UpstreamHandler.class).markNotReusable();
            upstream.close();
            upstream = null;
        }
        localReply(504, ResponseFlag.UT, "upstream request timeout");
    }

    private void cancelTimeout() {
        cancelPerTry();
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
            timeoutTask = null;
        }
    }

    // ------------------------------------------------------------------ local replies

    private void localReply(int code, ResponseFlag flag, String body) {
        if (flag != null) {
            addFlag(flag);
        }
        if (responseStarted) {
            ctx.close();
            finish();
            return;
        }
        sendLocal(LocalReplies.text(ctx.alloc(), code, body));
    }

    private void sendLocal(FullHttpResponse response) {
        responseStarted = true;
        responseComplete = true;
        status = response.status().code();
        bytesSent = response.content().readableBytes();
        cancelTimeout();
        if (upstream != null) {
            upstream.pipeline().get(UpstreamHandler.class).markNotReusable();
            upstream.close();
            upstream = null;
        }
        releasePending();
        if (!requestComplete) {
            abortMirrors("cancelled");
        }
        // A bodyless request is complete at its head, even when the answer (a redirect, a 503) comes before the
        // decoder's empty last chunk was handed over: the connection's framing is intact and may be kept.
        boolean keepAlive = clientKeepAlive && (requestComplete || noRequestBody) && !rt.draining()
                && !closeClientAfterResponse;
        if (!keepAlive) {
            closeClientAfterResponse = true;
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (corsOrigin != null) {
            addCorsResponseHeaders(response.headers());
        }
        ctx.writeAndFlush(response);
        finish();
    }

    private void abortByFault(FaultConfig fault) {
        if (fault.abortGrpcStatus() != null) {
            FullHttpResponse r = LocalReplies.text(ctx.alloc(), 200, "");
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
            r.headers().set("grpc-status", String.valueOf(GrpcStatus.code(fault.abortGrpcStatus())));
            addFlag(ResponseFlag.FI);
            sendLocal(r);
            return;
        }
        localReply(fault.abortHttpStatus(), ResponseFlag.FI, "fault filter abort");
    }

    // ------------------------------------------------------------------ CORS

    /** Handles a CORS preflight locally when the origin is allowed; returns whether a reply was sent. */
    private boolean handleCors(CorsConfig cors) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return false;
        }
        boolean allowed = false;
        for (StringMatcher m : cors.allowOrigins()) {
            if (m.matches(origin)) {
                allowed = true;
                break;
            }
        }
        boolean preflight = request.method() == HttpMethod.OPTIONS
                && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (!allowed) {
            if (preflight && !cors.forwardUnmatchedPreflights()) {
                sendLocal(LocalReplies.text(ctx.alloc(), 200, ""));
                return true;
            }
            return false;
        }
        corsOrigin = origin;
        if (!preflight) {
            return false;
        }
        FullHttpResponse r = LocalReplies.text(ctx.alloc(), 200, "");
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
        sendLocal(r);
        return true;
    }

    private void addCorsResponseHeaders(HttpHeaders h) {
        CorsConfig cors = route.cors();
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, corsOrigin);
        if (Boolean.TRUE.equals(cors.allowCredentials())) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        if (cors.exposeHeaders() != null) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, cors.exposeHeaders());
        }
    }

    // ------------------------------------------------------------------ request building

    /**
     * The upstream request head. The client's decoded header map is edited in place when nothing reads the original
     * later: header operations and mirrors render {@code %REQ(...)%} from the client's headers ({@link #view}),
     * so routes with either keep a copy; retries then start from the previous attempt's head
     * ({@link #nextAttemptRequest}), and the request log's user agent and trace id are read beforehand.
     */
    private HttpRequest buildUpstreamRequest() {
        boolean chunked = chunkedRequest;
        long length = declaredLength;
        HttpHeaders h;
        if (destination.requestHeaders().isEmpty() && destination.responseHeaders().isEmpty()
                && forward.mirrors().isEmpty()) {
            h = request.headers();
            headersInPlace = true;
            userAgent = h.get(HttpHeaderNames.USER_AGENT);
            headerTraceId = span.traceId() == null ? headerTraceId() : null;
            ProxyHeaders.removeHopByHop(h);
        } else {
            h = ProxyHeaders.copyEndToEnd(request.headers());
        }
        String path = view.path();
        String newPath = path;
        if (forward.rewrite() != null) {
            newPath = forward.rewrite().rewritePath(path);
            if (forward.rewrite().rewritesPath() && !newPath.equals(path)) {
                h.set("x-envoy-original-path", path);
            }
        }
        h.set(HttpHeaderNames.HOST, view.authority());
        // Envoy's Utility::appendXff: repeated headers are one (coalesced with ","), the peer appended with ",".
        List<String> xff = h.getAll("x-forwarded-for");
        h.set("x-forwarded-for", xff.isEmpty() ? view.remoteAddress()
                : String.join(",", xff) + "," + view.remoteAddress());
        h.set("x-forwarded-proto", view.scheme());
        h.set("x-request-id", requestId);
        h.set("x-envoy-attempt-count", "1");
        if (!forward.timeout().isZero()) {
            h.set("x-envoy-expected-rq-timeout-ms", forward.timeout().toMillis());
        }
        span.inject(h::set);
        HeaderOps ops = destination.requestHeaders();
        ProxyHeaders.apply(ops, h, view);
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
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), newPath, h);
    }

    /**
     * The head of another attempt: built again from the client's headers, or, when those were edited in place,
     * a copy of the previous attempt's head (the same inputs give the same headers).
     */
    private HttpRequest nextAttemptRequest() {
        if (!headersInPlace) {
            return buildUpstreamRequest();
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, upstreamRequest.method(), upstreamRequest.uri(),
                upstreamRequest.headers().copy());
    }

    private boolean methodMayHaveBody() {
        HttpMethod m = request.method();
        return m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH;
    }

    // ------------------------------------------------------------------ mirrors and comparison

    private void abortMirrors(String reason) {
        for (MirrorStream m : mirrors) {
            m.abort(reason);
        }
    }

    private void onMirrorCaptured(RequestLog mirrorLog, CapturedResponse mirrorResponse) {
        if (capture == null) {
            return;
        }
        capture.addMirror(mirrorLog, mirrorResponse);
        if (finished) {
            capture.emit(rt.observer(), requestLog());
        }
    }

    private void onNoiseSampleCaptured(RequestLog sampleLog, CapturedResponse sampleResponse) {
        if (capture == null) {
            return;
        }
        capture.addNoiseSample(sampleResponse);
        if (finished) {
            capture.emit(rt.observer(), requestLog());
        }
    }

    // ------------------------------------------------------------------ completion

    /** The client connection closed before the exchange finished. */
    void onClientClosed() {
        if (finished) {
            return;
        }
        addFlag(ResponseFlag.DC);
        if (!requestComplete) {
            // A request the client did not finish must never reach a mirror as if it were complete.
            abortMirrors("cancelled");
        }
        if (upstream != null) {
            upstream.pipeline().get(UpstreamHandler.class).markNotReusable();
            upstream.close();
            upstream = null;
        }
        finish();
    }

    private void endpointDone() {
        if (attemptActive) {
            attemptActive = false;
            endpoint.requestEnded();
            cluster.activeRequests().decrementAndGet();
        }
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimeout();
        if (retryTask != null) {
            retryTask.cancel(false);
            retryTask = null;
        }
        if (acquiring != null) {
            // Still waiting for a connection (pending in the pool): withdraw.
            Future<Channel> f = acquiring;
            acquiring = null;
            f.cancel(false);
        }
        if (retry != null) {
            retry.release();
        }
        releasePending();
        if (upstream != null && !responseComplete) {
            upstream.pipeline().get(UpstreamHandler.class).markNotReusable();
            upstream.close();
            upstream = null;
        }
        if (endpoint != null && cluster != null) {
            endpointDone();
        }
        rt.activeExchanges().decrementAndGet();
        RequestLog log = requestLog();
        span.end(log);
        rt.observer().onRequest(log);
        if (capture != null) {
            capture.primaryDone(status, bytesSent, System.nanoTime() - startNanos,
                    responseComplete && (flags == null || !flags.contains(ResponseFlag.DC)) ? null : "incomplete");
            capture.emit(rt.observer(), log);
        }
        // Answered before the request body ended: the connection's framing cannot be trusted to line up.
        frontend.exchangeDone(this, (requestComplete || noRequestBody) && !closeClientAfterResponse);
    }

    private void releasePending() {
        if (pendingBody == null) {
            return;
        }
        HttpContent c;
        while ((c = pendingBody.poll()) != null) {
            c.release();
        }
    }

    private RequestLog requestLog() {
        String flagText = flags == null ? "-" : joinFlags();
        Map<String, String> labels = endpoint == null ? Map.of() : endpoint.labels();
        return new RequestLog(startTime, request.method().name(), view.path(), view.authority(),
                request.protocolVersion().text(), status, flagText, bytesReceived, bytesSent,
                System.nanoTime() - startNanos, endpoint == null ? null : endpoint.hostPort(),
                destination == null ? null : destination.cluster(), route == null ? null : route.name(),
                route == null ? null : route.origin().key(), requestId, traceId(),
                destination == null ? null : destination.host(), destination == null ? null : destination.subset(),
                labels, cluster == null ? null : cluster.config().namespace(), false, null, view.remoteAddress(),
                headersInPlace ? userAgent : request.headers().get(HttpHeaderNames.USER_AGENT));
    }

    private String traceId() {
        String traced = span.traceId();
        if (traced != null) {
            return traced;
        }
        return headersInPlace ? headerTraceId : headerTraceId();
    }

    /** The trace id the client's headers carry, if any. */
    private String headerTraceId() {
        String tp = request.headers().get("traceparent");
        if (tp != null && tp.length() >= 35) {
            return tp.substring(3, 35);
        }
        return request.headers().get("x-b3-traceid");
    }

    private void addFlag(ResponseFlag flag) {
        if (flags == null) {
            flags = new ArrayList<>(2);
        }
        flags.add(flag);
    }

    private String joinFlags() {
        if (flags.size() == 1) {
            return flags.get(0).name();
        }
        StringBuilder sb = new StringBuilder();
        for (ResponseFlag f : flags) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(f.name());
        }
        return sb.toString();
    }

    boolean finished() {
        return finished;
    }

    boolean requestComplete() {
        return requestComplete;
    }

    String requestId() {
        return requestId;
    }

    /** Keeps the primary response for comparison and pairs it with mirror responses. Event-loop confined. */
    private static final class ResponseCapture {
        private final int maxBody;
        private int status;
        private List<Map.Entry<String, String>> headers = List.of();
        private byte[] body = new byte[0];
        private int bodyLength;
        private long totalBytes;
        private boolean truncated;
        private CapturedResponse primary;
        private final List<Object[]> mirrors = new ArrayList<>(1);
        private final List<CapturedResponse> noiseSamples = new ArrayList<>(1);
        private boolean primaryDone;

        ResponseCapture(int maxBody) {
            this.maxBody = maxBody;
        }

        void start(int status, HttpHeaders h) {
            this.status = status;
            List<Map.Entry<String, String>> list = new ArrayList<>(h.size());
            for (Map.Entry<String, String> e : h) {
                list.add(Map.entry(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
            }
            headers = list;
        }

        void body(ByteBuf buf) {
            int n = buf.readableBytes();
            totalBytes += n;
            int room = maxBody - bodyLength;
            if (n > room) {
                truncated = true;
            }
            int take = Math.min(room, n);
            if (take <= 0) {
                return;
            }
            if (body.length < bodyLength + take) {
                body = java.util.Arrays.copyOf(body, Math.min(maxBody, Math.max(bodyLength + take, body.length * 2)));
            }
            buf.getBytes(buf.readerIndex(), body, bodyLength, take);
            bodyLength += take;
        }

        void primaryDone(int finalStatus, long sent, long latencyNanos, String failure) {
            primaryDone = true;
            primary = new CapturedResponse(status == 0 ? finalStatus : status, headers,
                    bodyLength == body.length ? body : java.util.Arrays.copyOf(body, bodyLength), truncated,
                    totalBytes, latencyNanos, failure);
        }

        void addMirror(RequestLog log, CapturedResponse response) {
            mirrors.add(new Object[] {log, response});
        }

        void addNoiseSample(CapturedResponse response) {
            noiseSamples.add(response);
        }

        void emit(io.shadowgate.proxy.telemetry.ProxyObserver observer, RequestLog primaryLog) {
            if (!primaryDone) {
                return;
            }
            for (Object[] m : mirrors) {
                observer.onComparablePair(primaryLog, (RequestLog) m[0], primary, (CapturedResponse) m[1]);
            }
            mirrors.clear();
            for (CapturedResponse sample : noiseSamples) {
                observer.onNoiseSample(primaryLog, primary, sample);
            }
            noiseSamples.clear();
        }
    }
}

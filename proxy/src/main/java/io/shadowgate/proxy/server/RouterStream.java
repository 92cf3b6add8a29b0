package io.shadowgate.proxy.server;

import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.shadowgate.config.decide.HashKey;
import io.shadowgate.config.decide.RouteDecider;
import io.shadowgate.config.decide.RouteDecision;
import io.shadowgate.config.snapshot.DirectResponseAction;
import io.shadowgate.config.snapshot.FaultConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.RedirectAction;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.WeightedDestination;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.proxy.observe.RequestTracer;
import io.shadowgate.proxy.observe.ResponseFlag;
import io.shadowgate.proxy.upstream.ConnectionPool;
import io.shadowgate.proxy.upstream.OutlierDetector;
import io.shadowgate.proxy.upstream.UpstreamCluster;
import io.shadowgate.proxy.upstream.UpstreamEndpoint;
import io.shadowgate.proxy.mirror.MirrorFanout;
import io.shadowgate.proxy.observe.ExchangeLog;
import io.shadowgate.proxy.observe.MirrorOutcome;
import io.shadowgate.proxy.stream.DownstreamStream;
import io.shadowgate.proxy.stream.RequestHead;
import io.shadowgate.proxy.stream.ResponseWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * What one request does, whatever protocol carried it (Envoy's router filter): reads the snapshot once, routes,
 * answers locally (no route, redirect, direct response, CORS preflight, fault abort, limits), applies the global
 * timeout, drives retries ({@link RetryState}) over one {@link UpstreamAttempt} per try, edits the response head, and
 * drives the mirrors ({@link MirrorFanout}) and the request log ({@link ExchangeLog}). The wire is behind
 * {@link DownstreamStream} and {@link ResponseWriter} (HTTP/1.1: {@code server.http1.Http1ServerStream}). Runs
 * entirely on the client connection's event loop; nothing here is thread-safe and nothing needs to be.
 *
 * <p>Flow control (see {@code docs/data-path.md}): the client connection has AUTO_READ off. A body chunk read from
 * the client is written to the upstream; the next read is requested only while the upstream connection is writable,
 * and resumes when it becomes writable again. Mirrors get a retained duplicate of each chunk and never gate the
 * client's reads: a mirror that cannot keep up within its byte budget is abandoned. Response chunks flow the same
 * way in the other direction: the next upstream read is requested only while the client is writable.
 *
 * <p>Buffer ownership: client body chunks are owned by the router until handed to an attempt (kept here before the
 * first attempt and between attempts), by the attempt until written upstream, and released when the exchange is
 * torn down.
 */
final class RouterStream implements UpstreamAttempt.Owner, DownstreamStream.Listener {

    private final DownstreamStream downstream;
    private final ResponseWriter writer;
    private final ProxyRuntime rt;
    private final RequestHead head;
    private final long startNanos = System.nanoTime();
    private final Instant startTime;
    private final String requestId;
    /** The request log, filled in stages: request now, route and destination when decided, the rest as it goes. */
    private final ExchangeLog log;

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
    /** The current (or last) try; {@code null} before the first. */
    private UpstreamAttempt attempt;
    private ScheduledFuture<?> retryTask;
    private long hash;
    private boolean hasHash;
    private String stickyCookie;
    /** The route's CORS policy for this request; {@code null} when CORS has nothing to do with it. */
    private CorsPolicy cors;

    private UpstreamRequestBuilder requests;
    /** The head the next attempt sends. */
    private HttpRequest upstreamRequest;
    /**
     * Client body chunks for the next attempt: those that arrived before the first one started (during a fault
     * delay), or the carry-over or replay between attempts; {@code null} when none.
     */
    private ArrayDeque<HttpContent> pendingBody;
    private MirrorFanout mirrors = MirrorFanout.NONE;
    private ScheduledFuture<?> timeoutTask;

    /** How far the client's request got: still arriving, received in full, sent upstream in full. */
    private RequestPhase requestPhase = RequestPhase.RECEIVING;
    /** How far the answer got: none yet, head sent, complete. */
    private ResponsePhase responsePhase = ResponsePhase.AWAITING;
    /** Client reads wait for the upstream to become writable. */
    private boolean readPaused;
    /** Upstream reads wait for the client to become writable. */
    private boolean upstreamPaused;
    private boolean finished;
    private RequestTracer.Span span = RequestTracer.Span.NOOP;

    RouterStream(DownstreamStream downstream, ProxyRuntime rt) {
        this.downstream = downstream;
        this.writer = downstream.response();
        this.rt = rt;
        this.head = downstream.head();
        this.startTime = rt.clock().instant();
        String rid = head.headers().get("x-request-id");
        this.requestId = rid != null && !rid.isEmpty() ? rid : RequestIds.randomUuid();
        this.log = new ExchangeLog(startTime, startNanos)
                .request(head.method(), head.path(), head.authority(), head.protocol(), requestId)
                .client(head.remoteAddress(), head.headers().get(HttpHeaderNames.USER_AGENT));
        rt.activeExchanges().incrementAndGet();
    }

    /** How far the client's request got. */
    private enum RequestPhase {
        /** Body still arriving from the client. */
        RECEIVING,
        /** The client's request ended (its last chunk was accepted). */
        RECEIVED,
        /** The current attempt wrote the whole request upstream. */
        SENT
    }

    /** How far the answer to the client got. */
    private enum ResponsePhase {
        /** Nothing sent yet: a retry or a local reply is still possible. */
        AWAITING,
        /** The head went out; the body streams. */
        STARTED,
        /** The answer is complete. */
        COMPLETE
    }

    private boolean requestComplete() {
        return requestPhase != RequestPhase.RECEIVING;
    }

    private boolean requestFullySent() {
        return requestPhase == RequestPhase.SENT;
    }

    private boolean responseStarted() {
        return responsePhase != ResponsePhase.AWAITING;
    }

    private boolean responseComplete() {
        return responsePhase == ResponsePhase.COMPLETE;
    }

    // ------------------------------------------------------------------ request side

    /** Routes the request and starts forwarding, or answers locally. */
    @Override
    public void onHeaders() {
        snapshot = rt.snapshots().get();
        decision = RouteDecider.decide(snapshot, head, rt.random().nextLong(), null);
        route = decision.route();
        if (route == null) {
            localReply(404, ResponseFlag.NR, "");
            return;
        }
        log.route(route.name(), route.origin().key());
        span = rt.tracer().start(head, requestId);
        if (route.cors() != null) {
            cors = CorsPolicy.evaluate(route.cors(), head);
            if (cors != null && cors.answersLocally()) {
                sendLocal(cors.preflightReply(downstream.alloc()));
                return;
            }
        }
        if (route.action() instanceof RedirectAction redirect) {
            FullHttpResponse r = LocalReplies.text(downstream.alloc(), redirect.code(), "");
            r.headers().set(HttpHeaderNames.LOCATION, redirect.location(head));
            ProxyHeaders.apply(redirect.headers(), r.headers(), head);
            sendLocal(r);
            return;
        }
        if (route.action() instanceof DirectResponseAction direct) {
            FullHttpResponse r = LocalReplies.bytes(downstream.alloc(), direct.status(), direct.body());
            if (direct.body().length > 0) {
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
            }
            ProxyHeaders.apply(direct.headers(), r.headers(), head);
            sendLocal(r);
            return;
        }
        forward = (ForwardAction) route.action();
        long limit = rt.options().listener().maxRequestBodyBytes();
        if (limit >= 0 && head.declaredLength() > limit) {
            localReply(413, ResponseFlag.LR, "Payload Too Large");
            return;
        }
        FaultConfig fault = forward.fault();
        if (FaultInjector.delays(fault, rt.random())) {
            // Envoy's fault filter: the delay first, then (maybe) the abort.
            log.flag(ResponseFlag.DI);
            downstream.eventLoop().schedule(this::afterFaultDelay, fault.delay().toNanos(), TimeUnit.NANOSECONDS);
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
        if (FaultInjector.aborts(fault, rt.random())) {
            log.flag(ResponseFlag.FI);
            sendLocal(FaultInjector.abortReply(fault, head, downstream.alloc()));
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
        log.destination(destination.cluster(), destination.host(), destination.subset());
        cluster = rt.clusters().get(destination.cluster());
        if (cluster != null) {
            log.namespace(cluster.config().namespace());
        }
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
        requests = new UpstreamRequestBuilder(head, forward, destination, requestId, span);
        upstreamRequest = requests.first();
        boolean compare = forward.compare() != null ? forward.compare() : rt.options().capture().compareByDefault();
        if (!forward.mirrors().isEmpty() && head.httpMethod() != HttpMethod.CONNECT) {
            mirrors = MirrorFanout.start(rt.mirrors(), downstream.eventLoop(), snapshot, forward, head, decision.mirrors(),
                    upstreamRequest, requestId, startTime, span, destination,
                    compare ? rt.options().capture().maxBodyBytes() : -1);
            // Body chunks that arrived before the mirrors started (during a fault delay) are theirs too.
            if (pendingBody != null) {
                for (HttpContent c : pendingBody) {
                    mirrors.onBody(c);
                }
            }
            if (requestComplete()) {
                mirrors.onRequestEnd();
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
        attemptsStarted++;
        if (retry != null) {
            retry.attempted(endpoint);
        }
        ArrayDeque<HttpContent> body = pendingBody;
        pendingBody = null;
        attempt = new UpstreamAttempt(rt.primaryPool(), downstream, cluster, endpoint, upstreamRequest, body, this);
        attempt.start();
    }

    @Override
    public void onAttemptFailed(Throwable cause) {
        if (cause instanceof ConnectionPool.OverflowException) {
            localReply(503, ResponseFlag.UO, LocalReplies.UPSTREAM_RESET_PREFIX + "reset reason: overflow");
            return;
        }
        // A connect failure counts as a 503 for outlier detection (Envoy without split local-origin errors).
        OutlierDetector.record(cluster, endpoint, 503);
        if (retryAfter(RetryState.Failure.CONNECT_FAILURE)) {
            return;
        }
        localReply(503, ResponseFlag.UF, LocalReplies.UPSTREAM_RESET_PREFIX + "reset reason: connection failure");
    }

    @Override
    public void onAttemptConnected() {
        if (requestComplete()) {
            armTimeout();
        } else if (attempt.isWritable()) {
            downstream.readRequestData();
        } else {
            readPaused = true;
        }
    }

    @Override
    public boolean finished() {
        return finished;
    }

    /** A body chunk from the client. Takes ownership of {@code content}. */
    @Override
    public void onData(HttpContent content) {
        if (finished) {
            // Answered early; the connection closes after the response, the rest of the upload is dropped.
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            // Malformed body framing (bad chunk, forbidden trailer): the upstream must never see this body end.
            Throwable cause = content.decoderResult().cause();
            content.release();
            onReset(cause instanceof RejectedRequestException r ? r.status()
                    : cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException ? 431 : 400,
                    ResponseFlag.DPE, "");
            return;
        }
        int size = content.content().readableBytes();
        log.addBytesReceived(size);
        long limit = rt.options().listener().maxRequestBodyBytes();
        if (limit >= 0 && log.bytesReceived() > limit) {
            content.release();
            mirrors.abort(MirrorOutcome.CANCELLED);
            localReply(413, ResponseFlag.LR, "Payload Too Large");
            return;
        }
        recordForReplay(content);
        boolean last = content instanceof LastHttpContent;
        mirrors.onBody(content);
        if (last) {
            requestPhase = RequestPhase.RECEIVED;
            downstream.requestConsumed();
            mirrors.onRequestEnd();
            // With AUTO_READ off a socket nobody reads never reports its peer's close: keep one read pending while
            // the response is awaited, so a client that goes away ends this exchange (DC) and frees the upstream
            // connection instead of holding both until the upstream answers. A pipelined next request read this
            // way waits in the FrontendHandler's queue; no further read is issued until this exchange ends.
            downstream.readRequestData();
        }
        if (attempt == null) {
            if (pendingBody == null) {
                pendingBody = new ArrayDeque<>(4);
            }
            pendingBody.add(content);
            return;
        }
        attempt.writeBody(content);
        if (!attempt.connected()) {
            // Waits in the attempt until its connection is ready, which then asks for more.
            return;
        }
        if (last) {
            armTimeout();
        } else if (attempt.isWritable()) {
            downstream.readRequestData();
        } else {
            readPaused = true;
        }
    }

    @Override
    public void onRequestSent() {
        requestPhase = RequestPhase.SENT;
        maybeRelease();
    }

    /** The client's read batch ended: flushes what was written upstream during it. */
    @Override
    public void onReadBatchEnd() {
        if (attempt != null) {
            attempt.flushBatch();
        }
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        if (writable && readPaused && !requestComplete() && !finished) {
            readPaused = false;
            downstream.readRequestData();
        }
    }

    /** The client connection became writable again: resume reading the response. */
    @Override
    public void onWritable() {
        if (upstreamPaused && attempt != null && attempt.connected() && !responseComplete()) {
            upstreamPaused = false;
            attempt.read();
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
                attempt.read();
                return;
            }
            if (!responseStarted() && retryResponse(response)) {
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
            log.addBytesSent(content.content().readableBytes());
            mirrors.onResponseBody(content.content());
            if (last) {
                responsePhase = ResponsePhase.COMPLETE;
                writer.writeData(content);
                completeResponse();
                return;
            }
            writer.writeData(content);
        }
        if (writer.isWritable()) {
            attempt.read();
        } else {
            upstreamPaused = true;
        }
    }

    private void startResponse(HttpResponse response) {
        responsePhase = ResponsePhase.STARTED;
        cancelTimeout();
        int status = response.status().code();
        log.status(status);
        // The decoded response head is edited in place: what is needed of it as received is read first.
        HttpHeaders headers = response.headers();
        long contentLength = HttpUtil.getContentLength(response, -1L);
        boolean upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        mirrors.onResponseHead(status, headers);
        ProxyHeaders.removeHopByHop(headers);
        ProxyHeaders.apply(destination.responseHeaders(), headers, head);
        if (cors != null) {
            cors.decorate(headers);
        }
        if (stickyCookie != null) {
            headers.add(HttpHeaderNames.SET_COOKIE, stickyCookie);
        }
        if (!upstreamKeepAlive) {
            attempt.markNotReusable();
        }
        writer.writeHead(response.status(), headers, contentLength);
        recordUpstreamResult(status);
    }

    private void completeResponse() {
        if (!requestComplete()) {
            // An early response: the rest of the upload has nowhere to go. The upstream connection cannot be reused
            // and the client connection is closed after the response (its framing no longer lines up).
            attempt.markNotReusable();
            mirrors.abort(MirrorOutcome.CANCELLED);
            writer.endAfterResponse();
        }
        maybeRelease();
        finish();
    }

    private void maybeRelease() {
        if (attempt != null && responseComplete()) {
            attempt.releaseIfDone(requestFullySent(), requestComplete());
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
            retry = RetryState.create(retryConfig, cluster, rt.options().retry().bufferBytes(),
                    rt.options().retry().globalBufferBytes(), rt.retryBufferedBytes(), rt.random());
            if (attemptsStarted > 0) {
                retry.attempted(endpoint);
            }
            if (requestComplete() && !bodyRecorded) {
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
        switch (state.decide(wouldRetry, attempt == null || !attempt.bodySent() || state.bodyKept())) {
            case RETRY:
                return true;
            case LIMIT_EXCEEDED:
                log.flag(ResponseFlag.URX);
                return false;
            case OVERFLOW:
                log.flag(ResponseFlag.UO);
                return false;
            default:
                return false;
        }
    }

    private void scheduleRetry() {
        retryTask = downstream.eventLoop().schedule(this::startRetry, retry.backoffNanos(), TimeUnit.NANOSECONDS);
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
        upstreamRequest = requests.next(upstreamRequest);
        upstreamRequest.headers().set("x-envoy-attempt-count", retry.attempt());
        if (attempt.bodySent()) {
            // What the last attempt sent must go again: the replay copy, in place of anything still waiting.
            attempt.releasePending();
            pendingBody = new ArrayDeque<>(retry.replay());
        } else {
            pendingBody = attempt.takePending();
        }
        resendRequest();
        readPaused = false;
        connect();
    }

    /** A new attempt sends the request again: it is no longer fully sent (it was received in full, or is arriving). */
    private void resendRequest() {
        if (requestPhase == RequestPhase.SENT) {
            requestPhase = RequestPhase.RECEIVED;
        }
    }

    /** Ends the current attempt without using its response: the connection is detached and closed, never pooled. */
    private void abandonAttempt() {
        attempt.abandon();
    }

    private void armPerTry() {
        if (retryConfig == null || responseStarted() || attempt == null) {
            return;
        }
        attempt.armPerTry(retryConfig.perTryTimeout());
    }

    @Override
    public void onPerTryTimeout() {
        if (finished || responseStarted()) {
            return;
        }
        if (attempt.active()) {
            recordUpstreamResult(504);
        }
        abandonAttempt();
        if (retryAfter(RetryState.Failure.PER_TRY_TIMEOUT)) {
            return;
        }
        localReply(504, ResponseFlag.UT, "upstream request timeout");
    }

    private void cancelPerTry() {
        if (attempt != null) {
            attempt.cancelPerTry();
        }
    }

    /**
     * The client side failed the request in flight (malformed body, stalled upload or download): answers
     * {@code status} if no response started (0: never answers), closes the connection, and never lets the upstream
     * or a mirror see the request as complete.
     */
    @Override
    public void onReset(int status, ResponseFlag flag, String body) {
        if (finished) {
            return;
        }
        writer.endAfterResponse();
        if (!requestComplete()) {
            mirrors.abort(MirrorOutcome.CANCELLED);
        }
        if (status == 0) {
            log.flag(flag);
            writer.reset();
            finish();
            return;
        }
        localReply(status, flag, body);
    }

    @Override
    public void onUpstreamClosed() {
        if (finished || responseComplete()) {
            return;
        }
        attempt.lost();
        if (!responseStarted() && attempt.reused() && log.bytesReceived() == 0 && requestComplete()
                && retryOnStaleConnection()) {
            return;
        }
        upstreamFailed(ResponseFlag.UC, 503, LocalReplies.UPSTREAM_RESET_PREFIX + "reset reason: connection termination");
    }

    /**
     * A pooled connection the upstream had already closed: the request (bodyless) never reached it, so it is sent
     * again once on a fresh connection, as every HTTP/1.1 client does.
     */
    private boolean retryOnStaleConnection() {
        if (attempt.nothingPending()) {
            abandonAttempt();
            upstreamRequest = requests.next(upstreamRequest);
            if (retry != null) {
                upstreamRequest.headers().set("x-envoy-attempt-count", retry.attempt());
            }
            resendRequest();
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
        if (finished || responseComplete()) {
            return;
        }
        attempt.lost();
        upstreamFailed(ResponseFlag.UC, 503, LocalReplies.UPSTREAM_RESET_PREFIX + "reset reason: "
                + (cause instanceof java.io.IOException ? "connection termination" : "protocol error"));
    }

    private void upstreamFailed(ResponseFlag flag, int code, String body) {
        if (!responseStarted() && attempt.active()) {
            recordUpstreamResult(code);
            abandonAttempt();
            if (retryAfter(RetryState.Failure.RESET)) {
                return;
            }
        }
        attempt.close();
        if (!requestComplete()) {
            mirrors.abort(MirrorOutcome.CANCELLED);
        }
        if (responseStarted()) {
            log.flag(flag);
            writer.endAfterResponse();
            writer.reset();
            finish();
        } else {
            localReply(code, flag, body);
        }
    }

    private void armTimeout() {
        armPerTry();
        Duration timeout = forward == null ? Duration.ZERO : forward.timeout();
        if (timeout.isZero() || responseStarted() || timeoutTask != null) {
            return;
        }
        timeoutTask = downstream.eventLoop().schedule(this::onTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void onTimeout() {
        timeoutTask = null;
        if (finished || responseStarted()) {
            return;
        }
        if (attempt != null && attempt.connected()) {
            if (attempt.active()) {
                recordUpstreamResult(504);
            }
            attempt.close();
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
            log.flag(flag);
        }
        if (responseStarted()) {
            writer.reset();
            finish();
            return;
        }
        sendLocal(LocalReplies.forRequest(head, downstream.alloc(), code, body));
    }

    private void sendLocal(FullHttpResponse response) {
        responsePhase = ResponsePhase.COMPLETE;
        log.status(response.status().code()).bytesSent(response.content().readableBytes());
        cancelTimeout();
        if (attempt != null) {
            attempt.close();
        }
        releasePending();
        if (!requestComplete()) {
            mirrors.abort(MirrorOutcome.CANCELLED);
        }
        if (cors != null) {
            cors.decorate(response.headers());
        }
        writer.writeLocal(response);
        finish();
    }


    // ------------------------------------------------------------------ request building

    // ------------------------------------------------------------------ completion

    /** The client connection closed before the exchange finished. */
    @Override
    public void onClosed() {
        if (finished) {
            return;
        }
        log.flag(ResponseFlag.DC);
        if (!requestComplete()) {
            // A request the client did not finish must never reach a mirror as if it were complete.
            mirrors.abort(MirrorOutcome.CANCELLED);
        }
        if (attempt != null) {
            attempt.close();
        }
        finish();
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
        if (attempt != null) {
            // Still waiting for a connection (pending in the pool): withdraw.
            attempt.cancelAcquire();
        }
        if (retry != null) {
            retry.release();
        }
        releasePending();
        if (attempt != null) {
            if (!responseComplete()) {
                attempt.close();
            }
            attempt.endpointDone();
        }
        rt.activeExchanges().decrementAndGet();
        if (endpoint != null) {
            log.endpoint(endpoint.hostPort(), endpoint.labels());
        }
        long now = System.nanoTime();
        RequestLog done = log.traceId(requests != null ? requests.traceId() : UpstreamRequestBuilder.traceIdOf(span,
                head.headers())).build(now);
        span.end(done);
        rt.observer().onRequest(done);
        mirrors.primaryDone(done, done.status(), now - startNanos,
                responseComplete() && !log.hasFlag(ResponseFlag.DC) ? null : "incomplete");
        downstream.streamDone();
    }

    /** Releases body chunks still waiting, in the router (between attempts) and in the attempt. */
    private void releasePending() {
        if (pendingBody != null) {
            HttpContent c;
            while ((c = pendingBody.poll()) != null) {
                c.release();
            }
        }
        if (attempt != null) {
            attempt.releasePending();
        }
    }
}

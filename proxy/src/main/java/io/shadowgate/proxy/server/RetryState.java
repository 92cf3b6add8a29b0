package io.shadowgate.proxy.server;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.proxy.upstream.UpstreamCluster;
import io.shadowgate.proxy.upstream.UpstreamEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import io.shadowgate.proxy.runtime.RandomSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The retry policy of one request (VirtualService {@code retries}, Istio's default when the route has none), as
 * Envoy's router applies it to an HTTP/1.1 upstream. Event-loop confined (one per {@link RouterStream}); the cluster's
 * retry counter and the global buffer budget are the only shared state.
 *
 * <p><b>What is retriable</b> ({@code retryOn}):
 * <ul>
 *   <li>a response, before any of it reached the client: {@code 5xx} (any 5xx), {@code gateway-error} (502, 503,
 *       504), {@code retriable-4xx} (409), {@code retriable-status-codes} (the route's codes), the gRPC policies
 *       {@code cancelled}, {@code deadline-exceeded}, {@code internal}, {@code resource-exhausted},
 *       {@code unavailable} (on the {@code grpc-status} response header), {@code envoy-ratelimited} (a response with
 *       {@code x-envoy-ratelimited} is retried only under that policy);</li>
 *   <li>a connect failure: {@code connect-failure}, {@code reset}, {@code 5xx}, {@code gateway-error};</li>
 *   <li>a reset, close or malformed response before the response started: {@code reset}, {@code 5xx},
 *       {@code gateway-error};</li>
 *   <li>a per-try timeout: {@code reset}, {@code 5xx}, {@code gateway-error}.</li>
 * </ul>
 * {@code refused-stream} is an HTTP/2 reset code and never occurs on HTTP/1.1; it is accepted and ignored.
 *
 * <p><b>Whether it is retried</b>: while attempts are left ({@code attempts} retries after the first try, else flag
 * {@code URX}), while the cluster's {@code maxRetries} allows another concurrent retry (else flag {@code UO}), and
 * only when the request body can be sent again: the body received so far is copied (up to
 * {@code retryBufferBytes} per request, and within {@code retryGlobalBufferBytes} for all requests); a body that
 * outgrows either stops being kept and the request is never retried after part of it went upstream (counted in
 * {@code retry_or_shadow_abandoned}). A body is never truncated.
 *
 * <p><b>When</b>: after Envoy's fully jittered exponential back-off: a random delay below {@code base × 2^n},
 * capped at ten times the base ({@code backoff}, default 25 ms). <b>Where</b>: with
 * {@code retryIgnorePreviousHosts}, an endpoint not tried yet when the balancer offers one within five picks.
 */
final class RetryState {

    /** A failure without a response. */
    enum Failure { CONNECT_FAILURE, RESET, PER_TRY_TIMEOUT }

    /** What to do about a retriable outcome. */
    enum Decision { RETRY, NO, LIMIT_EXCEEDED, OVERFLOW, BODY_NOT_REPLAYABLE }

    private static final int HOST_SELECTION_ATTEMPTS = 5;

    /** Draws the backoff jitter. */
    private final RandomSource random;
    private final RetryConfig config;
    private final UpstreamCluster cluster;
    private final int bufferLimit;
    private final long globalLimit;
    private final AtomicLong globalBuffered;
    private int retriesLeft;
    private int attempt = 1;
    private long nextBackoffMillis;
    private boolean holdingRetry;
    private final List<UpstreamEndpoint> tried = new ArrayList<>(2);

    private byte[] body = new byte[0];
    private int bodyLength;
    private boolean bodyComplete;
    private HttpHeaders trailers;
    private boolean bufferAbandoned;
    private long reserved;

    /**
     * @return the state for {@code config}, or {@code null} when it never retries ({@code attempts <= 0} or no
     *         policy)
     */
    static RetryState create(RetryConfig config, UpstreamCluster cluster, int bufferLimit, long globalLimit,
                             AtomicLong globalBuffered, RandomSource random) {
        if (!retries(config)) {
            return null;
        }
        return new RetryState(config, cluster, bufferLimit, globalLimit, globalBuffered, random);
    }

    /** Whether {@code config} ever retries (attempts left and something to retry on). */
    static boolean retries(RetryConfig config) {
        return config != null && config.attempts() > 0 && (!config.retryOn().isEmpty()
                || !config.retriableStatusCodes().isEmpty());
    }

    private RetryState(RetryConfig config, UpstreamCluster cluster, int bufferLimit, long globalLimit,
                       AtomicLong globalBuffered, RandomSource random) {
        this.random = random;
        this.config = config;
        this.cluster = cluster;
        this.bufferLimit = bufferLimit;
        this.globalLimit = globalLimit;
        this.globalBuffered = globalBuffered;
        this.retriesLeft = config.attempts();
    }

    /** The current attempt, 1 for the first try ({@code x-envoy-attempt-count}). */
    int attempt() {
        return attempt;
    }

    // ------------------------------------------------------------------ policy

    /** Whether {@code response} (its head) is retriable under {@code config}; needs no per-request state. */
    static boolean retriable(RetryConfig config, HttpResponse response) {
        Set<String> on = config.retryOn();
        int code = response.status().code();
        HttpHeaders h = response.headers();
        if (h.contains("x-envoy-ratelimited")) {
            return on.contains("envoy-ratelimited");
        }
        if (on.contains("5xx") && code >= 500 && code <= 599) {
            return true;
        }
        if (on.contains("gateway-error") && (code == 502 || code == 503 || code == 504)) {
            return true;
        }
        if (on.contains("retriable-4xx") && code == 409) {
            return true;
        }
        if (config.retriableStatusCodes().contains(code)) {
            return true;
        }
        String grpc = h.get("grpc-status");
        if (grpc != null) {
            String name = switch (grpc.trim()) {
                case "1" -> "cancelled";
                case "4" -> "deadline-exceeded";
                case "8" -> "resource-exhausted";
                case "13" -> "internal";
                case "14" -> "unavailable";
                default -> null;
            };
            return name != null && on.contains(name);
        }
        return false;
    }

    /** Whether a failure without a response is retriable under {@code config}; needs no per-request state. */
    static boolean retriable(RetryConfig config, Failure failure) {
        Set<String> on = config.retryOn();
        if (on.contains("reset") || on.contains("5xx") || on.contains("gateway-error")) {
            return true;
        }
        return failure == Failure.CONNECT_FAILURE
                && (on.contains("connect-failure") || on.contains("reset-before-request"));
    }

    /**
     * Decides about a retriable ({@code wouldRetry}) or final outcome of the current attempt. A {@code RETRY}
     * takes one attempt and one slot of the cluster's {@code maxRetries} until the retried attempt ends.
     *
     * @param canReplay whether the request body received so far can be sent again
     */
    Decision decide(boolean wouldRetry, boolean canReplay) {
        boolean wasRetry = holdingRetry;
        releaseRetrySlot();
        if (!wouldRetry) {
            if (wasRetry) {
                cluster.stats().retrySuccess.increment();
            }
            return Decision.NO;
        }
        if (retriesLeft <= 0) {
            cluster.stats().retryLimitExceeded.increment();
            return Decision.LIMIT_EXCEEDED;
        }
        if (!canReplay) {
            cluster.stats().retrySkippedBody.increment();
            return Decision.BODY_NOT_REPLAYABLE;
        }
        retriesLeft--;
        int max = cluster.config().connectionPool().maxRetries();
        if (cluster.activeRetries().incrementAndGet() > max) {
            cluster.activeRetries().decrementAndGet();
            cluster.stats().retryOverflow.increment();
            return Decision.OVERFLOW;
        }
        holdingRetry = true;
        attempt++;
        cluster.stats().retries.increment();
        return Decision.RETRY;
    }

    /** Envoy's fully jittered exponential back-off, in nanoseconds. */
    long backoffNanos() {
        Duration b = config.backoffBase();
        long base = Math.max(1, b == null ? 25 : b.toMillis());
        long max = base * 10;
        if (nextBackoffMillis == 0) {
            nextBackoffMillis = base;
        }
        long bound = nextBackoffMillis;
        nextBackoffMillis = nextBackoffMillis < max / 2 ? nextBackoffMillis * 2 : max;
        long millis = Math.min(RandomSource.below(random, bound), max);
        return millis * 1_000_000L;
    }

    /** Records that an attempt goes to {@code endpoint}. */
    void attempted(UpstreamEndpoint endpoint) {
        tried.add(endpoint);
    }

    /** The endpoint for the next attempt: with {@code retryIgnorePreviousHosts}, one not tried yet if possible. */
    UpstreamEndpoint pick(long hash, boolean hasHash) {
        if (!config.ignorePreviousHosts() || tried.isEmpty()) {
            return cluster.choose(hash, hasHash, null);
        }
        UpstreamEndpoint last = tried.get(tried.size() - 1);
        UpstreamEndpoint e = null;
        for (int i = 0; i < HOST_SELECTION_ATTEMPTS; i++) {
            e = cluster.choose(hash, hasHash, last);
            if (e == null || !tried.contains(e)) {
                return e;
            }
        }
        return e;
    }

    // ------------------------------------------------------------------ body replay

    /** Copies a client body chunk (before it is written anywhere) while the buffer limits allow. */
    void record(HttpContent content) {
        if (bufferAbandoned) {
            return;
        }
        int n = content.content().readableBytes();
        if (n > 0) {
            if ((long) bodyLength + n > bufferLimit || !reserve(n)) {
                abandonBuffer();
                return;
            }
            if (body.length < bodyLength + n) {
                body = Arrays.copyOf(body, Math.min(bufferLimit, Math.max(bodyLength + n, body.length * 2 + 256)));
            }
            content.content().getBytes(content.content().readerIndex(), body, bodyLength, n);
            bodyLength += n;
        }
        if (content instanceof LastHttpContent last) {
            bodyComplete = true;
            if (!last.trailingHeaders().isEmpty()) {
                trailers = last.trailingHeaders().copy();
            }
        }
    }

    /** Whether every body byte received so far is kept. */
    boolean bodyKept() {
        return !bufferAbandoned;
    }

    /** The body received so far as fresh chunks, to send on a new attempt (the last one if the body ended). */
    List<HttpContent> replay() {
        List<HttpContent> out = new ArrayList<>(2);
        // The array is never written below bodyLength again, so the wrapped view stays valid while more arrives.
        if (bodyComplete) {
            out.add(trailers == null
                    ? new DefaultLastHttpContent(Unpooled.wrappedBuffer(body, 0, bodyLength))
                    : new DefaultLastHttpContent(Unpooled.wrappedBuffer(body, 0, bodyLength), trailers.copy()));
        } else if (bodyLength > 0) {
            out.add(new DefaultHttpContent(Unpooled.wrappedBuffer(body, 0, bodyLength)));
        }
        return out;
    }

    private boolean reserve(long n) {
        while (true) {
            long current = globalBuffered.get();
            if (current + n > globalLimit) {
                return false;
            }
            if (globalBuffered.compareAndSet(current, current + n)) {
                reserved += n;
                return true;
            }
        }
    }

    private void abandonBuffer() {
        bufferAbandoned = true;
        body = new byte[0];
        bodyLength = 0;
        trailers = null;
        freeReservation();
        cluster.stats().retryBufferOverflow.increment();
    }

    private void freeReservation() {
        if (reserved > 0) {
            globalBuffered.addAndGet(-reserved);
            reserved = 0;
        }
    }

    private void releaseRetrySlot() {
        if (holdingRetry) {
            holdingRetry = false;
            cluster.activeRetries().decrementAndGet();
        }
    }

    /** The exchange is over: frees the buffer, its budget and any retry slot. Idempotent. */
    void release() {
        releaseRetrySlot();
        freeReservation();
        body = new byte[0];
        bodyLength = 0;
    }
}

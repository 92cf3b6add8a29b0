package io.shadowgate.proxy.mirror;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.shadowgate.config.decide.MirrorSampling;
import io.shadowgate.config.decide.RouteDecider;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.config.snapshot.MirrorPolicy;
import io.shadowgate.config.snapshot.RequestView;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.WeightedDestination;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.observe.CapturedResponse;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.proxy.observe.RequestTracer;
import io.shadowgate.proxy.observe.SkipReason;
import io.shadowgate.proxy.upstream.ClusterManager;
import io.shadowgate.proxy.upstream.ConnectionPool;
import io.shadowgate.proxy.upstream.UpstreamCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides and starts the mirrors of one request. Shared by all event loops; thread-safe (budgets are atomics).
 *
 * <p>Which mirrors a request samples is part of its routing decision ({@link RouteDecider#decide},
 * {@link MirrorSampling}: Envoy's nested sampling from one 64-bit value, or the hash of a
 * {@code shadowgate.io/mirror-sample-key}); the dispatcher applies what only the running gateway knows: the method
 * filter's skip count, whether the cluster exists, the in-flight limit and the CPU budget.
 *
 * <p>Mirrors are best-effort and the primary has priority: an event loop busy for more than
 * {@link io.shadowgate.proxy.options.MirrorBudgets#cpuBudget()} of the last window (see {@link LoopLoad}) starts no mirror until a window
 * says otherwise; each is counted as skipped with reason {@code dropped_cpu}.
 */
public final class MirrorDispatcher {

    private static final Logger log = LoggerFactory.getLogger(MirrorDispatcher.class);

    private final ProxyOptions options;
    private final ClusterManager clusters;
    private final ConnectionPool pool;
    private final ProxyObserver observer;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final Set<String> loggedOnce = ConcurrentHashMap.newKeySet();
    private final RateLimitedLog failureLog = new RateLimitedLog(log, Duration.ofSeconds(10));
    private final Map<EventLoop, LoopLoad> loads = new ConcurrentHashMap<>();
    private final LongSupplier busyClock;
    private final NoiseSampler noiseSampler;

    public MirrorDispatcher(ProxyOptions options, ClusterManager clusters, ConnectionPool pool,
                            ProxyObserver observer) {
        this(options, clusters, pool, observer, RandomSource.THREAD_LOCAL);
    }

    /** @param random draws the noise-sample share */
    public MirrorDispatcher(ProxyOptions options, ClusterManager clusters, ConnectionPool pool,
                            ProxyObserver observer, RandomSource random) {
        this.options = options;
        this.clusters = clusters;
        this.pool = pool;
        this.observer = observer;
        this.busyClock = options.mirror().cpuBudget() > 0 && options.mirror().cpuBudget() < 1
                ? LoopLoad.platformBusyClock() : () -> 0;
        this.noiseSampler = new NoiseSampler(options, System::nanoTime, random);
    }

    /**
     * Starts the mirrors of a request whose primary is about to be forwarded.
     *
     * @param loop            the client connection's event loop (mirrors run there too)
     * @param snapshot        the request's snapshot
     * @param forward         the matched route's forward action
     * @param view            the request
     * @param sampling        the mirrors the request's decision sampled ({@link RouteDecider#decide})
     * @param upstreamRequest the primary's request after header operations and rewrites (copied, not consumed)
     * @param requestId       the request's {@code x-request-id}
     * @param startTime       when the request arrived
     * @param parentSpan      the primary's span; each mirror gets a child span in the same trace
     * @param capture         receives each mirror's captured response for comparison, or {@code null}
     * @param primary         the primary's destination (target of noise samples)
     * @param noiseCapture    receives the answer of a noise sample (a second copy to the primary's own version), or
     *                        {@code null} when comparison is off
     * @return the started mirror streams (possibly empty); the caller feeds them the body
     */
    public List<MirrorStream> start(EventLoop loop, RoutingSnapshot snapshot, ForwardAction forward,
                                    RequestView view, MirrorSampling sampling, HttpRequest upstreamRequest,
                                    String requestId,
                                    Instant startTime, RequestTracer.Span parentSpan,
                                    BiConsumer<RequestLog, CapturedResponse> capture,
                                    WeightedDestination primary,
                                    BiConsumer<RequestLog, CapturedResponse> noiseCapture) {
        MirrorOptions mo = forward.mirrorOptions() == null ? MirrorOptions.DEFAULTS : forward.mirrorOptions();
        List<MirrorStream> started = null;
        int overCpu = -1; // decided once per request, when the first mirror is about to start
        for (MirrorPolicy policy : sampling.sampled()) {
            if (!sampling.methodAllowed()) {
                observer.onMirrorSkipped(policy.cluster(), SkipReason.SKIPPED_METHOD.label());
                continue;
            }
            UpstreamCluster cluster = clusters.get(policy.cluster());
            if (cluster == null || snapshot.cluster(policy.cluster()) == null) {
                // Envoy drops the mirror silently; we count it and say so once per cluster.
                if (loggedOnce.add(policy.cluster())) {
                    log.warn("mirror cluster {} does not exist: mirrors to it are dropped (host or subset missing "
                            + "from ServiceEntry/DestinationRule)", policy.cluster());
                }
                observer.onMirrorSkipped(policy.cluster(), SkipReason.UNKNOWN_CLUSTER.label());
                continue;
            }
            if (overCpu < 0) {
                overCpu = overCpuBudget(loop) ? 1 : 0;
            }
            if (overCpu == 1) {
                observer.onMirrorSkipped(policy.cluster(), SkipReason.DROPPED_CPU.label());
                continue;
            }
            int limit = mo.maxInFlight() != null ? mo.maxInFlight() : options.mirror().maxInFlight();
            AtomicInteger counter = inFlight.computeIfAbsent(policy.cluster(), k -> new AtomicInteger());
            if (counter.incrementAndGet() > limit) {
                counter.decrementAndGet();
                observer.onMirrorSkipped(policy.cluster(), SkipReason.DROPPED_INFLIGHT.label());
                continue;
            }
            HttpRequest copy = mirrorRequest(upstreamRequest, mo, view);
            RequestTracer.Span span = parentSpan.mirrorChild(policy.cluster());
            span.inject(copy.headers()::set);
            Duration timeout = !forward.timeout().isZero() ? forward.timeout()
                    : mo.timeout() != null ? mo.timeout() : options.mirror().timeout();
            long maxBuffered = mo.maxBufferedBytes() != null ? mo.maxBufferedBytes()
                    : options.mirror().maxBufferedBytes();
            MirrorStream stream = new MirrorStream(this, loop, cluster, policy, copy, requestId, startTime, view,
                    timeout, maxBuffered, counter, span, capture);
            if (started == null) {
                started = new ArrayList<>(forward.mirrors().size());
            }
            started.add(stream);
            stream.connect();
        }
        if (started != null && noiseCapture != null) {
            if (noiseSampler.decide(primary.cluster(), view.method(), mo) == NoiseSampler.Decision.SAMPLE) {
                MirrorStream sample = noiseSample(loop, snapshot, forward, view, upstreamRequest, requestId,
                        startTime, parentSpan, primary, noiseCapture);
                if (sample != null) {
                    started.add(sample);
                }
            }
        }
        return started == null ? List.of() : started;
    }

    /**
     * Starts the mirrors of a request whose mirrors are not decided yet: samples them with {@code random} as
     * {@link RouteDecider#decide} does ({@link MirrorSampling#sample}), then as
     * {@link #start(EventLoop, RoutingSnapshot, ForwardAction, RequestView, MirrorSampling, HttpRequest, String,
     * Instant, RequestTracer.Span, BiConsumer, WeightedDestination, BiConsumer)}.
     */
    public List<MirrorStream> start(EventLoop loop, RoutingSnapshot snapshot, ForwardAction forward,
                                    RequestView view, long random, HttpRequest upstreamRequest, String requestId,
                                    Instant startTime, RequestTracer.Span parentSpan,
                                    BiConsumer<RequestLog, CapturedResponse> capture,
                                    WeightedDestination primary,
                                    BiConsumer<RequestLog, CapturedResponse> noiseCapture) {
        return start(loop, snapshot, forward, view, MirrorSampling.sample(forward, view, random), upstreamRequest,
                requestId, startTime, parentSpan, capture, primary, noiseCapture);
    }

    /** Whether {@code loop} was too busy in its last window to take on mirrors (always false off the loop). */
    private boolean overCpuBudget(EventLoop loop) {
        double budget = options.mirror().cpuBudget();
        if (budget >= 1) {
            return false;
        }
        if (budget <= 0) {
            return true;
        }
        if (!loop.inEventLoop()) {
            return false;
        }
        LoopLoad load = loads.get(loop);
        if (load == null) {
            load = loads.computeIfAbsent(loop, l -> new LoopLoad(busyClock));
        }
        return load.busyFraction(System.nanoTime()) >= budget;
    }

    /**
     * A second copy of a request to the primary's own version, as Diffy does: how often two answers of the same
     * version differ is the noise v2's differences are judged against. Which requests get one is
     * {@link NoiseSampler}'s decision (safe methods, a share falling as the destination has been learnt, a rate cap on
     * the extra load); the copy is subject to the same budgets as mirrors.
     */
    private MirrorStream noiseSample(EventLoop loop, RoutingSnapshot snapshot, ForwardAction forward, RequestView view,
                                     HttpRequest upstreamRequest, String requestId, Instant startTime,
                                     RequestTracer.Span parentSpan, WeightedDestination primary,
                                     BiConsumer<RequestLog, CapturedResponse> noiseCapture) {
        UpstreamCluster cluster = clusters.get(primary.cluster());
        if (cluster == null || snapshot.cluster(primary.cluster()) == null) {
            return null;
        }
        MirrorOptions mo = forward.mirrorOptions() == null ? MirrorOptions.DEFAULTS : forward.mirrorOptions();
        AtomicInteger counter = inFlight.computeIfAbsent(primary.cluster(), k -> new AtomicInteger());
        int limit = mo.maxInFlight() != null ? mo.maxInFlight() : options.mirror().maxInFlight();
        if (counter.incrementAndGet() > limit) {
            counter.decrementAndGet();
            observer.onMirrorSkipped(primary.cluster(), SkipReason.DROPPED_INFLIGHT.label());
            return null;
        }
        MirrorPolicy self = new MirrorPolicy(primary.cluster(), primary.host(), primary.subset(), primary.port(),
                1, 1);
        HttpRequest copy = mirrorRequest(upstreamRequest, mo, view);
        RequestTracer.Span span = parentSpan.mirrorChild(primary.cluster());
        span.inject(copy.headers()::set);
        Duration timeout = !forward.timeout().isZero() ? forward.timeout() : options.mirror().timeout();
        MirrorStream stream = new MirrorStream(this, loop, cluster, self, copy, requestId, startTime, view, timeout,
                options.mirror().maxBufferedBytes(), counter, span, noiseCapture);
        stream.connect();
        return stream;
    }

    /** The copy: the primary's headers, then the mirror-only operations, the shadow suffix and the marker. */
    private HttpRequest mirrorRequest(HttpRequest primary, MirrorOptions mo, RequestView view) {
        HttpHeaders h = primary.headers().copy();
        for (String name : mo.stripHeaders()) {
            h.remove(name);
        }
        if (!mo.copyHeaders().isEmpty()) {
            for (var stage : mo.copyHeaders().stages()) {
                for (String name : stage.remove()) {
                    h.remove(name);
                }
                for (var e : stage.set()) {
                    h.set(e.name(), e.value().render(view));
                }
                for (var e : stage.add()) {
                    h.add(e.name(), e.value().render(view));
                }
            }
        }
        boolean suffix = mo.shadowHostSuffix() != null ? mo.shadowHostSuffix() : options.mirror().shadowHostSuffix();
        String host = h.get(HttpHeaderNames.HOST);
        if (suffix && host != null) {
            h.set(HttpHeaderNames.HOST, shadowHost(host));
        }
        if (options.mirror().markerHeader() != null) {
            h.set(options.mirror().markerHeader(), "true");
        }
        h.set("x-envoy-internal", "true");
        return new DefaultHttpRequest(primary.protocolVersion(), primary.method(), primary.uri(), h);
    }

    /**
     * {@code host} with {@code -shadow} inserted before the port, as Envoy's {@code shadowAppendedHost}:
     * {@code a:80} → {@code a-shadow:80}, {@code [::1]:80} → {@code [::1]-shadow:80}.
     */
    public static String shadowHost(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(0, end + 1) + "-shadow" + host.substring(end + 1) : host + "-shadow";
        }
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(':') == colon) {
            return host.substring(0, colon) + "-shadow" + host.substring(colon);
        }
        return host + "-shadow";
    }

    ConnectionPool pool() {
        return pool;
    }

    ProxyObserver observer() {
        return observer;
    }

    ProxyOptions options() {
        return options;
    }

    RateLimitedLog failureLog() {
        return failureLog;
    }

    /**
     * Reserves {@code bytes} of the global mirror buffer budget; returns false (and reserves nothing) when that would
     * exceed it.
     */
    boolean reserveGlobal(long bytes) {
        long limit = options.mirror().globalBufferedBytes();
        while (true) {
            long current = bufferedBytes.get();
            if (current + bytes > limit) {
                return false;
            }
            if (bufferedBytes.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    /** Returns {@code bytes} to the global budget. */
    void releaseGlobal(long bytes) {
        bufferedBytes.addAndGet(-bytes);
    }

    /** Bytes currently buffered for all mirrors (for metrics and tests). */
    public long bufferedBytes() {
        return bufferedBytes.get();
    }

    /** Noise samples sent to the primary destination {@code cluster} so far. */
    public long noiseSamplesSent(String cluster) {
        return noiseSampler.sent(cluster);
    }

    /** Noise samples chosen for {@code cluster} but not sent because of the per-destination rate cap. */
    public long noiseSamplesRateLimited(String cluster) {
        return noiseSampler.rateLimited(cluster);
    }

    /** Mirrored requests in flight to {@code cluster}. */
    public int inFlight(String cluster) {
        AtomicInteger c = inFlight.get(cluster);
        return c == null ? 0 : c.get();
    }
}

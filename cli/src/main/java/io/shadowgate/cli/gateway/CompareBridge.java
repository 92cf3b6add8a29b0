package io.shadowgate.cli.gateway;

import io.shadowgate.compare.capture.ExchangePair;
import io.shadowgate.compare.engine.ComparisonEngine;
import io.shadowgate.proxy.observe.CapturedResponse;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.observe.RequestLog;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands the proxy's request/mirror response pairs to the {@link ComparisonEngine}. Called on event loops: it only
 * offers (the engine admits within its rate limit and queue bound); converting the proxy's captured responses into
 * the compare module's, grouping and comparing happen on the engine's thread.
 */
final class CompareBridge implements ProxyObserver {

    private final ComparisonEngine engine;
    private final RetainedPairs retained;
    private final CompareRouteRules routeRules;
    private final AtomicLong offered = new AtomicLong();

    /** {@code retained} keeps the pairs the engine builds, for the dashboard; {@code routeRules} follow reloads. */
    CompareBridge(ComparisonEngine engine, RetainedPairs retained, CompareRouteRules routeRules) {
        this.engine = engine;
        this.retained = retained;
        this.routeRules = routeRules;
    }

    /** A reload took effect: the routes' ignore rules follow it (off the event loop's hot path: once per reload). */
    @Override
    public void onSnapshot(String version) {
        routeRules.refresh();
    }

    @Override
    public void onComparablePair(RequestLog primary, RequestLog mirror, CapturedResponse primaryResponse,
                                 CapturedResponse mirrorResponse) {
        String routeKey = routeKey(primary);
        offered.incrementAndGet();
        long bytes = (long) primaryResponse.body().length + mirrorResponse.body().length;
        engine.offer(routeKey, primary.method(), primary.path(), bytes, () -> {
            ExchangePair pair = new ExchangePair(primary.requestId(), routeKey, primary.method(), primary.path(),
                    version(primary), version(mirror), convert(primaryResponse), convert(mirrorResponse));
            retained.keep(primary, pair);
            return pair;
        });
    }

    @Override
    public void onNoiseSample(RequestLog primary, CapturedResponse first, CapturedResponse second) {
        if (first.failure() != null || second.failure() != null) {
            return;
        }
        engine.offerNoiseSample(routeKey(primary), primary.method(), primary.path(), convert(first), convert(second));
    }

    /** Pairs handed to the engine so far. */
    long offered() {
        return offered.get();
    }

    private static String routeKey(RequestLog primary) {
        String route = primary.routeKey() == null ? "(no route)" : primary.routeKey();
        return primary.routeName() == null ? route : route + " " + primary.routeName();
    }

    private static String version(RequestLog log) {
        String v = log.destinationLabels().get("version");
        return v != null ? v : log.destinationSubset();
    }

    private static io.shadowgate.compare.capture.CapturedResponse convert(CapturedResponse r) {
        boolean failed = r.failure() != null || r.status() < 100;
        return new io.shadowgate.compare.capture.CapturedResponse(failed ? 0 : r.status(), r.headers(), r.body(),
                r.bodyTruncated(), r.totalBodyBytes(), r.latencyNanos(),
                failed ? (r.failure() == null ? "no_response" : r.failure()) : null);
    }
}

package io.shadowgate.cli.gateway;

import io.shadowgate.admin.ui.SamplePairs;
import io.shadowgate.compare.capture.CapturedResponse;
import io.shadowgate.compare.capture.ExchangePair;
import io.shadowgate.compare.diff.Finding;
import io.shadowgate.compare.engine.ComparisonEngine;
import io.shadowgate.compare.engine.ExchangeComparison;
import io.shadowgate.proxy.observe.RequestLog;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last request/response pairs handed to the comparison engine, kept whole for the dashboard's example pages
 * ({@code /compare/pairs}). Bounded by count and by body bytes, oldest dropped first. {@link #keep} runs on the
 * compare thread, where the engine builds the pair (never on an event loop); reads compare the pair again with the
 * noise learned so far, so a pair shows the classification the report shows now. Thread-safe.
 */
final class RetainedPairs implements SamplePairs {

    /** Pairs kept by default. */
    static final int DEFAULT_CAPACITY = 200;
    /** Body bytes (both sides) kept by default. */
    static final long DEFAULT_MAX_BYTES = 8L * 1024 * 1024;

    private record Kept(Request request, ExchangePair pair, long bytes) {
    }

    private final ComparisonEngine engine;
    private final int capacity;
    private final long maxBytes;
    private final Deque<Kept> kept = new ArrayDeque<>();
    private long bytes;

    RetainedPairs(ComparisonEngine engine, int capacity, long maxBytes) {
        this.engine = engine;
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /** Keeps {@code pair}, whose request {@code primary} describes; drops the oldest pairs over the bounds. */
    void keep(RequestLog primary, ExchangePair pair) {
        long size = (long) pair.primary().bodyLength() + pair.mirror().bodyLength();
        if (size > maxBytes) {
            return;
        }
        Request request = new Request(pair.requestId(), primary.traceId(),
                primary.startTime() == null ? null : primary.startTime().toString(), pair.routeKey(), pair.method(),
                primary.path(), primary.authority());
        synchronized (this) {
            kept.addFirst(new Kept(request, pair, size));
            bytes += size;
            while (kept.size() > capacity || bytes > maxBytes) {
                bytes -= kept.removeLast().bytes;
            }
        }
    }

    /** Forgets every pair (with a reset of the comparison). */
    synchronized void clear() {
        kept.clear();
        bytes = 0;
    }

    @Override
    public List<Summary> recent(String route, int limit) {
        List<Kept> matching = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Kept> it = kept.iterator(); it.hasNext() && matching.size() < limit; ) {
                Kept k = it.next();
                if (route == null || route.equals(k.pair.routeKey())) {
                    matching.add(k);
                }
            }
        }
        List<Summary> out = new ArrayList<>(matching.size());
        for (Kept k : matching) {
            ExchangeComparison c = engine.compareNow(k.pair);
            out.add(new Summary(k.request.requestId(), k.request.at(), k.pair.routeKey(), k.pair.method(),
                    k.request.path(), k.pair.primary().status(), k.pair.mirror().status(), c.outcome().label(),
                    c.realDifferences().stream().map(io.shadowgate.compare.diff.Difference::concretePath).distinct().toList()));
        }
        return out;
    }

    @Override
    public Optional<Pair> find(String requestId) {
        Kept found = null;
        synchronized (this) {
            for (Kept k : kept) {
                if (requestId.equals(k.request.requestId())) {
                    found = k;
                    break;
                }
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        ExchangePair p = found.pair;
        ExchangeComparison c = engine.compareNow(p);
        String mirrorLabel = p.mirrorVersion() == null ? "mirror" : p.mirrorVersion();
        List<Difference> differences = new ArrayList<>();
        for (Finding f : c.findings()) {
            // SamplePairs.Difference is what the page gets; this is the engine's.
            io.shadowgate.compare.diff.Difference d = f.difference();
            differences.add(new Difference(d.path(), d.concretePath(), d.kind().name(),
                    d.kind().describe(d.detail(), mirrorLabel), d.primaryValue(), d.mirrorValue(), f.noise(),
                    f.noiseReason()));
        }
        return Optional.of(new Pair(found.request, response(p.primaryVersion(), p.primary()),
                response(p.mirrorVersion(), p.mirror()), c.outcome().label(), differences, c.differencesTruncated(),
                c.bodySkipped()));
    }

    @Override
    public int capacity() {
        return capacity;
    }

    private static Response response(String version, CapturedResponse r) {
        List<Header> headers = new ArrayList<>(r.headers().size());
        for (Map.Entry<String, String> h : r.headers()) {
            headers.add(new Header(h.getKey(), h.getValue()));
        }
        return new Response(version, r.status(), r.failed(), headers, utf8(r.bodyBuffer()), r.bodyLength(),
                r.bodyTruncated(), r.latencyNanos() / 1_000_000.0);
    }

    /** The body as text, or {@code null} when it is not valid UTF-8 (binary or still compressed). */
    private static String utf8(ByteBuffer body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(body).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

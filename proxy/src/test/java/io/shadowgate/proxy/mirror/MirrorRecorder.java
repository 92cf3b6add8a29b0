package io.shadowgate.proxy.mirror;

import static org.awaitility.Awaitility.await;

import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.observe.RequestLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records what the proxy reports about primaries and mirrors. Called on event loops, read by the test thread:
 * everything is kept in concurrent queues.
 */
final class MirrorRecorder implements ProxyObserver {

    /** A mirror that was never sent. */
    record Skip(String cluster, String reason) {
    }

    private final ConcurrentLinkedQueue<RequestLog> requests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<RequestLog> mirrors = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Skip> skips = new ConcurrentLinkedQueue<>();

    @Override
    public void onRequest(RequestLog log) {
        requests.add(log);
    }

    @Override
    public void onMirror(RequestLog log) {
        mirrors.add(log);
    }

    @Override
    public void onMirrorSkipped(String cluster, String reason) {
        skips.add(new Skip(cluster, reason));
    }

    List<RequestLog> requests() {
        return List.copyOf(requests);
    }

    List<RequestLog> mirrors() {
        return List.copyOf(mirrors);
    }

    List<Skip> skips() {
        return List.copyOf(skips);
    }

    /** Finished mirrors with {@code outcome}. */
    long mirrors(String outcome) {
        return mirrors.stream().filter(l -> outcome.equals(l.mirrorOutcome())).count();
    }

    /** Finished mirrors of the request {@code requestId}. */
    List<RequestLog> mirrorsOf(String requestId) {
        return mirrors.stream().filter(l -> requestId.equals(l.requestId())).toList();
    }

    /** Skips with {@code reason}. */
    long skips(String reason) {
        return skips.stream().filter(s -> reason.equals(s.reason())).count();
    }

    /** Mirror outcome → count, and skip reason → count, for assertion messages. */
    Map<String, Long> summary() {
        Map<String, Long> m = new TreeMap<>();
        for (RequestLog l : mirrors) {
            m.merge("mirror:" + l.mirrorOutcome(), 1L, Long::sum);
        }
        for (Skip s : skips) {
            m.merge("skip:" + s.reason(), 1L, Long::sum);
        }
        return m;
    }

    /** Waits (bounded) until at least {@code n} mirrors have finished. */
    void awaitMirrors(int n, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(10))
                .until(() -> mirrors.size() >= n);
    }

    /** Waits (bounded) until the mirror of {@code requestId} has finished and returns its outcome. */
    String awaitOutcome(String requestId, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> !mirrorsOf(requestId).isEmpty());
        return mirrorsOf(requestId).get(0).mirrorOutcome();
    }
}

package io.shadowgate.proxy.mirror;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.shadowgate.config.decide.MirrorSampling;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.RequestView;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.WeightedDestination;
import io.shadowgate.proxy.observe.CapturedResponse;
import io.shadowgate.proxy.observe.MirrorOutcome;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.proxy.observe.RequestTracer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The mirrors of one primary request, as the router drives them: started once the primary's destination is known,
 * fed a retained duplicate of every body chunk, ended or aborted with the request, and, when the route compares,
 * the primary's response captured ({@link ResponseCapture}) and paired with each mirror's answer (and noise
 * samples) for the observer, whichever finishes last. Event-loop confined (the client connection's loop).
 */
public final class MirrorFanout {

    /** No mirrors: every method is a no-op. */
    public static final MirrorFanout NONE = new MirrorFanout(List.of(), null, null);

    private List<MirrorStream> streams;
    private final ResponseCapture primary;
    private final ProxyObserver observer;
    /** Mirror answers waiting for the primary to finish: log and response, alternately. */
    private List<Object> pendingPairs;
    private List<CapturedResponse> pendingNoise;
    private RequestLog primaryLog;
    private CapturedResponse primaryResponse;

    private MirrorFanout(List<MirrorStream> streams, ResponseCapture primary, ProxyObserver observer) {
        this.streams = streams;
        this.primary = primary;
        this.observer = observer;
    }

    /**
     * Starts the mirrors of a request whose primary is about to be forwarded (see
     * {@link MirrorDispatcher#start} for the parameters); returns {@link #NONE} when none started.
     *
     * @param compareMaxBody body bytes of each response kept for comparison, or -1 when the route does not compare
     */
    public static MirrorFanout start(MirrorDispatcher dispatcher, EventLoop loop, RoutingSnapshot snapshot,
                                     ForwardAction forward, RequestView view, MirrorSampling sampling,
                                     HttpRequest upstreamRequest, String requestId, Instant startTime,
                                     RequestTracer.Span span, WeightedDestination destination, int compareMaxBody) {
        ResponseCapture capture = compareMaxBody >= 0 ? new ResponseCapture(compareMaxBody) : null;
        // Created first: a mirror may finish (and report its answer) while being started.
        MirrorFanout fanout = new MirrorFanout(List.of(), capture, dispatcher.observer());
        fanout.streams = dispatcher.start(loop, snapshot, forward, view, sampling, upstreamRequest, requestId,
                startTime, span, capture == null ? null : fanout::onMirrorAnswer, destination,
                capture == null ? null : (log, r) -> fanout.onNoiseSample(r));
        return fanout.streams.isEmpty() ? NONE : fanout;
    }

    /** Whether any mirror was started. */
    public boolean active() {
        return !streams.isEmpty();
    }

    /** A chunk of the request body: each mirror gets a retained duplicate ({@code content} stays the caller's). */
    public void onBody(HttpContent content) {
        for (MirrorStream m : streams) {
            m.onBody(content.retainedDuplicate());
        }
    }

    /** The client's request is complete. */
    public void onRequestEnd() {
        for (MirrorStream m : streams) {
            m.onRequestEnd();
        }
    }

    /** Gives up every mirror still running (the request will never be complete, or was answered early). */
    public void abort(MirrorOutcome outcome) {
        for (MirrorStream m : streams) {
            m.abort(outcome);
        }
    }

    /** The primary's response head as received (before header edits), for comparison. */
    public void onResponseHead(int status, HttpHeaders headers) {
        if (primary != null) {
            primary.start(status, headers);
        }
    }

    /** A piece of the primary's response body, read and not consumed. */
    public void onResponseBody(ByteBuf body) {
        if (primary != null) {
            primary.body(body);
        }
    }

    /**
     * The primary is finished: its log and response are paired with the mirror answers already in, and with those
     * still to come.
     *
     * @param log          the primary's request log
     * @param finalStatus  the status sent to the client (a local reply's, when no upstream head was captured)
     * @param latencyNanos from request start to the end
     * @param failure      why the primary's response is incomplete, or {@code null}
     */
    public void primaryDone(RequestLog log, int finalStatus, long latencyNanos, String failure) {
        if (primary == null) {
            return;
        }
        primaryLog = log;
        primaryResponse = primary.toCaptured(finalStatus, latencyNanos, failure);
        emit();
    }

    private void onMirrorAnswer(RequestLog mirrorLog, CapturedResponse mirrorResponse) {
        if (pendingPairs == null) {
            pendingPairs = new ArrayList<>(2);
        }
        pendingPairs.add(mirrorLog);
        pendingPairs.add(mirrorResponse);
        emit();
    }

    private void onNoiseSample(CapturedResponse sample) {
        if (pendingNoise == null) {
            pendingNoise = new ArrayList<>(1);
        }
        pendingNoise.add(sample);
        emit();
    }

    private void emit() {
        if (primaryResponse == null) {
            return;
        }
        if (pendingPairs != null) {
            for (int i = 0; i < pendingPairs.size(); i += 2) {
                observer.onComparablePair(primaryLog, (RequestLog) pendingPairs.get(i), primaryResponse,
                        (CapturedResponse) pendingPairs.get(i + 1));
            }
            pendingPairs.clear();
        }
        if (pendingNoise != null) {
            for (CapturedResponse sample : pendingNoise) {
                observer.onNoiseSample(primaryLog, primaryResponse, sample);
            }
            pendingNoise.clear();
        }
    }
}

package io.shadowgate.proxy.observe;

import io.shadowgate.config.snapshot.RequestView;
import java.util.function.BiConsumer;

/**
 * Tracing hook of the data path. The proxy calls {@link #start} when a request is routed, injects the returned
 * span's context into the upstream request, opens a child span for every mirror (same trace, so a trace viewer
 * shows production and mirror side by side), and ends each span with its {@link RequestLog}. Called on event loops:
 * implementations must not block.
 */
public interface RequestTracer {

    /** No tracing. */
    RequestTracer NOOP = (request, requestId) -> Span.NOOP;

    /**
     * Starts the server span of a request, continuing the trace in its {@code traceparent} or B3 headers.
     *
     * @param request   the client's request
     * @param requestId its {@code x-request-id}
     */
    Span start(RequestView request, String requestId);

    /** One span. */
    interface Span {

        /** Does nothing. */
        Span NOOP = new Span() {
        };

        /** Writes this span's context into outgoing request headers (W3C {@code traceparent}, B3). */
        default void inject(BiConsumer<String, String> setHeader) {
        }

        /** The trace id (32 hex digits), or {@code null} when not traced. */
        default String traceId() {
            return null;
        }

        /** A child span for a mirrored request to {@code cluster}. */
        default Span mirrorChild(String cluster) {
            return NOOP;
        }

        /** Ends the span with what happened. */
        default void end(RequestLog log) {
        }
    }
}

package io.shadowgate.telemetry;

import io.shadowgate.proxy.observe.RequestLog;
import java.time.Instant;
import java.util.Map;

/** RequestLog fixtures. */
public final class Logs {

    private Logs() {
    }

    /** A primary request to reviews (version {@code version}) answered with {@code status}. */
    public static RequestLog primary(String requestId, String version, int status, long durationMillis) {
        return new RequestLog(Instant.parse("2025-01-01T12:00:00.123Z"), "GET", "/api/v1/reviews?x=1",
                "reviews.example.com", "HTTP/1.1", status, "-", 12, 345, durationMillis * 1_000_000L,
                "127.0.0.1:9080", "outbound|80|" + version + "|reviews.default.svc.cluster.local", "reviews-route",
                "default/reviews#0", requestId, "4bf92f3577b34da6a3ce929d0e0e4736",
                "reviews.default.svc.cluster.local", version, Map.of("version", version, "app", "reviews"), "default",
                false, null, "10.0.0.7", "curl/8.5.0");
    }

    /** A mirrored request to reviews v2 that ended with {@code outcome}. */
    public static RequestLog mirror(String requestId, int status, String outcome, long durationMillis) {
        return new RequestLog(Instant.parse("2025-01-01T12:00:00.124Z"), "GET", "/api/v1/reviews?x=1",
                "reviews.example.com", "HTTP/1.1", status, "completed".equals(outcome) ? "-" : "UT", 12, 300,
                durationMillis * 1_000_000L, "127.0.0.1:9081", "outbound|80|v2|reviews.default.svc.cluster.local",
                null, null, requestId, "4bf92f3577b34da6a3ce929d0e0e4736", "reviews.default.svc.cluster.local", "v2",
                Map.of("version", "v2", "app", "reviews"), "default", true, outcome, "10.0.0.7", "curl/8.5.0");
    }
}

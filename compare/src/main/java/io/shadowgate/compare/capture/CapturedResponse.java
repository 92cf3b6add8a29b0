package io.shadowgate.compare.capture;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One upstream answer as captured by the proxy.
 *
 * <p>Immutable and safe to share between threads: the header list and the body are copied on
 * construction, and {@link #body()} returns a copy (use {@link #bodyBuffer()} for a read-only view
 * without copying). The body is bounded by the proxy's capture limit; when the upstream sent more,
 * {@code bodyTruncated} is {@code true}, {@code body} holds the first bytes only and
 * {@code totalBodyBytes} the full size, and the comparison skips the body for that exchange.
 *
 * <p>A response that never arrived (timeout, connect failure, reset...) is captured with a
 * non-null {@code failed} reason; its status is then {@code 0} or whatever partial status was seen.
 * A failed mirror is a finding in itself.
 *
 * @param status         HTTP status code, 100..999; {@code 0} is allowed only when {@code failed} is set
 * @param headers        response headers in wire order; names are normalised to lower case
 * @param body           captured body bytes (possibly content-encoded, as received); never null
 * @param bodyTruncated  whether the body was cut at the capture bound
 * @param totalBodyBytes number of body bytes the upstream sent (at least {@code body.length})
 * @param latencyNanos   time from sending the request to the end of the response (or failure)
 * @param failed         failure reason such as {@code "timeout"}, {@code "connect_failure"},
 *                       {@code "reset"}; {@code null} when a response was received
 */
public record CapturedResponse(
        int status,
        List<Map.Entry<String, String>> headers,
        byte[] body,
        boolean bodyTruncated,
        long totalBodyBytes,
        long latencyNanos,
        String failed) {

    private static final byte[] EMPTY = new byte[0];

    /** Validates, lower-cases header names and copies headers and body. */
    public CapturedResponse {
        if (failed != null && failed.isBlank()) {
            throw new IllegalArgumentException("failed must be null or a non-blank reason, got '" + failed + "'");
        }
        boolean validStatus = status >= 100 && status <= 999;
        if (failed == null && !validStatus) {
            throw new IllegalArgumentException("status must be 100..999 for a response that did not fail, got " + status);
        }
        if (failed != null && status != 0 && !validStatus) {
            throw new IllegalArgumentException("status of a failed response must be 0 or 100..999, got " + status);
        }
        Objects.requireNonNull(headers, "headers must not be null (use List.of())");
        List<Map.Entry<String, String>> copy = new ArrayList<>(headers.size());
        for (Map.Entry<String, String> h : headers) {
            if (h == null || h.getKey() == null || h.getValue() == null) {
                throw new IllegalArgumentException("header entries must have a non-null name and value, got " + h);
            }
            copy.add(Map.entry(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        }
        headers = List.copyOf(copy);
        body = body == null ? EMPTY : body.clone();
        if (totalBodyBytes < body.length) {
            throw new IllegalArgumentException("totalBodyBytes must be >= captured body length " + body.length
                    + ", got " + totalBodyBytes);
        }
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("latencyNanos must be >= 0, got " + latencyNanos);
        }
    }

    /** A complete (not truncated, not failed) response. */
    public static CapturedResponse of(int status, List<Map.Entry<String, String>> headers, byte[] body, long latencyNanos) {
        byte[] b = body == null ? EMPTY : body;
        return new CapturedResponse(status, headers, b, false, b.length, latencyNanos, null);
    }

    /** A response that never arrived, e.g. {@code failure("timeout", ...)}. */
    public static CapturedResponse failure(String reason, long latencyNanos) {
        Objects.requireNonNull(reason, "reason");
        return new CapturedResponse(0, List.of(), EMPTY, false, 0, latencyNanos, reason);
    }

    /** A copy of the captured body bytes. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** A read-only view of the captured body bytes, without copying. */
    public ByteBuffer bodyBuffer() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    /** Number of captured body bytes (not {@link #totalBodyBytes()}). */
    public int bodyLength() {
        return body.length;
    }

    /** Whether the response never arrived. */
    public boolean isFailed() {
        return failed != null;
    }

    /** First value of the header, case-insensitive, or {@code null}. */
    public String header(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equals(lower)) {
                return h.getValue();
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapturedResponse r
                && status == r.status && bodyTruncated == r.bodyTruncated && totalBodyBytes == r.totalBodyBytes
                && latencyNanos == r.latencyNanos && headers.equals(r.headers) && Arrays.equals(body, r.body)
                && Objects.equals(failed, r.failed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, Arrays.hashCode(body), bodyTruncated, totalBodyBytes, latencyNanos, failed);
    }

    @Override
    public String toString() {
        return "CapturedResponse[status=" + status + ", headers=" + headers.size() + ", body=" + body.length + "/"
                + totalBodyBytes + " bytes" + (bodyTruncated ? " (truncated)" : "") + ", latencyNanos=" + latencyNanos
                + (failed != null ? ", failed=" + failed : "") + "]";
    }
}

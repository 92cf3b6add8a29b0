package io.shadowgate.testkit.backend;

import io.shadowgate.testkit.HeaderFields;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request as seen by a {@link TestBackend}.
 *
 * <p>Threading: immutable and therefore thread-safe; instances are created on the backend's event loop and read by
 * tests on any thread. ByteBuf ownership: none — the body prefix is a private {@code byte[]} copy (defensively copied
 * in and out), so a record stays valid after the connection and its buffers are gone. Equality compares the prefix by
 * content.
 *
 * <p>{@code complete} is {@code true} only when the body ended with the framing's own end (the decoder produced the
 * last content without a failure). A request whose connection closed mid-body, or whose framing was malformed, is
 * still recorded, with {@code complete == false} and the bytes that did arrive, so a test can prove that a truncated
 * request was never presented upstream as a complete one.
 *
 * @param method       request method as sent
 * @param uri          request target exactly as sent (origin-form with query, or absolute-form)
 * @param path         the path part of {@code uri}, without query or fragment, not percent-decoded
 * @param headers      header fields in arrival order, names as sent
 * @param bodyBytes    number of body bytes received
 * @param bodySha256   lower-case hex SHA-256 of the received body bytes
 * @param bodyPrefix   the first bytes of the body, up to the backend's {@code recordBodyBytes} cap
 * @param complete     whether the body ended with its framing's end and without decoder failure
 * @param receivedAt   when the request headers arrived
 * @param connectionId backend-local connection number (1, 2, …) telling connections apart
 */
public record RecordedRequest(
        String method,
        String uri,
        String path,
        List<Map.Entry<String, String>> headers,
        long bodyBytes,
        String bodySha256,
        byte[] bodyPrefix,
        boolean complete,
        Instant receivedAt,
        int connectionId) {

    public RecordedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(path, "path");
        headers = List.copyOf(headers.stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
        Objects.requireNonNull(bodySha256, "bodySha256");
        // Defensive copy: a record is only immutable if its array is private to it.
        bodyPrefix = bodyPrefix.clone();
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** A copy of the recorded body prefix (never more than the backend's {@code recordBodyBytes}). */
    @Override
    public byte[] bodyPrefix() {
        return bodyPrefix.clone();
    }

    /** First value of header {@code name} (case-insensitive), or {@code null} when absent. */
    public String header(String name) {
        return HeaderFields.first(headers, name);
    }

    /** All values of header {@code name} (case-insensitive) in arrival order; empty when absent. */
    public List<String> headers(String name) {
        return HeaderFields.all(headers, name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordedRequest r
                && method.equals(r.method) && uri.equals(r.uri) && path.equals(r.path) && headers.equals(r.headers)
                && bodyBytes == r.bodyBytes && bodySha256.equals(r.bodySha256) && Arrays.equals(bodyPrefix, r.bodyPrefix)
                && complete == r.complete && receivedAt.equals(r.receivedAt) && connectionId == r.connectionId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, uri, headers, bodyBytes, bodySha256, complete, receivedAt, connectionId);
    }

    /** Short form for assertion messages: the body prefix is left out on purpose. */
    @Override
    public String toString() {
        return "RecordedRequest[" + method + " " + uri + ", conn=" + connectionId + ", bodyBytes=" + bodyBytes
                + ", complete=" + complete + ", headers=" + headers + "]";
    }
}

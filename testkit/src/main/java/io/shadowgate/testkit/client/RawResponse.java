package io.shadowgate.testkit.client;

import io.shadowgate.testkit.HeaderFields;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One response (or whatever came back instead of one) read by {@link RawHttpClient}.
 *
 * <p>Threading: immutable, thread-safe. ByteBuf ownership: none — plain {@code String}/{@code byte[]} copies, nothing
 * to release. Equality compares the body by content.
 *
 * @param statusCode     status code from the first line, or {@code -1} if the first line was not an HTTP status
 *                       line (garbage, or nothing at all)
 * @param raw            the bytes of this response exactly as received, decoded as ISO-8859-1 (one char per byte)
 * @param headers        header fields in order (empty if the head could not be parsed)
 * @param body           the de-framed body (chunked framing removed), possibly partial
 * @param complete       whether the response ended as its framing says (for read-until-close framing: the server
 *                       closed the connection)
 * @param closedByServer whether the server closed or reset the connection while this response was read
 * @param reset          whether the connection was reset (TCP RST) rather than closed in order
 * @param timedOut       whether the read stopped because the timeout elapsed
 */
public record RawResponse(
        int statusCode,
        String raw,
        List<Map.Entry<String, String>> headers,
        byte[] body,
        boolean complete,
        boolean closedByServer,
        boolean reset,
        boolean timedOut) {

    public RawResponse {
        headers = List.copyOf(headers);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The first line without its line terminator, or the whole text if there is no line break. */
    public String statusLine() {
        int eol = raw.indexOf('\n');
        String line = eol < 0 ? raw : raw.substring(0, eol);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** First value of header {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        return HeaderFields.first(headers, name);
    }

    /** All values of header {@code name} (case-insensitive), in order. */
    public List<String> headers(String name) {
        return HeaderFields.all(headers, name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawResponse r
                && statusCode == r.statusCode && raw.equals(r.raw) && headers.equals(r.headers)
                && Arrays.equals(body, r.body) && complete == r.complete && closedByServer == r.closedByServer
                && reset == r.reset && timedOut == r.timedOut;
    }

    @Override
    public int hashCode() {
        return Objects.hash(statusCode, raw, complete, closedByServer, reset, timedOut);
    }

    @Override
    public String toString() {
        String shown = raw.length() > 2000 ? raw.substring(0, 2000) + "…(" + raw.length() + " chars)" : raw;
        return "RawResponse[status=" + statusCode + ", complete=" + complete + ", closedByServer=" + closedByServer
                + ", reset=" + reset + ", timedOut=" + timedOut + ", raw=" + shown + "]";
    }
}

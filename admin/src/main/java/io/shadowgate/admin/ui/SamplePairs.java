package io.shadowgate.admin.ui;

import java.util.List;
import java.util.Optional;

/**
 * Recent request/response pairs kept whole, for the dashboard's example pages: the report keeps only the values at
 * the differing paths, a person wants both answers. The CLI implements this over the comparison engine; it must be
 * thread-safe and bounded.
 */
public interface SamplePairs {

    /** Kept pairs of {@code route} (all routes when {@code null}), newest first, at most {@code limit}. */
    List<Summary> recent(String route, int limit);

    /** The kept pair of request {@code requestId}, compared now with the noise learned so far. */
    Optional<Pair> find(String requestId);

    /** How many pairs are kept at most (shown so an empty list is understood). */
    int capacity();

    /**
     * One kept pair in a list.
     *
     * @param at             when the request arrived (ISO-8601)
     * @param outcome        {@code identical}, {@code different}, {@code noise_only} or {@code skipped}
     * @param differingPaths locations of the real (not noise) differences
     */
    record Summary(String requestId, String at, String route, String method, String path, int primaryStatus,
                   int mirrorStatus, String outcome, List<String> differingPaths) {
    }

    /** One pair: the request, both answers and their differences. */
    record Pair(Request request, Response primary, Response mirror, String outcome, List<Difference> differences,
                boolean differencesTruncated, String bodySkipped) {
    }

    /**
     * The request as the gateway saw it.
     *
     * @param at   when it arrived (ISO-8601)
     * @param path the path with its query
     */
    record Request(String requestId, String traceId, String at, String route, String method, String path,
                   String authority) {
    }

    /**
     * One version's answer.
     *
     * @param status        0 when it failed
     * @param failure       why it failed ({@code timeout}, ...), or {@code null}
     * @param headers       name/value pairs in wire order
     * @param body          the body as text, or {@code null} when it is not UTF-8 text
     * @param bodyBytes     bytes captured
     * @param bodyTruncated whether the capture was cut at its bound
     */
    record Response(String version, int status, String failure, List<Header> headers, String body,
                    int bodyBytes, boolean bodyTruncated, double latencyMillis) {
    }

    /** One response header. */
    record Header(String name, String value) {
    }

    /**
     * One difference.
     *
     * @param path     the grouping location ({@code $.items[*].id})
     * @param location the concrete one ({@code $.items[3].id}, {@code header:x-a}, {@code status})
     */
    record Difference(String path, String location, String kind, String detail, String primaryValue,
                      String mirrorValue, boolean noise, String noiseReason) {
    }
}

package io.shadowgate.proxy.observe;

import java.util.List;
import java.util.Map;

/**
 * A response kept for comparison: status, headers, and the body up to a bound.
 *
 * @param status          the status, or 0 when the request failed before a response
 * @param headers         lower-case names, in order
 * @param body            the first bytes of the body (at most the capture bound)
 * @param bodyTruncated   whether the body was longer than the bound
 * @param totalBodyBytes  the body's full length
 * @param latencyNanos    from request start to response complete
 * @param failure         why there was no complete response ({@code timeout}, {@code reset}, …), or {@code null}
 */
public record CapturedResponse(int status, List<Map.Entry<String, String>> headers, byte[] body,
                               boolean bodyTruncated, long totalBodyBytes, long latencyNanos, String failure) {
}

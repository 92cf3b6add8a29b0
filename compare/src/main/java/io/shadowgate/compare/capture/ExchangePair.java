package io.shadowgate.compare.capture;

import java.util.Locale;
import java.util.Objects;

/**
 * The primary's and the mirror's answers to the same request.
 *
 * <p>Immutable. The primary (for example {@code v1}) is what the user received; the mirror (for
 * example {@code v2}) received a copy of the request and its answer was discarded by the proxy.
 *
 * @param requestId      the request's {@code x-request-id}, or {@code null} when absent
 * @param routeKey       route identity such as {@code "default/app-vs#0 checkout"}; non-blank
 * @param method         HTTP method; normalised to upper case
 * @param path           request path; a query string, if present, is dropped
 * @param primaryVersion label of the primary's version ({@code "v1"}), or {@code null}
 * @param mirrorVersion  label of the mirror's version ({@code "v2"}), or {@code null}
 * @param primary        the primary's answer
 * @param mirror         the mirror's answer
 */
public record ExchangePair(
        String requestId,
        String routeKey,
        String method,
        String path,
        String primaryVersion,
        String mirrorVersion,
        CapturedResponse primary,
        CapturedResponse mirror) {

    public ExchangePair {
        if (routeKey == null || routeKey.isBlank()) {
            throw new IllegalArgumentException("routeKey must be non-blank, got '" + routeKey + "'");
        }
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("method must be non-blank, got '" + method + "'");
        }
        method = method.toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path must not be null (use \"/\")");
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (path.isEmpty()) {
            path = "/";
        }
        Objects.requireNonNull(primary, "primary response must not be null");
        Objects.requireNonNull(mirror, "mirror response must not be null");
    }
}

package io.shadowgate.admin.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One admin request, already aggregated.
 *
 * @param method upper-case method ({@code GET}; {@code HEAD} arrives as {@code GET})
 * @param path   the decoded path without the query string
 * @param query  query parameters in order (a parameter without {@code =} has the value {@code ""})
 * @param body    the request body as UTF-8 (empty when none)
 * @param headers request headers by lower-case name (repeated ones joined with {@code ", "}); empty when none
 */
public record AdminRequest(String method, String path, Map<String, List<String>> query, String body,
                           Map<String, String> headers) {

    public AdminRequest {
        query = Map.copyOf(query);
        body = body == null ? "" : body;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A request without headers (tests, embedding). */
    public AdminRequest(String method, String path, Map<String, List<String>> query, String body) {
        this(method, path, query, body, Map.of());
    }

    /** A request header's value (name case-insensitive), or {@code null}. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The first value of a query parameter, or {@code null}. */
    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Whether {@code ?format=json} was asked for. */
    public boolean wantsJson() {
        return "json".equalsIgnoreCase(param("format"));
    }
}

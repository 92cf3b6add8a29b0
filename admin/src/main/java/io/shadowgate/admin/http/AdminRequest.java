package io.shadowgate.admin.http;

import java.util.List;
import java.util.Map;

/**
 * One admin request, already aggregated.
 *
 * @param method upper-case method ({@code GET}; {@code HEAD} arrives as {@code GET})
 * @param path   the decoded path without the query string
 * @param query  query parameters in order (a parameter without {@code =} has the value {@code ""})
 * @param body   the request body as UTF-8 (empty when none)
 */
public record AdminRequest(String method, String path, Map<String, List<String>> query, String body) {

    public AdminRequest {
        query = Map.copyOf(query);
        body = body == null ? "" : body;
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

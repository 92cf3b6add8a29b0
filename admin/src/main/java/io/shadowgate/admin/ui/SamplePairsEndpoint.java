package io.shadowgate.admin.ui;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /compare/pairs}: kept request/response pairs, newest first ({@code ?route=KEY}, {@code ?limit=N}, default
 * 20, at most 200); {@code ?id=X-REQUEST-ID} answers one pair whole, or 404 when it is no longer kept.
 */
public final class SamplePairsEndpoint implements AdminEndpoint {

    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 200;

    private final SamplePairs pairs;

    public SamplePairsEndpoint(SamplePairs pairs) {
        this.pairs = pairs;
    }

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "recent request/response pairs kept whole (?route=, ?limit=; ?id=<x-request-id> for one)";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        String id = request.param("id");
        if (id != null) {
            Optional<SamplePairs.Pair> pair = pairs.find(id);
            return pair.<AdminResponse>map(p -> AdminResponse.json(200, p)).orElseGet(() -> AdminResponse.error(404,
                    "pair " + id + " is not kept (only the last " + pairs.capacity() + " pairs are)"));
        }
        int limit = DEFAULT_LIMIT;
        String l = request.param("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                return AdminResponse.error(400, "limit: '" + l + "' (expected: a number from 1 to " + MAX_LIMIT + ")");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                return AdminResponse.error(400, "limit: " + limit + " (expected: 1 to " + MAX_LIMIT + ")");
            }
        }
        List<SamplePairs.Summary> recent = pairs.recent(request.param("route"), limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("capacity", pairs.capacity());
        out.put("pairs", recent);
        return AdminResponse.json(200, out);
    }
}

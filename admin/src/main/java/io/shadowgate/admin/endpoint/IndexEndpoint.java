package io.shadowgate.admin.endpoint;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import io.shadowgate.admin.http.AdminRouter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code GET /}: the list of endpoints, as Envoy's admin index ({@code ?format=json} for JSON). */
public final class IndexEndpoint implements AdminEndpoint {

    private final AdminRouter router;

    public IndexEndpoint(AdminRouter router) {
        this.router = router;
    }

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "this list of endpoints";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        if (request.wantsJson()) {
            Map<String, Object> out = new LinkedHashMap<>();
            router.endpoints().forEach((path, e) -> out.put(path, Map.of("methods", new TreeSet<>(e.methods()),
                    "description", e.description())));
            return AdminResponse.json(200, Map.of("endpoints", out));
        }
        StringBuilder sb = new StringBuilder("shadowgate admin commands are:\n");
        router.endpoints().forEach((path, e) -> sb.append("  ").append(String.join("|", new TreeSet<>(e.methods())))
                .append(' ').append(path).append(": ").append(e.description()).append('\n'));
        return AdminResponse.text(200, sb.toString());
    }
}

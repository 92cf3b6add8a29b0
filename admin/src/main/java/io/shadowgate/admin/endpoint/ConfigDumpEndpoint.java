package io.shadowgate.admin.endpoint;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /config_dump}: the serving {@link RoutingSnapshot} as JSON (see {@link ConfigDumpJson}).
 * {@code ?resource=listeners|clusters|diagnostics} returns only that part.
 */
public final class ConfigDumpEndpoint implements AdminEndpoint {

    private final Supplier<RoutingSnapshot> snapshot;

    public ConfigDumpEndpoint(Supplier<RoutingSnapshot> snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "the serving routing snapshot as JSON (?resource=listeners|clusters|diagnostics)";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        RoutingSnapshot s = snapshot.get();
        if (s == null) {
            return AdminResponse.error(503, "no config loaded yet");
        }
        String resource = request.param("resource");
        if (resource == null || resource.isEmpty()) {
            return AdminResponse.json(200, ConfigDumpJson.render(s));
        }
        return switch (resource) {
            case "listeners" -> AdminResponse.json(200, ConfigDumpJson.listeners(s));
            case "clusters" -> AdminResponse.json(200, ConfigDumpJson.clusters(s));
            case "diagnostics" -> AdminResponse.json(200, ConfigDumpJson.diagnostics(s));
            default -> AdminResponse.error(400, "resource: " + resource
                    + " (expected: listeners, clusters or diagnostics)");
        };
    }
}

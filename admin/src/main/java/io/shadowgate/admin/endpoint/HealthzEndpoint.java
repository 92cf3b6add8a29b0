package io.shadowgate.admin.endpoint;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import java.util.Set;

/** {@code GET /healthz}: always {@code 200 OK} while the process answers (Kubernetes livenessProbe). */
public final class HealthzEndpoint implements AdminEndpoint {

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "liveness: 200 while the process answers";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        return AdminResponse.text(200, "OK\n");
    }
}

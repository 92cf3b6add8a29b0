package io.shadowgate.admin.endpoint;

import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** {@code GET /ready}: {@code 200 LIVE} once the readiness supplier says so, else {@code 503 NOT_READY}. */
public final class ReadyEndpoint implements AdminEndpoint {

    private final BooleanSupplier ready;

    public ReadyEndpoint(BooleanSupplier ready) {
        this.ready = ready;
    }

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "readiness: 200 LIVE when serving, 503 otherwise (Kubernetes readinessProbe)";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        return ready.getAsBoolean() ? AdminResponse.text(200, "LIVE\n") : AdminResponse.text(503, "NOT_READY\n");
    }
}

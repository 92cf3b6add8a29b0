package io.shadowgate.admin.endpoint;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowgate.admin.http.AdminEndpoint;
import io.shadowgate.admin.http.AdminRequest;
import io.shadowgate.admin.http.AdminResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/** {@code GET /stats/prometheus} and {@code /metrics}: the Prometheus text exposition format 0.0.4. */
public final class PrometheusEndpoint implements AdminEndpoint {

    /** The content type Prometheus expects for the text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public PrometheusEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Set<String> methods() {
        return GET;
    }

    @Override
    public String description() {
        return "metrics in Prometheus text format (istio_* and shadowgate_* series)";
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        return new AdminResponse(200, CONTENT_TYPE, registry.scrape().getBytes(StandardCharsets.UTF_8), Map.of());
    }
}

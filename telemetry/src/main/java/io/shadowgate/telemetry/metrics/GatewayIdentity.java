package io.shadowgate.telemetry.metrics;

import java.util.Objects;

/**
 * Who reports the Istio metrics: the {@code source_*} labels. An Istio ingress gateway reports its requests with
 * {@code reporter="source"} and its own workload as the source; Shadowgate does the same.
 *
 * @param workload  {@code source_workload} and {@code source_canonical_service} ({@code shadowgate})
 * @param namespace {@code source_workload_namespace}
 * @param app       {@code source_app} ({@code shadowgate})
 */
public record GatewayIdentity(String workload, String namespace, String app) {

    public GatewayIdentity {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(app, "app");
    }

    /**
     * {@code shadowgate} in the namespace given by the {@code POD_NAMESPACE} environment variable (the downward API
     * convention), or {@code unknown} when it is not set.
     */
    public static GatewayIdentity defaults() {
        String ns = System.getenv("POD_NAMESPACE");
        return new GatewayIdentity("shadowgate", ns == null || ns.isBlank() ? "unknown" : ns, "shadowgate");
    }
}

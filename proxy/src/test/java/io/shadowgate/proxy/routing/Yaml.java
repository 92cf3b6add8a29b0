package io.shadowgate.proxy.routing;

import io.shadowgate.testkit.backend.TestBackend;

/** Small builders for the Istio YAML the routing tests load. */
final class Yaml {

    private Yaml() {
    }

    /**
     * A STATIC {@code ServiceEntry} in namespace {@code default} with one HTTP port 80 ({@code http}) and one
     * {@code 127.0.0.1} endpoint per backend (its {@code ports.http} pointing at the backend, label
     * {@code version: <backend name>}).
     */
    static String serviceEntry(String name, String host, TestBackend... backends) {
        StringBuilder sb = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %s, namespace: default}
                spec:
                  hosts: [%s]
                  location: MESH_INTERNAL
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints:
                """.formatted(name, host));
        for (TestBackend b : backends) {
            sb.append("  - {address: 127.0.0.1, ports: {http: ").append(b.port()).append("}, labels: {version: ")
                    .append(b.name()).append("}}\n");
        }
        return sb.append("---\n").toString();
    }
}

package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shadowgate.testkit.backend.TestBackend;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code resolution: DNS}: endpoint addresses that are host names are resolved without blocking an event loop
 * (Netty's resolver, which reads the hosts file first), and traffic reaches them.
 */
class DnsResolutionTest {

    @Test
    void dnsEndpointsAreResolvedAndServe() throws Exception {
        try (TestBackend backend = TestBackend.start("dns")) {
            String yaml = """
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: by-name, namespace: default}
                    spec:
                      hosts: [by-name.example.internal]
                      ports: [{number: 80, name: http, protocol: HTTP}]
                      resolution: DNS
                      endpoints:
                      - address: localhost
                        ports: {http: %d}
                        labels: {version: v1}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: by-name, namespace: default}
                    spec:
                      hosts: [by-name.example.internal]
                      http:
                      - route:
                        - destination: {host: by-name.example.internal}
                    """.formatted(backend.port());
            try (YamlGateway gw = YamlGateway.start(yaml)) {
                HttpClient client = Http.client();
                // Resolution is asynchronous: until it lands the cluster has no endpoint (503 UH).
                await().atMost(Duration.ofSeconds(10)).until(() -> Http.send(client,
                        Http.request(gw.port(), "by-name.example.internal", "/hello").build()).statusCode() == 200);
                assertThat(backend.requests()).isNotEmpty();
                assertThat(backend.requests().get(backend.requests().size() - 1).path()).isEqualTo("/hello");
            }
        }
    }
}

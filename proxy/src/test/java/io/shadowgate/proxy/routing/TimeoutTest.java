package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Route {@code timeout}: a backend slower than the timeout gets 504 with flag {@code UT} (and the upstream learns
 * the deadline from {@code x-envoy-expected-rq-timeout-ms}); without {@code timeout} there is none at all (Istio's
 * default), so a slow backend is simply waited for.
 */
class TimeoutTest {

    private static TestBackend backend;
    private static YamlGateway gw;
    private static final HttpClient client = Http.client();

    @BeforeAll
    static void start() {
        backend = TestBackend.start("t");
        gw = YamlGateway.start(Yaml.serviceEntry("t", "t.backends.internal", backend) + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: t, namespace: default}
                spec:
                  hosts: [t.example.com]
                  http:
                  - match: [{uri: {prefix: /limited}}]
                    timeout: 300ms
                    route: [{destination: {host: t.backends.internal}}]
                  - route: [{destination: {host: t.backends.internal}}]
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    @Test
    void slowerThanTheRouteTimeoutIs504Ut() {
        HttpRequest req = Http.request(gw.port(), "t.example.com", "/limited").header("x-testkit-delay-ms", "3000")
                .build();
        long t0 = System.nanoTime();
        HttpResponse<String> r = Http.send(client, req);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).isEqualTo("upstream request timeout");
        assertThat(ms).as("answered at the timeout, not when the backend would have").isBetween(290L, 2500L);
        gw.assertFlags(Http.id(req), "UT");
        RecordedRequest up = backend.requests().stream().filter(q -> Http.id(req).equals(q.header("x-request-id")))
                .findFirst().orElseThrow();
        assertThat(up.header("x-envoy-expected-rq-timeout-ms")).isEqualTo("300");
    }

    @Test
    void fasterThanTheRouteTimeoutPasses() {
        HttpRequest req = Http.request(gw.port(), "t.example.com", "/limited").header("x-testkit-delay-ms", "50")
                .build();
        assertThat(Http.send(client, req).statusCode()).isEqualTo(200);
        gw.assertFlags(Http.id(req), "-");
    }

    @Test
    void noTimeoutByDefault() {
        HttpRequest req = Http.request(gw.port(), "t.example.com", "/unlimited").header("x-testkit-delay-ms", "2000")
                .timeout(Duration.ofSeconds(10)).build();
        long t0 = System.nanoTime();
        HttpResponse<String> r = Http.send(client, req);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ms).isGreaterThanOrEqualTo(2000);
        gw.assertFlags(Http.id(req), "-");
        RecordedRequest up = backend.requests().stream().filter(q -> Http.id(req).equals(q.header("x-request-id")))
                .findFirst().orElseThrow();
        assertThat(up.header("x-envoy-expected-rq-timeout-ms")).isNull();
    }
}

package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.proxy.upstream.UpstreamCluster;
import io.shadowgate.testkit.backend.Behavior;
import io.shadowgate.testkit.backend.BodyPattern;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failures and their status codes and flags: no cluster (503 {@code NC}), a subset without endpoints (503
 * {@code UH}), connection refused (503 {@code UF} after Istio's default connect-failure retries, or success when a
 * retry reaches a healthy endpoint), a reset before the response (503 {@code UC}), a response cut off mid-body (the
 * client connection is closed, never a clean end), and garbage instead of HTTP (502 {@code UPE}).
 */
class FailureTest {

    private static final Duration T = Duration.ofSeconds(10);
    private static TestBackend healthy;
    private static TestBackend reset;
    private static TestBackend half;
    private static TestBackend garbage;
    private static int refusedPort;
    private static YamlGateway gw;
    private static final HttpClient client = Http.client();

    @BeforeAll
    static void start() {
        healthy = TestBackend.start("healthy");
        reset = TestBackend.builder().name("reset").behavior(Behavior.RESET).start();
        half = TestBackend.builder().name("half").behavior(Behavior.HALF_RESPONSE).start();
        garbage = TestBackend.builder().name("garbage").behavior(Behavior.GARBAGE).start();
        refusedPort = TestBackend.unusedPort();
        String yaml = Yaml.serviceEntry("healthy", "healthy.backends.internal", healthy)
                + Yaml.serviceEntry("reset", "reset.backends.internal", reset)
                + Yaml.serviceEntry("half", "half.backends.internal", half)
                + Yaml.serviceEntry("garbage", "garbage.backends.internal", garbage)
                + """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: refused, namespace: default}
                spec:
                  hosts: [refused.backends.internal]
                  location: MESH_INTERNAL
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints: [{address: 127.0.0.1, ports: {http: %1$d}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: mixed, namespace: default}
                spec:
                  hosts: [mixed.backends.internal]
                  location: MESH_INTERNAL
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints: [{address: 127.0.0.1, ports: {http: %1$d}}, {address: 127.0.0.1, ports: {http: %2$d}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: mixed, namespace: default}
                spec:
                  host: mixed.backends.internal
                  trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: healthy, namespace: default}
                spec:
                  host: healthy.backends.internal
                  subsets: [{name: v9, labels: {version: v9}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: f, namespace: default}
                spec:
                  hosts: [f.example.com]
                  http:
                  - {match: [{uri: {prefix: /nc}}], route: [{destination: {host: nowhere.backends.internal}}]}
                  - {match: [{uri: {prefix: /uh}}], route: [{destination: {host: healthy.backends.internal, subset: v9}}]}
                  - {match: [{uri: {prefix: /uf}}], route: [{destination: {host: refused.backends.internal}}]}
                  - match: [{uri: {prefix: /nr-uf}}]
                    retries: {attempts: 0}
                    route: [{destination: {host: refused.backends.internal}}]
                  - {match: [{uri: {prefix: /mixed}}], route: [{destination: {host: mixed.backends.internal}}]}
                  - {match: [{uri: {prefix: /reset}}], route: [{destination: {host: reset.backends.internal}}]}
                  - {match: [{uri: {prefix: /half}}], route: [{destination: {host: half.backends.internal}}]}
                  - {match: [{uri: {prefix: /garbage}}], route: [{destination: {host: garbage.backends.internal}}]}
                """.formatted(refusedPort, healthy.port());
        gw = YamlGateway.start(yaml);
    }

    @AfterAll
    static void stop() {
        gw.close();
        for (TestBackend b : List.of(healthy, reset, half, garbage)) {
            b.close();
        }
    }

    private static HttpResponse<String> get(String path) {
        return Http.send(client, Http.request(gw.port(), "f.example.com", path).build());
    }

    private static String flags(HttpResponse<String> r) {
        return gw.log(Http.id(r.request())).flags();
    }

    @Test
    void unknownClusterIs503Nc() {
        HttpResponse<String> r = get("/nc");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(flags(r)).isEqualTo("NC");
    }

    @Test
    void subsetWithoutEndpointsIs503Uh() {
        int before = healthy.requests().size();
        HttpResponse<String> r = get("/uh");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("no healthy upstream");
        assertThat(flags(r)).isEqualTo("UH");
        assertThat(healthy.requests()).hasSize(before);
    }

    @Test
    void connectionRefusedIs503UfAfterTheDefaultRetries() {
        UpstreamCluster cluster = gw.server().clusters().get("outbound|80||refused.backends.internal");
        long retriesBefore = cluster.stats().retries.sum();
        HttpResponse<String> r = get("/uf");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).startsWith("upstream connect error or disconnect/reset before headers")
                .contains("connection failure");
        // Istio's default policy: attempts 2 on connect-failure, so 3 tries; then the retry limit is exceeded.
        assertThat(flags(r).split(",")).containsExactlyInAnyOrder("UF", "URX");
        assertThat(cluster.stats().retries.sum() - retriesBefore).isEqualTo(2);
        HttpResponse<String> noRetry = get("/nr-uf");
        assertThat(noRetry.statusCode()).isEqualTo(503);
        assertThat(flags(noRetry)).isEqualTo("UF");
        assertThat(cluster.stats().retries.sum() - retriesBefore).isEqualTo(2);
    }

    @Test
    void aRetryReachesTheSecondHealthyEndpoint() {
        int before = healthy.requests().size();
        int retried = 0;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = get("/mixed");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-backend")).hasValue("healthy");
            RecordedRequest up = healthy.requests().stream()
                    .filter(q -> Http.id(r.request()).equals(q.header("x-request-id"))).findFirst().orElseThrow();
            if ("2".equals(up.header("x-envoy-attempt-count"))) {
                retried++;
                assertThat(flags(r)).isEqualTo("-");
            } else {
                assertThat(up.header("x-envoy-attempt-count")).isEqualTo("1");
            }
        }
        // Round robin puts the refused endpoint first for some requests (the retry's pick advances the rotation too,
        // as in Envoy, so not necessarily every other one).
        assertThat(retried).isPositive();
        assertThat(healthy.requests()).hasSize(before + 10);
    }

    @Test
    void aRetriedUploadReachesTheHealthyEndpointWhole() {
        int n = 200_000;
        int retried = 0;
        for (int i = 0; i < 6; i++) {
            HttpRequest req = Http.request(gw.port(), "f.example.com", "/mixed")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(BodyPattern.bytes(n))).build();
            HttpResponse<String> r = Http.send(client, req);
            assertThat(r.statusCode()).isEqualTo(200);
            RecordedRequest up = healthy.requests().stream()
                    .filter(q -> Http.id(req).equals(q.header("x-request-id"))).findFirst().orElseThrow();
            assertThat(up.bodyBytes()).isEqualTo(n);
            assertThat(up.bodySha256()).isEqualTo(BodyPattern.sha256Hex(n));
            assertThat(up.complete()).isTrue();
            if ("2".equals(up.header("x-envoy-attempt-count"))) {
                retried++;
            }
        }
        assertThat(retried).isPositive();
    }

    @Test
    void resetBeforeTheResponseIs503Uc() {
        HttpResponse<String> r = get("/reset");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).startsWith("upstream connect error or disconnect/reset before headers");
        assertThat(flags(r)).isEqualTo("UC");
    }

    @Test
    void responseCutOffMidBodyClosesTheClientConnection() {
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            raw.send("GET /half HTTP/1.1\r\nHost: f.example.com\r\nx-request-id: half-1\r\n\r\n");
            RawResponse r = raw.readResponse(T);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.header("content-length")).isEqualTo("100");
            assertThat(r.body()).hasSize(10);
            assertThat(r.complete()).as("never presented as complete").isFalse();
            assertThat(r.closedByServer()).isTrue();
        }
        assertThat(gw.log("half-1").flags()).contains("UC");
    }

    @Test
    void garbageInsteadOfHttpIs502() {
        HttpResponse<String> r = get("/garbage");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(flags(r)).isEqualTo("UPE");
    }

    @Test
    void failuresLeaveTheClientConnectionUsable() {
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            for (String path : List.of("/nc", "/uh", "/uf", "/reset", "/garbage")) {
                raw.send("GET " + path + " HTTP/1.1\r\nHost: f.example.com\r\n\r\n");
                RawResponse r = raw.readResponse(T);
                assertThat(r.statusCode()).as(path).isIn(502, 503);
                assertThat(r.closedByServer()).as(path).isFalse();
            }
            raw.send("GET /mixed HTTP/1.1\r\nHost: f.example.com\r\n\r\n");
            assertThat(raw.readResponse(T).statusCode()).isEqualTo(200);
        }
    }
}

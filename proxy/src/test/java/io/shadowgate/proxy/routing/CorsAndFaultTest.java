package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code corsPolicy} (Envoy's CORS filter: a preflight from an allowed origin is answered locally, one from another
 * origin is forwarded, actual requests from an allowed origin get {@code Access-Control-Allow-Origin}) and
 * {@code fault} (abort answers locally and never reaches the upstream; delay holds the request, then forwards it).
 */
class CorsAndFaultTest {

    private static TestBackend backend;
    private static YamlGateway gw;
    private static final HttpClient client = Http.client();

    @BeforeAll
    static void start() {
        backend = TestBackend.start("cf");
        gw = YamlGateway.start(Yaml.serviceEntry("cf", "cf.backends.internal", backend) + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: cf, namespace: default}
                spec:
                  hosts: [cf.example.com]
                  http:
                  - match: [{uri: {prefix: /cors}}]
                    corsPolicy:
                      allowOrigins: [{exact: "https://good.example"}, {regex: "https://.*\\\\.trusted\\\\.example"}]
                      allowMethods: [GET, POST, PUT]
                      allowHeaders: [x-custom, content-type]
                      exposeHeaders: [x-exposed]
                      maxAge: 1h
                      allowCredentials: true
                    route: [{destination: {host: cf.backends.internal}}]
                  - match: [{uri: {prefix: /abort}}]
                    fault: {abort: {httpStatus: 418, percentage: {value: 100}}}
                    route: [{destination: {host: cf.backends.internal}}]
                  - match: [{uri: {prefix: /no-percentage}}]
                    fault: {abort: {httpStatus: 500}}
                    route: [{destination: {host: cf.backends.internal}}]
                  - match: [{uri: {prefix: /delay-long}}]
                    fault: {delay: {fixedDelay: 1500ms, percentage: {value: 100}}}
                    route: [{destination: {host: cf.backends.internal}}]
                  - match: [{uri: {prefix: /delay}}]
                    fault: {delay: {fixedDelay: 400ms, percentage: {value: 100}}}
                    route: [{destination: {host: cf.backends.internal}}]
                  - route: [{destination: {host: cf.backends.internal}}]
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    private static boolean reachedBackend(HttpRequest req) {
        String id = Http.id(req);
        return backend.requests().stream().anyMatch(r -> id.equals(r.header("x-request-id")));
    }

    private static HttpRequest preflight(String origin) {
        return Http.request(gw.port(), "cf.example.com", "/cors/x")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "x-custom")
                .build();
    }

    @Nested
    class Cors {
        @Test
        void preflightFromAnAllowedOriginIsAnsweredLocally() {
            for (String origin : new String[] {"https://good.example", "https://api.trusted.example"}) {
                HttpRequest req = preflight(origin);
                HttpResponse<String> r = Http.send(client, req);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(origin);
                assertThat(r.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST,PUT");
                assertThat(r.headers().firstValue("access-control-allow-headers")).hasValue("x-custom,content-type");
                assertThat(r.headers().firstValue("access-control-max-age")).hasValue("3600");
                assertThat(r.headers().firstValue("access-control-allow-credentials")).hasValue("true");
                assertThat(r.headers().firstValue("x-backend")).isEmpty();
                assertThat(reachedBackend(req)).isFalse();
            }
        }

        @Test
        void preflightFromAnotherOriginIsForwarded() {
            HttpRequest req = preflight("https://evil.example");
            HttpResponse<String> r = Http.send(client, req);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-backend")).hasValue("cf");
            assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
            assertThat(reachedBackend(req)).isTrue();
            RecordedRequest up = backend.requests().stream()
                    .filter(q -> Http.id(req).equals(q.header("x-request-id"))).findFirst().orElseThrow();
            assertThat(up.method()).isEqualTo("OPTIONS");
            assertThat(up.header("origin")).isEqualTo("https://evil.example");
        }

        @Test
        void actualRequestFromAnAllowedOriginGetsTheCorsHeaders() {
            HttpRequest req = Http.request(gw.port(), "cf.example.com", "/cors/data")
                    .header("Origin", "https://good.example").build();
            HttpResponse<String> r = Http.send(client, req);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-backend")).hasValue("cf");
            assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("https://good.example");
            assertThat(r.headers().firstValue("access-control-allow-credentials")).hasValue("true");
            assertThat(r.headers().firstValue("access-control-expose-headers")).hasValue("x-exposed");
        }

        @Test
        void actualRequestFromAnotherOriginGetsNone() {
            for (Optional<String> origin : List.of(Optional.of("https://evil.example"), Optional.<String>empty())) {
                HttpRequest.Builder b = Http.request(gw.port(), "cf.example.com", "/cors/data");
                origin.ifPresent(o -> b.header("Origin", o));
                HttpResponse<String> r = Http.send(client, b.build());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
                assertThat(r.headers().firstValue("access-control-expose-headers")).isEmpty();
            }
        }
    }

    @Nested
    class Fault {
        @Test
        void abortAnswersWithoutContactingTheUpstream() {
            for (int i = 0; i < 5; i++) {
                HttpRequest req = Http.request(gw.port(), "cf.example.com", "/abort").build();
                HttpResponse<String> r = Http.send(client, req);
                assertThat(r.statusCode()).isEqualTo(418);
                assertThat(r.body()).isEqualTo("fault filter abort");
                gw.assertFlags(Http.id(req), "FI");
                assertThat(reachedBackend(req)).isFalse();
            }
        }

        @Test
        void abortWithoutPercentageAffectsNoRequest() {
            for (int i = 0; i < 5; i++) {
                HttpRequest req = Http.request(gw.port(), "cf.example.com", "/no-percentage").build();
                assertThat(Http.send(client, req).statusCode()).isEqualTo(200);
                assertThat(reachedBackend(req)).isTrue();
            }
        }

        @Test
        void expectContinueIsAnsweredBeforeTheDelay() {
            try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
                long t0 = System.nanoTime();
                raw.send("PUT /delay-long HTTP/1.1\r\nHost: cf.example.com\r\nx-request-id: delay-expect\r\n"
                        + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\n");
                RawResponse interim = raw.readResponse(Duration.ofSeconds(5));
                long interimMs = (System.nanoTime() - t0) / 1_000_000;
                assertThat(interim.statusCode()).isEqualTo(100);
                // Envoy answers Expect when the headers arrive, before any filter (the fault delay) runs.
                assertThat(interimMs).as("100 Continue after %d ms", interimMs).isLessThan(1000);
                raw.send("hello");
                RawResponse r = raw.readResponse(Duration.ofSeconds(5));
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
                assertThat(r.bodyText()).contains("\"bodyBytes\":5");
            }
        }

        @Test
        void delayHoldsTheRequestThenForwardsIt() {
            HttpRequest req = Http.request(gw.port(), "cf.example.com", "/delay")
                    .POST(HttpRequest.BodyPublishers.ofString("delayed body")).build();
            long t0 = System.nanoTime();
            HttpResponse<String> r = Http.send(client, req);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(r.body()).contains("\"bodyBytes\":12");
            gw.assertFlags(Http.id(req), "DI");
            RecordedRequest up = backend.requests().stream()
                    .filter(q -> Http.id(req).equals(q.header("x-request-id"))).findFirst().orElseThrow();
            assertThat(Duration.between(gw.log(Http.id(req)).startTime(), up.receivedAt()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(390));
        }
    }
}

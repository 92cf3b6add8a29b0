package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Local answers: {@code redirect} (uri, authority, scheme, port, derivePort, every supported code, the query kept)
 * and {@code directResponse} (status and body). Neither may ever contact an upstream: the service's backend must
 * see no request at all.
 */
class RedirectAndDirectResponseTest {

    private static TestBackend backend;
    private static YamlGateway gw;
    private static int listenPort;
    private static final HttpClient client = Http.client();

    @BeforeAll
    static void start() {
        backend = TestBackend.start("never");
        listenPort = TestBackend.unusedPort();
        gw = YamlGateway.builder(Yaml.serviceEntry("rd", "rd.backends.internal", backend) + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: rd, namespace: default}
                spec:
                  hosts: [rd.example.com]
                  http:
                  - {match: [{uri: {prefix: /r-uri}}], redirect: {uri: /new-place}}
                  - {match: [{uri: {prefix: /rq-uri}}], redirect: {uri: "/q-place?fixed=1"}}
                  - {match: [{uri: {prefix: /r-auth}}], redirect: {authority: other.example}}
                  - {match: [{uri: {prefix: /r-scheme}}], redirect: {scheme: https}}
                  - {match: [{uri: {prefix: /r-port}}], redirect: {port: 8443}}
                  - {match: [{uri: {prefix: /r-derive}}], redirect: {authority: d.example, derivePort: FROM_REQUEST_PORT}}
                  - {match: [{uri: {prefix: /r-default}}], redirect: {scheme: https, port: 443, authority: s.example}}
                  - {match: [{uri: {prefix: /r-301}}], redirect: {uri: /x, redirectCode: 301}}
                  - {match: [{uri: {prefix: /r-302}}], redirect: {uri: /x, redirectCode: 302}}
                  - {match: [{uri: {prefix: /r-303}}], redirect: {uri: /x, redirectCode: 303}}
                  - {match: [{uri: {prefix: /r-307}}], redirect: {uri: /x, redirectCode: 307}}
                  - {match: [{uri: {prefix: /r-308}}], redirect: {uri: /x, redirectCode: 308}}
                  - match: [{uri: {prefix: /r-hdr}}]
                    redirect: {uri: /h}
                    headers: {response: {set: {x-redirected: "yes"}}}
                  - {match: [{uri: {exact: /dr}}], directResponse: {status: 418, body: {string: "short and stout"}}}
                  - {match: [{uri: {exact: /dr-empty}}], directResponse: {status: 204}}
                  - {match: [{uri: {exact: /dr-bytes}}], directResponse: {status: 503, body: {bytes: "AAEC/w=="}}}
                  - route: [{destination: {host: rd.backends.internal}}]
                """).listenPort(listenPort).start();
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    private static HttpResponse<byte[]> get(String host, String path) {
        return get(Http.request(gw.port(), host, path).build());
    }

    private static HttpResponse<byte[]> get(HttpRequest req) {
        try {
            return client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String location(String host, String path, int expectedStatus) {
        HttpResponse<byte[]> r = get(host, path);
        assertThat(r.statusCode()).as(path).isEqualTo(expectedStatus);
        assertThat(r.body()).as("redirect body").isEmpty();
        return r.headers().firstValue("location").orElseThrow();
    }

    @Test
    void redirectParts() {
        assertThat(location("rd.example.com", "/r-uri/a?b=1&c", 301)).isEqualTo("http://rd.example.com/new-place?b=1&c");
        // A uri with its own query replaces the request's.
        assertThat(location("rd.example.com", "/rq-uri?b=1", 301)).isEqualTo("http://rd.example.com/q-place?fixed=1");
        // With neither host nor scheme redirected, the request's port is kept.
        assertThat(location("rd.example.com:8080", "/r-uri", 301)).isEqualTo("http://rd.example.com:8080/new-place");
        assertThat(location("rd.example.com:8080", "/r-auth/p?q", 301)).isEqualTo("http://other.example/r-auth/p?q");
        assertThat(location("rd.example.com:8080", "/r-scheme?q=1", 301)).isEqualTo("https://rd.example.com/r-scheme?q=1");
        assertThat(location("rd.example.com", "/r-port", 301)).isEqualTo("http://rd.example.com:8443/r-port");
        assertThat(location("rd.example.com", "/r-derive", 301))
                .isEqualTo("http://d.example:" + listenPort + "/r-derive");
        // :443 is dropped for https.
        assertThat(location("rd.example.com", "/r-default", 301)).isEqualTo("https://s.example/r-default");
    }

    @Test
    void redirectCodes() {
        for (int code : new int[] {301, 302, 303, 307, 308}) {
            assertThat(location("rd.example.com", "/r-" + code + "?k=v", code)).isEqualTo("http://rd.example.com/x?k=v");
        }
        // Non-GET methods get the same answer (307/308 tell the client to repeat the method).
        HttpResponse<byte[]> post = get(Http.request(gw.port(), "rd.example.com", "/r-307")
                .POST(HttpRequest.BodyPublishers.ofString("payload")).build());
        assertThat(post.statusCode()).isEqualTo(307);
        assertThat(post.headers().firstValue("location")).hasValue("http://rd.example.com/x");
    }

    @Test
    void redirectCarriesRouteResponseHeaders() {
        HttpResponse<byte[]> r = get("rd.example.com", "/r-hdr");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("x-redirected")).hasValue("yes");
    }

    @Test
    void directResponses() {
        HttpResponse<byte[]> r = get("rd.example.com", "/dr");
        assertThat(r.statusCode()).isEqualTo(418);
        assertThat(new String(r.body())).isEqualTo("short and stout");
        assertThat(r.headers().firstValue("content-length")).hasValue("15");
        HttpResponse<byte[]> empty = get("rd.example.com", "/dr-empty");
        assertThat(empty.statusCode()).isEqualTo(204);
        assertThat(empty.body()).isEmpty();
        HttpResponse<byte[]> bytes = get("rd.example.com", "/dr-bytes");
        assertThat(bytes.statusCode()).isEqualTo(503);
        assertThat(bytes.body()).containsExactly(0, 1, 2, (byte) 0xff);
    }

    @Test
    void headGetsTheHeadersOfALocalAnswerWithoutItsBody() {
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            raw.send("HEAD /dr HTTP/1.1\r\nHost: rd.example.com\r\n\r\n");
            RawResponse head = raw.readResponse(Duration.ofSeconds(5), true);
            assertThat(head.statusCode()).isEqualTo(418);
            assertThat(head.header("content-length")).isEqualTo("15");
            raw.send("HEAD /r-uri HTTP/1.1\r\nHost: rd.example.com\r\n\r\n");
            RawResponse redirect = raw.readResponse(Duration.ofSeconds(5), true);
            assertThat(redirect.statusCode()).isEqualTo(301);
            // A body byte left over from either answer would corrupt this one.
            raw.send("GET /dr HTTP/1.1\r\nHost: rd.example.com\r\n\r\n");
            RawResponse get = raw.readResponse(Duration.ofSeconds(5));
            assertThat(get.statusCode()).isEqualTo(418);
            assertThat(get.bodyText()).isEqualTo("short and stout");
        }
    }

    @Test
    void localAnswersNeverContactTheUpstream() {
        redirectParts();
        redirectCodes();
        directResponses();
        assertThat(backend.requests()).isEmpty();
        assertThat(backend.connectionsAccepted()).isZero();
        // The catch-all still forwards: the backend was reachable all along.
        HttpResponse<byte[]> r = get("rd.example.com", "/forwarded");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(backend.requests()).hasSize(1);
        backend.clearRequests();
    }
}

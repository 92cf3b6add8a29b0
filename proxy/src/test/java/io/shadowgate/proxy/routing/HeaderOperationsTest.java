package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.testkit.backend.BodyPattern;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Header operations at route and destination level (request and response; set, add, remove) with Envoy's
 * precedence — one destination: the destination's {@code set} wins; weighted destinations: the route's {@code set}
 * wins — and Envoy format strings; then the proxy's own request headers: {@code x-forwarded-for} appended,
 * {@code x-forwarded-proto}, {@code x-request-id} generated or preserved, hop-by-hop headers dropped in both
 * directions and framing regenerated.
 */
class HeaderOperationsTest {

    private static final Duration T = Duration.ofSeconds(5);
    private static TestBackend backend;
    private static YamlGateway gw;
    private static final HttpClient client = Http.client();

    private static final String ROUTE_OPS = """
            headers:
              request:
                set: {x-set: route, x-route-only: r}
                add: {x-add: route}
                remove: [x-remove]
              response:
                set: {x-resp-set: route}
                add: {x-resp-add: route}
                remove: [x-secret]
            """;

    @BeforeAll
    static void start() {
        backend = TestBackend.start("h");
        String yaml = Yaml.serviceEntry("h", "h.backends.internal", backend) + """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: h, namespace: default}
                spec:
                  host: h.backends.internal
                  subsets: [{name: a}, {name: b}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: h, namespace: default}
                spec:
                  hosts: [h.example.com]
                  http:
                  - match: [{uri: {prefix: /single}}]
                """ + ROUTE_OPS.indent(4) + """
                    route:
                    - destination: {host: h.backends.internal}
                      headers:
                        request: {set: {x-set: dest, x-dest-only: d}, add: {x-add: dest}, remove: [x-dest-remove]}
                        response: {set: {x-resp-set: dest}, add: {x-resp-add: dest}}
                  - match: [{uri: {prefix: /weighted}}]
                """ + ROUTE_OPS.indent(4) + """
                    route:
                    - destination: {host: h.backends.internal, subset: a}
                      weight: 50
                      headers:
                        request: {set: {x-set: dest-a, x-dest-only: a}}
                        response: {set: {x-resp-set: dest-a}}
                    - destination: {host: h.backends.internal, subset: b}
                      weight: 50
                      headers:
                        request: {set: {x-set: dest-b, x-dest-only: b}}
                        response: {set: {x-resp-set: dest-b}}
                  - match: [{uri: {prefix: /fmt}}]
                    headers:
                      request:
                        set:
                          x-client: "%DOWNSTREAM_REMOTE_ADDRESS%"
                          x-client-ip: "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%"
                          x-pct: "100%%"
                          x-proto: "%PROTOCOL%"
                          x-from-req: "id=%REQ(x-request-id)%"
                    route: [{destination: {host: h.backends.internal}}]
                  - route: [{destination: {host: h.backends.internal}}]
                """;
        gw = YamlGateway.start(yaml);
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    /** Sends {@code req}, returns the response and (via {@code out[0]}) what the backend got. */
    private static HttpResponse<String> send(HttpRequest req, RecordedRequest[] out) {
        int before = backend.requests().size();
        HttpResponse<String> r = Http.send(client, req);
        List<RecordedRequest> all = backend.awaitRequests(before + 1, T);
        out[0] = all.get(all.size() - 1);
        return r;
    }

    private static HttpRequest.Builder withClientHeaders(String path) {
        return Http.request(gw.port(), "h.example.com", path)
                .header("x-set", "client")
                .header("x-add", "client")
                .header("x-remove", "please")
                .header("x-dest-remove", "please")
                .header("x-testkit-header-x-secret", "s3cr3t")
                .header("x-testkit-header-x-resp-add", "backend")
                .header("x-testkit-header-x-resp-set", "backend");
    }

    @Test
    void singleDestinationTheDestinationSetWins() {
        RecordedRequest[] up = new RecordedRequest[1];
        HttpResponse<String> r = send(withClientHeaders("/single").build(), up);
        assertThat(r.statusCode()).isEqualTo(200);
        RecordedRequest b = up[0];
        assertThat(b.headers("x-set")).containsExactly("dest");
        assertThat(b.headers("x-route-only")).containsExactly("r");
        assertThat(b.headers("x-dest-only")).containsExactly("d");
        assertThat(b.headers("x-add")).containsExactly("client", "route", "dest");
        assertThat(b.header("x-remove")).isNull();
        assertThat(b.header("x-dest-remove")).isNull();
        assertThat(r.headers().allValues("x-resp-set")).containsExactly("dest");
        assertThat(r.headers().allValues("x-resp-add")).containsExactly("backend", "route", "dest");
        assertThat(r.headers().firstValue("x-secret")).isEmpty();
    }

    @Test
    void weightedDestinationsTheRouteSetWins() {
        boolean sawA = false;
        boolean sawB = false;
        for (int i = 0; i < 40 && !(sawA && sawB); i++) {
            RecordedRequest[] up = new RecordedRequest[1];
            HttpResponse<String> r = send(withClientHeaders("/weighted").build(), up);
            assertThat(r.statusCode()).isEqualTo(200);
            RecordedRequest b = up[0];
            assertThat(b.headers("x-set")).containsExactly("route");
            assertThat(b.headers("x-route-only")).containsExactly("r");
            assertThat(b.headers("x-add")).containsExactly("client", "route");
            assertThat(b.header("x-remove")).isNull();
            String subset = b.header("x-dest-only");
            assertThat(subset).isIn("a", "b");
            sawA |= subset.equals("a");
            sawB |= subset.equals("b");
            assertThat(r.headers().allValues("x-resp-set")).containsExactly("route");
            assertThat(r.headers().allValues("x-resp-add")).containsExactly("backend", "route");
            assertThat(r.headers().firstValue("x-secret")).isEmpty();
        }
        assertThat(sawA && sawB).as("both weighted destinations were used").isTrue();
    }

    @Test
    void formatStrings() {
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            raw.send("GET /fmt HTTP/1.1\r\nHost: h.example.com\r\nx-request-id: fmt-1\r\n\r\n");
            RawResponse r = raw.readResponse(T);
            assertThat(r.statusCode()).isEqualTo(200);
            RecordedRequest b = backend.awaitRequests(1, T).stream()
                    .filter(q -> "fmt-1".equals(q.header("x-request-id"))).findFirst().orElseThrow();
            assertThat(b.header("x-client")).isEqualTo("127.0.0.1:" + raw.localPort());
            assertThat(b.header("x-client-ip")).isEqualTo("127.0.0.1");
            assertThat(b.header("x-pct")).isEqualTo("100%");
            assertThat(b.header("x-proto")).isEqualTo("HTTP/1.1");
            assertThat(b.header("x-from-req")).isEqualTo("id=fmt-1");
        }
        RawResponse http10 = RawHttpClient.exchange(gw.port(), "GET /fmt HTTP/1.0\r\nHost: h.example.com\r\n"
                + "x-request-id: fmt-2\r\n\r\n", T);
        assertThat(http10.statusCode()).isEqualTo(200);
        RecordedRequest b10 = backend.requests().stream().filter(q -> "fmt-2".equals(q.header("x-request-id")))
                .findFirst().orElseThrow();
        assertThat(b10.header("x-proto")).isEqualTo("HTTP/1.0");
    }

    @Test
    void forwardedHeaders() {
        RecordedRequest[] up = new RecordedRequest[1];
        send(Http.request(gw.port(), "h.example.com", "/plain").build(), up);
        assertThat(up[0].headers("x-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(up[0].headers("x-forwarded-proto")).containsExactly("http");
        send(Http.request(gw.port(), "h.example.com", "/plain").header("x-forwarded-for", "10.0.0.1, 10.0.0.2")
                .header("x-forwarded-proto", "https").build(), up);
        // Envoy's appendXff joins with "," (no space) and coalesces repeated headers into one.
        assertThat(up[0].headers("x-forwarded-for")).containsExactly("10.0.0.1, 10.0.0.2,127.0.0.1");
        assertThat(up[0].headers("x-forwarded-proto")).containsExactly("http");
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            raw.send("GET /plain HTTP/1.1\r\nHost: h.example.com\r\nx-request-id: xff-2\r\n"
                    + "X-Forwarded-For: 10.0.0.1\r\nx-forwarded-for: 10.0.0.2\r\n\r\n");
            assertThat(raw.readResponse(T).statusCode()).isEqualTo(200);
        }
        assertThat(backend.requests().stream().filter(q -> "xff-2".equals(q.header("x-request-id"))).findFirst()
                .orElseThrow().headers("x-forwarded-for")).containsExactly("10.0.0.1,10.0.0.2,127.0.0.1");
    }

    @Test
    void requestIdGeneratedWhenAbsentAndPreservedWhenPresent() {
        RecordedRequest[] up = new RecordedRequest[1];
        HttpRequest without = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port() + "/plain"))
                .header("Host", "h.example.com").build();
        send(without, up);
        String generated = up[0].header("x-request-id");
        assertThat(generated).matches(Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
        send(without, up);
        assertThat(up[0].header("x-request-id")).as("a new id per request").isNotEqualTo(generated);
        send(Http.request(gw.port(), "h.example.com", "/plain").setHeader("x-request-id", "keep-me").build(), up);
        assertThat(up[0].headers("x-request-id")).containsExactly("keep-me");
        assertThat(gw.log("keep-me").status()).isEqualTo(200);
    }

    @Test
    void hopByHopHeadersAreNotForwardedEitherWay() {
        String request = "GET /plain HTTP/1.1\r\n"
                + "Host: h.example.com\r\n"
                + "x-request-id: hop-1\r\n"
                + "Connection: keep-alive, x-conn-listed, X-Other-Listed\r\n"
                + "x-conn-listed: 1\r\n"
                + "x-other-listed: 2\r\n"
                + "x-end-to-end: 3\r\n"
                + "Keep-Alive: timeout=5\r\n"
                // (Envoy would keep "te: trailers", the one value it lets through; any other te is dropped.)
                + "TE: gzip\r\n"
                + "Proxy-Connection: keep-alive\r\n"
                + "Upgrade: websocket-please\r\n"
                // Response hop-by-hop headers, sent by the backend on request:
                + "x-testkit-header-keep-alive: timeout=9\r\n"
                + "x-testkit-header-proxy-connection: keep-alive\r\n"
                + "x-testkit-header-upgrade: something\r\n"
                + "x-testkit-header-x-kept: yes\r\n"
                + "\r\n";
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            raw.send(request);
            RawResponse r = raw.readResponse(T);
            assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
            RecordedRequest b = backend.awaitRequests(1, T).stream()
                    .filter(q -> "hop-1".equals(q.header("x-request-id"))).findFirst().orElseThrow();
            for (String hop : List.of("x-conn-listed", "x-other-listed", "keep-alive", "te", "proxy-connection",
                    "upgrade")) {
                assertThat(b.header(hop)).as("request header " + hop + " forwarded").isNull();
            }
            assertThat(b.header("connection")).as("no Connection header (keep-alive is HTTP/1.1's default)")
                    .isNull();
            assertThat(b.header("x-end-to-end")).isEqualTo("3");
            for (String hop : List.of("keep-alive", "proxy-connection", "upgrade")) {
                assertThat(r.header(hop)).as("response header " + hop + " forwarded").isNull();
            }
            assertThat(r.header("x-kept")).isEqualTo("yes");
            // The connection is still usable: framing on both sides is the proxy's own.
            raw.send("GET /plain HTTP/1.1\r\nHost: h.example.com\r\n\r\n");
            assertThat(raw.readResponse(T).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void framingIsRegenerated() {
        byte[] body = BodyPattern.bytes(10_000);
        String sha = BodyPattern.sha256Hex(body.length);
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            // Chunked upload in odd pieces, with a chunk extension: the backend gets a well-formed chunked body.
            StringBuilder sb = new StringBuilder("POST /plain HTTP/1.1\r\nHost: h.example.com\r\nx-request-id: fr-1\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            byte[] head = sb.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.writeBytes(head);
            int off = 0;
            for (int n : new int[] {1, 999, 4000, 5000}) {
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                out.write(body, off, n);
                out.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                off += n;
            }
            out.writeBytes("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            raw.send(out.toByteArray());
            assertThat(raw.readResponse(T).statusCode()).isEqualTo(200);
            // Content-Length upload on the same connection.
            raw.send(("POST /plain HTTP/1.1\r\nHost: h.example.com\r\nx-request-id: fr-2\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            raw.send(body);
            assertThat(raw.readResponse(T).statusCode()).isEqualTo(200);
            // A response the backend sends chunked reaches an HTTP/1.1 client chunked, with the right body.
            raw.send("GET /plain HTTP/1.1\r\nHost: h.example.com\r\nx-request-id: fr-3\r\nx-testkit-chunked: true\r\n"
                    + "x-testkit-body-bytes: 5000\r\n\r\n");
            RawResponse chunked = raw.readResponse(T);
            assertThat(chunked.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(chunked.header("content-length")).isNull();
            assertThat(chunked.body()).isEqualTo(BodyPattern.bytes(5000));
            // A Content-Length response keeps its length.
            raw.send("GET /plain HTTP/1.1\r\nHost: h.example.com\r\nx-request-id: fr-4\r\n"
                    + "x-testkit-body-bytes: 5000\r\n\r\n");
            RawResponse fixed = raw.readResponse(T);
            assertThat(fixed.header("content-length")).isEqualTo("5000");
            assertThat(fixed.header("transfer-encoding")).isNull();
            assertThat(fixed.body()).isEqualTo(BodyPattern.bytes(5000));
        }
        RecordedRequest c = find("fr-1");
        assertThat(c.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(c.header("content-length")).isNull();
        assertThat(c.bodyBytes()).isEqualTo(body.length);
        assertThat(c.bodySha256()).isEqualTo(sha);
        assertThat(c.complete()).isTrue();
        RecordedRequest l = find("fr-2");
        assertThat(l.header("content-length")).isEqualTo(String.valueOf(body.length));
        assertThat(l.header("transfer-encoding")).isNull();
        assertThat(l.bodySha256()).isEqualTo(sha);
        RecordedRequest g = find("fr-3");
        assertThat(g.header("content-length")).as("a bodyless GET gets no framing header").isNull();
        assertThat(g.header("transfer-encoding")).isNull();
    }

    private static RecordedRequest find(String id) {
        return backend.requests().stream().filter(q -> id.equals(q.header("x-request-id"))).findFirst()
                .orElseThrow(() -> new AssertionError("backend never saw " + id));
    }
}

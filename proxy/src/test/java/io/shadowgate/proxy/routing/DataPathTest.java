package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.testkit.backend.BodyPattern;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 data path behaviour through the gateway: keep-alive on both sides, uploads with either framing,
 * {@code Expect: 100-continue}, HEAD, 204 and 304, HTTP/1.0 clients, and pipelined requests answered in order.
 */
class DataPathTest {

    private static final Duration T = Duration.ofSeconds(10);
    private static TestBackend backend;
    private static YamlGateway gw;

    @BeforeAll
    static void start() {
        backend = TestBackend.start("dp");
        gw = YamlGateway.start(Yaml.serviceEntry("dp", "dp.backends.internal", backend) + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: dp, namespace: default}
                spec:
                  hosts: [dp.example.com]
                  http: [{route: [{destination: {host: dp.backends.internal}}]}]
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    private static RecordedRequest upstream(String requestId) {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            for (RecordedRequest r : backend.requests()) {
                if (requestId.equals(r.header("x-request-id"))) {
                    return r;
                }
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("backend never saw " + requestId);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void keepAliveIsReusedOnBothSides() {
        HttpClient client = Http.client();
        int clientConnsBefore = gw.connectionsOpened();
        int upstreamConnsBefore = backend.connectionsAccepted();
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = Http.send(client, Http.request(gw.port(), "dp.example.com", "/ka/" + i)
                    .POST(HttpRequest.BodyPublishers.ofString("body-" + i)).build());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        assertThat(gw.connectionsOpened() - clientConnsBefore).as("client connections").isEqualTo(1);
        // One client connection lives on one event loop, whose pool keeps one upstream connection for it.
        assertThat(backend.connectionsAccepted() - upstreamConnsBefore).as("upstream connections").isEqualTo(1);
    }

    @Test
    void uploadsWithContentLengthAndChunked() {
        HttpClient client = Http.client();
        int n = 300_000;
        String sha = BodyPattern.sha256Hex(n);
        HttpRequest fixed = Http.request(gw.port(), "dp.example.com", "/up")
                .POST(HttpRequest.BodyPublishers.ofByteArray(BodyPattern.bytes(n))).build();
        assertThat(Http.send(client, fixed).statusCode()).isEqualTo(200);
        RecordedRequest f = upstream(Http.id(fixed));
        assertThat(f.header("content-length")).isEqualTo(String.valueOf(n));
        assertThat(f.bodyBytes()).isEqualTo(n);
        assertThat(f.bodySha256()).isEqualTo(sha);
        // An InputStream publisher without a length goes chunked.
        HttpRequest chunked = Http.request(gw.port(), "dp.example.com", "/up")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> BodyPattern.stream(n))).build();
        assertThat(Http.send(client, chunked).statusCode()).isEqualTo(200);
        RecordedRequest c = upstream(Http.id(chunked));
        assertThat(c.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(c.bodyBytes()).isEqualTo(n);
        assertThat(c.bodySha256()).isEqualTo(sha);
        assertThat(c.complete()).isTrue();
    }

    @Test
    void expect100ContinueGets100ThenTheFinalResponse() {
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            raw.send("POST /expect HTTP/1.1\r\nHost: dp.example.com\r\nx-request-id: exp-1\r\n"
                    + "Content-Length: 11\r\nExpect: 100-continue\r\n\r\n");
            RawResponse interim = raw.readResponse(T);
            assertThat(interim.statusCode()).as("interim response before the body is sent").isEqualTo(100);
            raw.send("hello world");
            RawResponse fin = raw.readResponse(T);
            assertThat(fin.statusCode()).isEqualTo(200);
            assertThat(fin.bodyText()).contains("\"bodyBytes\":11");
            // The connection stays usable.
            raw.send("GET /after HTTP/1.1\r\nHost: dp.example.com\r\n\r\n");
            assertThat(raw.readResponse(T).statusCode()).isEqualTo(200);
        }
        RecordedRequest up = upstream("exp-1");
        assertThat(up.bodyBytes()).isEqualTo(11);
        assertThat(up.header("expect")).as("Expect is answered by the gateway, not forwarded").isNull();
    }

    @Test
    void expect100ContinueIsAnsweredEvenWhenTheAnswerIsLocal() {
        // Envoy sends 100 Continue before routing; a local reply then ends the exchange before the body arrived,
        // so the connection closes after it.
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            raw.send("POST /expect HTTP/1.1\r\nHost: unknown.example.com\r\nContent-Length: 11\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            assertThat(raw.readResponse(T).statusCode()).isEqualTo(100);
            RawResponse r = raw.readResponse(T);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(raw.awaitServerClose(T)).isTrue();
        }
    }

    @Test
    void headAnswersWithoutABody() {
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            raw.send("HEAD /head HTTP/1.1\r\nHost: dp.example.com\r\nx-request-id: head-1\r\n"
                    + "x-testkit-body-bytes: 1234\r\n\r\n");
            RawResponse r = raw.readResponse(T, true);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.header("content-length")).isEqualTo("1234");
            assertThat(r.body()).isEmpty();
            // If any body byte had been sent, this response would be misread.
            raw.send("GET /after-head HTTP/1.1\r\nHost: dp.example.com\r\nx-request-id: head-2\r\n\r\n");
            RawResponse next = raw.readResponse(T);
            assertThat(next.statusCode()).isEqualTo(200);
            assertThat(next.bodyText()).contains("/after-head");
        }
        assertThat(upstream("head-1").method()).isEqualTo("HEAD");
    }

    @Test
    void noContentAndNotModifiedHaveNoBody() {
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            for (int status : new int[] {204, 304}) {
                raw.send("GET /s HTTP/1.1\r\nHost: dp.example.com\r\nx-testkit-status: " + status + "\r\n\r\n");
                RawResponse r = raw.readResponse(T);
                assertThat(r.statusCode()).isEqualTo(status);
                assertThat(r.body()).isEmpty();
                assertThat(r.header("transfer-encoding")).as(status + " is never chunked").isNull();
                if (status == 204) {
                    assertThat(r.header("content-length")).isNull();
                }
            }
            raw.send("GET /after HTTP/1.1\r\nHost: dp.example.com\r\nx-request-id: nc-after\r\n\r\n");
            RawResponse next = raw.readResponse(T);
            assertThat(next.statusCode()).isEqualTo(200);
            assertThat(next.bodyText()).contains("/after");
        }
    }

    @Test
    void http10Clients() {
        // No keep-alive: the response is framed, then the connection closes.
        RawResponse r = RawHttpClient.exchange(gw.port(), "GET /ten HTTP/1.0\r\nHost: dp.example.com\r\n"
                + "x-request-id: ten-1\r\n\r\n", T);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.complete()).isTrue();
        assertThat(r.closedByServer()).isTrue();
        assertThat(r.header("transfer-encoding")).isNull();
        assertThat(upstream("ten-1").method()).isEqualTo("GET");
        // A chunked upstream response cannot be sent chunked to HTTP/1.0: the body is delimited by the close.
        RawResponse chunkedUp = RawHttpClient.exchange(gw.port(), "GET /ten HTTP/1.0\r\nHost: dp.example.com\r\n"
                + "x-testkit-chunked: true\r\nx-testkit-body-bytes: 3000\r\n\r\n", T);
        assertThat(chunkedUp.statusCode()).isEqualTo(200);
        assertThat(chunkedUp.header("transfer-encoding")).isNull();
        assertThat(chunkedUp.body()).isEqualTo(BodyPattern.bytes(3000));
        assertThat(chunkedUp.closedByServer()).isTrue();
        // HTTP/1.0 with keep-alive asked for: kept open and said so.
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            for (int i = 0; i < 3; i++) {
                raw.send("GET /ten-ka HTTP/1.0\r\nHost: dp.example.com\r\nConnection: keep-alive\r\n\r\n");
                RawResponse ka = raw.readResponse(T);
                assertThat(ka.statusCode()).isEqualTo(200);
                assertThat(ka.header("connection")).isEqualToIgnoringCase("keep-alive");
                assertThat(ka.header("content-length")).isNotNull();
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            // The first is the slowest: answering out of order would show.
            StringBuilder batch = new StringBuilder();
            batch.append("GET /p/1 HTTP/1.1\r\nHost: dp.example.com\r\nx-testkit-delay-ms: 300\r\n\r\n");
            batch.append("POST /p/2 HTTP/1.1\r\nHost: dp.example.com\r\nContent-Length: 5\r\n\r\nhello");
            batch.append("GET /p/3 HTTP/1.1\r\nHost: dp.example.com\r\nx-testkit-delay-ms: 100\r\n\r\n");
            batch.append("HEAD /p/4 HTTP/1.1\r\nHost: dp.example.com\r\n\r\n");
            batch.append("GET /p/5 HTTP/1.1\r\nHost: dp.example.com\r\n\r\n");
            raw.send(ascii(batch.toString()));
            List<String> paths = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                RawResponse r = raw.readResponse(T, i == 4);
                assertThat(r.statusCode()).as("response " + i).isEqualTo(200);
                if (i != 4) {
                    paths.add(r.bodyText().replaceAll(".*\"path\":\"([^\"]*)\".*", "$1"));
                }
            }
            assertThat(paths).containsExactly("/p/1", "/p/2", "/p/3", "/p/5");
            // Local answers (a 404, here) take their turn in the queue too.
            raw.send(ascii("GET /q/1 HTTP/1.1\r\nHost: dp.example.com\r\nx-testkit-delay-ms: 200\r\n\r\n"
                    + "GET /q/2 HTTP/1.1\r\nHost: nowhere.example.com\r\n\r\n"
                    + "GET /q/3 HTTP/1.1\r\nHost: dp.example.com\r\n\r\n"));
            RawResponse q1 = raw.readResponse(T);
            RawResponse q2 = raw.readResponse(T);
            RawResponse q3 = raw.readResponse(T);
            assertThat(List.of(q1.statusCode(), q2.statusCode(), q3.statusCode())).containsExactly(200, 404, 200);
            assertThat(q1.bodyText()).contains("\"path\":\"/q/1\"");
            assertThat(q3.bodyText()).contains("\"path\":\"/q/3\"");
        }
    }
}

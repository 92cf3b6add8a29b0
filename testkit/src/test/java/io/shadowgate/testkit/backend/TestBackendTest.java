package io.shadowgate.testkit.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Default answers, per-request overrides, framing, keep-alive and the request log, over real sockets. */
class TestBackendTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    private TestBackend backend;

    @BeforeEach
    void start() {
        backend = TestBackend.builder().name("v1").responseHeader("x-static", "yes").start();
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void answersWithJsonEchoOfTheRequest() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(backend.uri("/shop/items?page=2"))
                        .header("X-Trace", "a")
                        .header("X-Trace", "b")
                        .POST(HttpRequest.BodyPublishers.ofString("hello"))
                        .timeout(TIMEOUT)
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("x-backend")).hasValue("v1");
        assertThat(response.headers().firstValue("x-static")).hasValue("yes");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("backend").asText()).isEqualTo("v1");
        assertThat(body.get("method").asText()).isEqualTo("POST");
        assertThat(body.get("path").asText()).isEqualTo("/shop/items?page=2");
        assertThat(body.get("headers").get("x-trace")).hasSize(2);
        assertThat(body.get("headers").get("x-trace").get(0).asText()).isEqualTo("a");
        assertThat(body.get("headers").get("x-trace").get(1).asText()).isEqualTo("b");
        assertThat(body.get("bodyBytes").asLong()).isEqualTo(5);
        assertThat(body.get("bodySha256").asText()).isEqualTo(sha256Hex("hello"));

        RecordedRequest recorded = backend.awaitRequests(1, TIMEOUT).get(0);
        assertThat(recorded.method()).isEqualTo("POST");
        assertThat(recorded.uri()).isEqualTo("/shop/items?page=2");
        assertThat(recorded.path()).isEqualTo("/shop/items");
        assertThat(recorded.headers("x-trace")).containsExactly("a", "b");
        assertThat(recorded.header("X-TRACE")).isEqualTo("a");
        assertThat(recorded.bodyBytes()).isEqualTo(5);
        assertThat(new String(recorded.bodyPrefix(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(recorded.complete()).isTrue();
        assertThat(recorded.connectionId()).isPositive();
        assertThat(backend.address()).isEqualTo("127.0.0.1:" + backend.port());
        assertThat(backend.name()).isEqualTo("v1");
    }

    @Test
    void overridesStatusHeadersAndFramingPerRequest() {
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("GET /x HTTP/1.1\r\nHost: t\r\nx-testkit-status: 503\r\nx-testkit-header-Retry-After: 7\r\n"
                    + "x-testkit-chunked: true\r\n\r\n");
            RawResponse response = client.readResponse(TIMEOUT);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.header("retry-after")).isEqualTo("7");
            assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(response.header("content-length")).isNull();
            assertThat(response.complete()).isTrue();
            assertThat(response.bodyText()).contains("\"path\":\"/x\"");
        }
    }

    @Test
    void generatesPatternBodyOfRequestedSize() throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(backend.uri("/blob"))
                        .header("x-testkit-body-bytes", "100000").timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-length")).hasValue("100000");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(response.body()).isEqualTo(BodyPattern.bytes(100_000));
    }

    @Test
    void delayIsScheduledWithoutBlockingTheEventLoop() throws Exception {
        try (TestBackend single = TestBackend.builder().name("one-thread").ioThreads(1).start()) {
            CompletableFuture<HttpResponse<String>> slow = HTTP.sendAsync(HttpRequest.newBuilder(single.uri("/slow"))
                    .header("x-testkit-delay-ms", "1500").timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            single.awaitRequests(1, TIMEOUT);

            // Same single event loop thread: this answer can only come first if the delay did not block it.
            HttpResponse<String> fast = HTTP.send(HttpRequest.newBuilder(single.uri("/fast")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(fast.statusCode()).isEqualTo(200);
            assertThat(slow).isNotDone();
            assertThat(slow.get().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void builderLatencyAndStatusApplyToEveryResponse() throws Exception {
        try (TestBackend slow = TestBackend.builder().name("slow").status(202).latency(Duration.ofMillis(300)).start()) {
            long startedNanos = System.nanoTime();
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(slow.uri("/")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(Duration.ofNanos(System.nanoTime() - startedNanos)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnectionAndPipelinesInOrder() {
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            // Pipelined: the first answer is delayed, the second must still come second.
            client.send("GET /first HTTP/1.1\r\nHost: t\r\nx-testkit-delay-ms: 200\r\n\r\n"
                    + "GET /second HTTP/1.1\r\nHost: t\r\n\r\n");
            RawResponse first = client.readResponse(TIMEOUT);
            RawResponse second = client.readResponse(TIMEOUT);
            client.send("POST /third HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
            RawResponse third = client.readResponse(TIMEOUT);

            assertThat(first.bodyText()).contains("\"path\":\"/first\"");
            assertThat(second.bodyText()).contains("\"path\":\"/second\"");
            assertThat(third.bodyText()).contains("\"bodyBytes\":3");
            assertThat(third.closedByServer()).isFalse();
        }
        List<RecordedRequest> requests = backend.awaitRequests(3, TIMEOUT);
        assertThat(requests).extracting(RecordedRequest::connectionId).containsOnly(requests.get(0).connectionId());
        assertThat(backend.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void acceptsChunkedRequestBodies() {
        RawResponse response = RawHttpClient.exchange(backend.port(),
                "POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", TIMEOUT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.closedByServer()).isTrue();
        RecordedRequest recorded = backend.awaitRequests(1, TIMEOUT).get(0);
        assertThat(recorded.complete()).isTrue();
        assertThat(recorded.bodyBytes()).isEqualTo(11);
        assertThat(recorded.bodySha256()).isEqualTo(sha256Hex("hello world"));
    }

    @Test
    void answersExpectContinueBeforeTheBody() {
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("PUT /c HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            RawResponse interim = client.readResponse(TIMEOUT);
            client.send("body");
            RawResponse response = client.readResponse(TIMEOUT);

            assertThat(interim.statusCode()).isEqualTo(100);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyText()).contains("\"bodyBytes\":4");
        }
    }

    @Test
    void expectContinueWorksWithJavaHttpClient() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(backend.uri("/e"))
                        .expectContinue(true)
                        .POST(HttpRequest.BodyPublishers.ofString("payload"))
                        .timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"bodyBytes\":7");
    }

    @Test
    void headRequestGetsHeadersOnly() {
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("HEAD /h HTTP/1.1\r\nHost: t\r\nx-testkit-body-bytes: 500\r\n\r\n");
            RawResponse head = client.readResponse(TIMEOUT, true);
            client.send("GET /g HTTP/1.1\r\nHost: t\r\n\r\n");
            RawResponse next = client.readResponse(TIMEOUT);

            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("500");
            assertThat(next.statusCode()).isEqualTo(200);
            assertThat(next.bodyText()).contains("\"path\":\"/g\"");
        }
    }

    @Test
    void invalidOverrideIsABadRequest() {
        RawResponse response = RawHttpClient.exchange(backend.port(),
                "GET / HTTP/1.1\r\nHost: t\r\nx-testkit-status: abc\r\n\r\n", TIMEOUT);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.bodyText()).contains("x-testkit-status");
        assertThat(response.closedByServer()).isTrue();
    }

    @Test
    void malformedRequestIsRecordedIncompleteAndAnswered400() {
        RawResponse response = RawHttpClient.exchange(backend.port(),
                "POST /bad HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n", TIMEOUT);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.closedByServer()).isTrue();
        RecordedRequest recorded = backend.awaitRequests(1, TIMEOUT).get(0);
        assertThat(recorded.complete()).isFalse();
        assertThat(recorded.path()).isEqualTo("/bad");
    }

    @Test
    void countsConnectionsAndClosesThem() throws IOException {
        try (Socket a = new Socket(); Socket b = new Socket()) {
            a.connect(backend.socketAddress());
            b.connect(backend.socketAddress());
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> backend.openConnections() == 2);
            assertThat(backend.connectionsAccepted()).isEqualTo(2);

            backend.closeConnections();

            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> backend.openConnections() == 0);
            assertThat(a.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void awaitRequestsFailsWithinItsBound() {
        assertThatThrownBy(() -> backend.awaitRequests(1, Duration.ofMillis(100)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected 1 request(s)");
    }

    @Test
    void clearRequestsForgetsTheLog() throws Exception {
        HTTP.send(HttpRequest.newBuilder(backend.uri("/")).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.discarding());
        backend.awaitRequests(1, TIMEOUT);

        backend.clearRequests();

        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void recordsAbsoluteFormTargets() {
        RawHttpClient.exchange(backend.port(),
                "GET http://example.com:8080/a/b?c=d HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n", TIMEOUT);

        RecordedRequest recorded = backend.awaitRequests(1, TIMEOUT).get(0);
        assertThat(recorded.uri()).isEqualTo("http://example.com:8080/a/b?c=d");
        assertThat(recorded.path()).isEqualTo("/a/b");
    }

    @Test
    void unusedPortRefusesConnections() {
        int port = TestBackend.unusedPort();

        assertThat(port).isPositive();
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.shadowgate.testkit.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowgate.testkit.client.RawHttpClient;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Large bodies in both directions stream with flat memory, and requests cut off mid-body are recorded as incomplete.
 * Surefire runs with {@code -Xmx768m}: buffering a 100 MiB body a few times over (as aggregation would) fails fast.
 */
class TestBackendStreamingTest {

    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 100 * MIB;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration BIG_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static TestBackend backend;

    @BeforeAll
    static void start() {
        backend = TestBackend.builder().name("stream").recordBodyBytes(1024).start();
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @BeforeEach
    void clear() {
        backend.clearRequests();
    }

    @Test
    void streamsA100MibChunkedUpload() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(backend.uri("/upload"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> BodyPattern.stream(SIZE)))
                        .timeout(BIG_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode echo = JSON.readTree(response.body());
        assertThat(echo.get("bodyBytes").asLong()).isEqualTo(SIZE);
        assertThat(echo.get("bodySha256").asText()).isEqualTo(BodyPattern.sha256Hex(SIZE));
        RecordedRequest recorded = backend.awaitRequests(1, TIMEOUT).get(0);
        assertThat(recorded.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(recorded.complete()).isTrue();
        assertThat(recorded.bodyPrefix()).isEqualTo(BodyPattern.bytes(1024));
    }

    @Test
    void streamsA100MibContentLengthUpload() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(backend.uri("/upload"))
                        .PUT(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> BodyPattern.stream(SIZE)), SIZE))
                        .timeout(BIG_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("bodySha256").asText()).isEqualTo(BodyPattern.sha256Hex(SIZE));
        RecordedRequest recorded = backend.awaitRequests(1, TIMEOUT).get(0);
        assertThat(recorded.header("content-length")).isEqualTo(Long.toString(SIZE));
        assertThat(recorded.bodyBytes()).isEqualTo(SIZE);
    }

    @Test
    void streamsA100MibDownload() throws Exception {
        assertDownload(SIZE, false);
    }

    @Test
    void streamsAChunkedDownload() throws Exception {
        assertDownload(20 * MIB + 17, true);
    }

    private static void assertDownload(long size, boolean chunked) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(backend.uri("/download"))
                        .header("x-testkit-body-bytes", Long.toString(size))
                        .header("x-testkit-chunked", Boolean.toString(chunked))
                        .timeout(BIG_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-length").isPresent()).isNotEqualTo(chunked);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long total = 0;
        long maxUsed = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                total += n;
                if (total % (8 * MIB) < n) {
                    Runtime rt = Runtime.getRuntime();
                    maxUsed = Math.max(maxUsed, rt.totalMemory() - rt.freeMemory());
                }
            }
        }
        assertThat(total).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(BodyPattern.sha256Hex(size));
        // Generous bound (garbage counts as "used" until the next GC); it only catches whole-body buffering.
        assertThat(maxUsed).isLessThan(700 * MIB);
    }

    @Test
    void recordsAContentLengthRequestCutOffMidBodyAsIncomplete() {
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("POST /cut HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n");
            client.send(BodyPattern.bytes(100));
        }

        RecordedRequest recorded = backend.awaitRequests(1, TIMEOUT).get(0);
        assertThat(recorded.complete()).isFalse();
        assertThat(recorded.bodyBytes()).isEqualTo(100);
        assertThat(recorded.bodySha256()).isEqualTo(BodyPattern.sha256Hex(100));
        assertThat(recorded.path()).isEqualTo("/cut");
    }

    @Test
    void recordsAChunkedRequestWithoutTerminatorAsIncomplete() {
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("POST /cut-chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "a\r\n0123456789\r\n");
        }

        RecordedRequest recorded = backend.awaitRequests(1, TIMEOUT).get(0);
        assertThat(recorded.complete()).isFalse();
        assertThat(recorded.bodyBytes()).isEqualTo(10);
    }

    @Test
    void recordsAnAbortedUploadAsIncomplete() {
        RawHttpClient client = RawHttpClient.connect(backend.port());
        client.send("PUT /abort HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n");
        // The interim answer proves the backend has the headers: an RST may discard unread bytes, never read ones.
        assertThat(client.readResponse(TIMEOUT).statusCode()).isEqualTo(100);
        client.send(BodyPattern.bytes(300_000));
        client.abort();

        RecordedRequest recorded = backend.awaitRequests(1, TIMEOUT).get(0);
        assertThat(recorded.complete()).isFalse();
        assertThat(recorded.bodyBytes()).isLessThanOrEqualTo(300_000);
        assertThat(recorded.bodyPrefix()).hasSizeLessThanOrEqualTo(1024);
    }

    @Test
    void aCompleteRequestIsNeverRecordedTwice() {
        // Own backend: the shared one keeps the HttpClient's pooled connections open.
        try (TestBackend own = TestBackend.start("own")) {
            try (RawHttpClient client = RawHttpClient.connect(own.port())) {
                client.send("POST /whole HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
                assertThat(client.readResponse(TIMEOUT).statusCode()).isEqualTo(200);
            }
            await().atMost(TIMEOUT).until(() -> own.openConnections() == 0);

            assertThat(own.requests()).singleElement().satisfies(r -> assertThat(r.complete()).isTrue());
        }
    }
}

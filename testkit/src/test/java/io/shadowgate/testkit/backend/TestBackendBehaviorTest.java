package io.shadowgate.testkit.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every {@link Behavior}, observed from the client side with {@link RawHttpClient} or a raw socket. */
class TestBackendBehaviorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String GET = "GET /b HTTP/1.1\r\nHost: t\r\n\r\n";

    private TestBackend backend;

    @BeforeEach
    void start() {
        backend = TestBackend.builder().name("b").start();
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void neverRespondRecordsButStaysSilent() {
        backend.behavior(Behavior.NEVER_RESPOND);
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("POST /n HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi");
            backend.awaitRequests(1, TIMEOUT);

            RawResponse response = client.readResponse(Duration.ofMillis(300));

            assertThat(response.timedOut()).isTrue();
            assertThat(response.statusCode()).isEqualTo(-1);
            assertThat(response.raw()).isEmpty();
            assertThat(response.closedByServer()).isFalse();
        }
        assertThat(backend.requests().get(0).complete()).isTrue();
    }

    @Test
    void resetSendsRstAfterHeaders() {
        backend.behavior(Behavior.RESET);
        RawResponse response = RawHttpClient.exchange(backend.port(), GET, TIMEOUT);

        assertThat(response.statusCode()).isEqualTo(-1);
        assertThat(response.closedByServer()).isTrue();
        assertThat(response.reset()).isTrue();
        assertThat(backend.awaitRequests(1, TIMEOUT).get(0).path()).isEqualTo("/b");
    }

    @Test
    void closeAfterHeadersClosesInOrderWithoutAnswer() {
        backend.behavior(Behavior.CLOSE_AFTER_HEADERS);
        RawResponse response = RawHttpClient.exchange(backend.port(), GET, TIMEOUT);

        assertThat(response.statusCode()).isEqualTo(-1);
        assertThat(response.raw()).isEmpty();
        assertThat(response.closedByServer()).isTrue();
        assertThat(response.reset()).isFalse();
    }

    @Test
    void garbageIsNotHttp() {
        backend.behavior(Behavior.GARBAGE);
        RawResponse response = RawHttpClient.exchange(backend.port(), GET, TIMEOUT);

        assertThat(response.statusCode()).isEqualTo(-1);
        assertThat(response.raw()).contains("THIS-IS-NOT-HTTP");
        assertThat(response.closedByServer()).isTrue();
    }

    @Test
    void halfResponsePromises100BytesSends10AndCloses() {
        backend.behavior(Behavior.HALF_RESPONSE);
        RawResponse response = RawHttpClient.exchange(backend.port(), GET, TIMEOUT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("content-length")).isEqualTo("100");
        assertThat(response.body()).isEqualTo(BodyPattern.bytes(10));
        assertThat(response.complete()).isFalse();
        assertThat(response.closedByServer()).isTrue();
    }

    @Test
    void endlessBodyStreamsUntilThePeerCloses() {
        backend.behavior(Behavior.ENDLESS_BODY);
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send(GET);
            // 32 MiB through a default-sized socket buffer proves it is paced by the reader, not buffered up front.
            long read = client.discard(32L * 1024 * 1024, Duration.ofSeconds(20));
            assertThat(read).isEqualTo(32L * 1024 * 1024);
            assertThat(client.serverClosed()).isFalse();
        }
        await().atMost(TIMEOUT).until(() -> backend.openConnections() == 0);
    }

    @Test
    void stallReadAcceptsButNeverReads() throws IOException {
        try (TestBackend stalled = TestBackend.builder().name("stalled").behavior(Behavior.STALL_READ)
                .receiveBufferSize(16 * 1024).start();
             SocketChannel channel = SocketChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
            channel.connect(stalled.socketAddress());
            channel.configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            long written = 0;
            long limit = 256L * 1024 * 1024;
            // A non-blocking write returning 0 means the kernel buffers on both sides are full: nobody reads.
            while (written < limit) {
                chunk.clear();
                int n = channel.write(chunk);
                if (n == 0) {
                    break;
                }
                written += n;
            }

            assertThat(written).isLessThan(limit);
            // The kernel completes the handshake before Netty accepts, so the count may lag behind connect().
            await().atMost(TIMEOUT).until(() -> stalled.connectionsAccepted() == 1);
            assertThat(stalled.requests()).isEmpty();
        }
    }

    @Test
    void behaviorSwitchesAtRuntime() {
        backend.behavior(Behavior.RESET);
        assertThat(RawHttpClient.exchange(backend.port(), GET, TIMEOUT).reset()).isTrue();

        backend.behavior(Behavior.NORMAL);
        RawResponse response = RawHttpClient.exchange(backend.port(),
                "GET /ok HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", TIMEOUT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(backend.behavior()).isEqualTo(Behavior.NORMAL);
    }

    @Test
    void expectContinueIsAnsweredByBodyWaitingBehaviors() {
        backend.behavior(Behavior.HALF_RESPONSE);
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            assertThat(client.readResponse(TIMEOUT).statusCode()).isEqualTo(100);
            client.send("abc");
            RawResponse response = client.readResponse(TIMEOUT);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.complete()).isFalse();
        }
    }
}

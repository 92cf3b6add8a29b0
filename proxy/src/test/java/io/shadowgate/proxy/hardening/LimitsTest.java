package io.shadowgate.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.testkit.backend.Behavior;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Client limits with their overrides ({@link ProxyOptions}): request line (414), header block and header count
 * (431), body size (413, declared or streamed), request-headers timeout (408 and close, slowloris), body timeout
 * (408, slow POST), send timeout (slow read), idle keep-alive timeout, connections per listener under a flood.
 */
class LimitsTest {

    private static ProxyServer start(TestBackend b, ProxyOptions options) {
        ClusterConfig c = Fixtures.cluster("v1", b.port());
        return Fixtures.start(Fixtures.snapshot(Fixtures.forward(c), c), options, new Fixtures.Logs());
    }

    private static RawResponse raw(int port, String request) {
        return RawHttpClient.exchange(port, request, Http.TIMEOUT);
    }

    @Test
    void sizeLimitsFollowTheirOverrides() {
        try (TestBackend b = TestBackend.start("b")) {
            ProxyOptions options = Fixtures.options().maxInitialLineBytes(256).maxHeaderBytes(1024).maxHeaderCount(10)
                    .maxRequestBodyBytes(1000).build();
            try (ProxyServer p = start(b, options)) {
                RawResponse line = raw(p.port(), "GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(line.statusCode()).isEqualTo(414);
                assertThat(line.closedByServer()).isTrue();
                RawResponse block = raw(p.port(), "GET / HTTP/1.1\r\nHost: a\r\nX: " + "b".repeat(2000) + "\r\n\r\n");
                assertThat(block.statusCode()).isEqualTo(431);
                assertThat(block.closedByServer()).isTrue();
                StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
                for (int i = 0; i < 11; i++) {
                    many.append("X-").append(i).append(": v\r\n");
                }
                RawResponse count = raw(p.port(), many.append("\r\n").toString());
                assertThat(count.statusCode()).isEqualTo(431);
                RawResponse ten = raw(p.port(), "GET /ten HTTP/1.1\r\nHost: a\r\n" + "X: v\r\n".repeat(9) + "\r\n");
                assertThat(ten.statusCode()).isEqualTo(200);
                RawResponse declared = raw(p.port(), "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n");
                assertThat(declared.statusCode()).isEqualTo(413);
                assertThat(declared.closedByServer()).isTrue();
                RawResponse exact = Http.post(p.port(), "/exact", Http.body(1000));
                assertThat(exact.statusCode()).isEqualTo(200);
                // Streamed (chunked) past the limit: 413 as soon as the limit is crossed, the upstream never sees
                // the end of that body.
                String chunked = "POST /streamed HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "258\r\n" + "c".repeat(600) + "\r\n" + "258\r\n" + "c".repeat(600) + "\r\n0\r\n\r\n";
                RawResponse streamed = raw(p.port(), chunked);
                assertThat(streamed.statusCode()).isEqualTo(413);
                assertThat(streamed.closedByServer()).isTrue();
            }
            assertThat(b.requests()).extracting(RecordedRequest::path).doesNotContain("/");
            assertThat(b.requests()).filteredOn(r -> r.path().equals("/streamed"))
                    .allSatisfy(r -> assertThat(r.complete()).isFalse());
        }
    }

    @Test
    void slowlorisGets408AndTheConnectionCloses() throws Exception {
        try (TestBackend b = TestBackend.start("b")) {
            ProxyOptions options = Fixtures.options().requestHeadersTimeout(Duration.ofMillis(400)).build();
            try (ProxyServer p = start(b, options); RawHttpClient c = RawHttpClient.connect(p.port())) {
                long start = System.nanoTime();
                c.send("GET /slow HTTP/1.1\r\n");
                AtomicBoolean done = new AtomicBoolean();
                Thread dribble = new Thread(() -> {
                    // One header every 100 ms: activity never resets the request-headers timeout.
                    for (int i = 0; i < 50 && !done.get(); i++) {
                        try {
                            Thread.sleep(100);
                            c.send("X-" + i + ": v\r\n");
                        } catch (InterruptedException | RuntimeException e) {
                            return;
                        }
                    }
                }, "slowloris");
                dribble.start();
                RawResponse r = c.readResponse(Http.TIMEOUT);
                done.set(true);
                dribble.join(2000);
                assertThat(r.statusCode()).isEqualTo(408);
                assertThat(r.header("connection")).isEqualToIgnoringCase("close");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            }
            assertThat(b.requests()).isEmpty();
        }
    }

    @Test
    void slowBodyGets408() throws Exception {
        try (TestBackend b = TestBackend.start("b")) {
            ProxyOptions options = Fixtures.options().requestBodyTimeout(Duration.ofMillis(400)).build();
            try (ProxyServer p = start(b, options); RawHttpClient c = RawHttpClient.connect(p.port())) {
                c.send("POST /slow-body HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello");
                RawResponse r = c.readResponse(Http.TIMEOUT);
                assertThat(r.statusCode()).isEqualTo(408);
                assertThat(r.header("connection")).isEqualToIgnoringCase("close");
                assertThat(c.readResponse(Http.TIMEOUT).closedByServer()).isTrue();
                // The upstream connection was closed, so the backend recorded the cut-off request.
                assertThat(Http.eventually(Duration.ofSeconds(3), () -> b.requests().size() == 1)).isTrue();
            }
            assertThat(b.requests().get(0).complete()).isFalse();
            assertThat(b.requests().get(0).bodyBytes()).isEqualTo(5);
        }
    }

    @Test
    void aClientThatStopsReadingIsDisconnected() throws Exception {
        try (TestBackend endless = TestBackend.builder().name("endless").behavior(Behavior.ENDLESS_BODY).start()) {
            ProxyOptions options = Fixtures.options().responseSendTimeout(Duration.ofMillis(500)).build();
            try (ProxyServer p = start(endless, options); Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress("127.0.0.1", p.port()));
                s.getOutputStream().write("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n".getBytes());
                s.getOutputStream().flush();
                // Never read: the gateway's buffer fills, the connection stays unwritable, the send timeout fires.
                assertThat(Http.eventually(Duration.ofSeconds(10), () -> p.openConnections() == 0)).isTrue();
                // ... and the upstream leg is gone too (never pooled mid-response).
                assertThat(Http.eventually(Duration.ofSeconds(5), () -> endless.openConnections() == 0)).isTrue();
            }
        }
    }

    @Test
    void idleKeepAliveConnectionsAreClosed() {
        try (TestBackend b = TestBackend.start("b")) {
            ProxyOptions options = Fixtures.options().idleTimeout(Duration.ofMillis(300)).build();
            try (ProxyServer p = start(b, options); RawHttpClient c = RawHttpClient.connect(p.port())) {
                c.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
                RawResponse r = c.readResponse(Http.TIMEOUT);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.header("connection")).isNull();
                long start = System.nanoTime();
                RawResponse end = c.readResponse(Http.TIMEOUT);
                assertThat(end.closedByServer()).isTrue();
                assertThat(end.timedOut()).isFalse();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150),
                        Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aConnectionFloodDoesNotHurtAcceptedConnections() throws Exception {
        try (TestBackend b = TestBackend.start("b")) {
            ProxyOptions options = Fixtures.options().maxConnectionsPerListener(8).build();
            try (ProxyServer p = start(b, options)) {
                List<RawHttpClient> accepted = new ArrayList<>();
                try {
                    for (int i = 0; i < 8; i++) {
                        RawHttpClient c = RawHttpClient.connect(p.port());
                        accepted.add(c);
                        c.send("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n");
                        assertThat(c.readResponse(Http.TIMEOUT).statusCode()).isEqualTo(200);
                    }
                    AtomicBoolean flooding = new AtomicBoolean(true);
                    AtomicInteger refused = new AtomicInteger();
                    AtomicInteger attempts = new AtomicInteger();
                    Thread flood = new Thread(() -> {
                        while (flooding.get()) {
                            attempts.incrementAndGet();
                            try (Socket s = new Socket()) {
                                s.connect(new InetSocketAddress("127.0.0.1", p.port()), 1000);
                                s.setSoTimeout(1000);
                                InputStream in = s.getInputStream();
                                if (in.read() < 0) {
                                    refused.incrementAndGet();
                                }
                            } catch (SocketTimeoutException e) {
                                // held open: must not happen beyond the limit, counted by the assertion below
                            } catch (IOException e) {
                                refused.incrementAndGet();
                            }
                        }
                    }, "flood");
                    flood.start();
                    for (int round = 0; round < 5; round++) {
                        for (RawHttpClient c : accepted) {
                            c.send("GET /during HTTP/1.1\r\nHost: a\r\n\r\n");
                            assertThat(c.readResponse(Http.TIMEOUT).statusCode()).isEqualTo(200);
                        }
                    }
                    flooding.set(false);
                    flood.join(5000);
                    assertThat(attempts.get()).isGreaterThan(0);
                    assertThat(refused.get()).isEqualTo(attempts.get());
                } finally {
                    accepted.forEach(RawHttpClient::close);
                }
                // Slots come back once connections close.
                assertThat(Http.eventually(Duration.ofSeconds(5), () -> p.openConnections() == 0)).isTrue();
                assertThat(Http.get(p.port(), "/after").statusCode()).isEqualTo(200);
            }
        }
    }
}

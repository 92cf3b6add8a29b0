package io.shadowgate.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The client connection's timers are deadlines moved per event with one lazily re-armed timer each (no schedule and
 * cancel per request): activity inside the timeout keeps a connection alive however long it lasts in total, a
 * deadline set while a longer one's timer is pending still fires on time, and expiry behaves as before.
 */
class LazyTimersTest {

    private static ProxyServer start(TestBackend b, ProxyOptions options) {
        ClusterConfig c = Fixtures.cluster("v1", b.port());
        return Fixtures.start(Fixtures.snapshot(Fixtures.forward(c), c), options, new Fixtures.Logs());
    }

    @Test
    void keepAliveRequestsSpacedWithinTheIdleTimeoutKeepTheConnectionThenItClosesWhenIdle() throws Exception {
        try (TestBackend b = TestBackend.start("b")) {
            ProxyOptions options = Fixtures.options().idleTimeout(Duration.ofMillis(400)).build();
            try (ProxyServer p = start(b, options); RawHttpClient c = RawHttpClient.connect(p.port())) {
                // 8 requests 150 ms apart: 1.2 s in all, three times the idle timeout, never idle for 400 ms.
                for (int i = 0; i < 8; i++) {
                    c.send("GET /" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                    RawResponse r = c.readResponse(Http.TIMEOUT);
                    assertThat(r.statusCode()).isEqualTo(200);
                    Thread.sleep(150);
                }
                long start = System.nanoTime();
                RawResponse end = c.readResponse(Http.TIMEOUT);
                assertThat(end.closedByServer()).isTrue();
                assertThat(end.timedOut()).isFalse();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150),
                        Duration.ofSeconds(3));
            }
            assertThat(b.requests()).hasSize(8);
        }
    }

    @Test
    void aHeadersTimeoutShorterThanTheIdleOneFiresOnTimeAfterAKeepAliveRequest() throws Exception {
        try (TestBackend b = TestBackend.start("b")) {
            // The idle timer pending from the first response is 60 s out; the head's deadline is 300 ms.
            ProxyOptions options = Fixtures.options().idleTimeout(Duration.ofSeconds(60))
                    .requestHeadersTimeout(Duration.ofMillis(300)).build();
            try (ProxyServer p = start(b, options); RawHttpClient c = RawHttpClient.connect(p.port())) {
                c.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.readResponse(Http.TIMEOUT).statusCode()).isEqualTo(200);
                long start = System.nanoTime();
                c.send("GET /partial HTTP/1.1\r\nHost: a\r\n");
                RawResponse r = c.readResponse(Http.TIMEOUT);
                assertThat(r.statusCode()).isEqualTo(408);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(200),
                        Duration.ofSeconds(3));
            }
            assertThat(b.requests()).hasSize(1);
        }
    }

    @Test
    void aBodyDribbledWithinTheBodyTimeoutPassesThoughItTakesLongerThanTheTimeout() throws Exception {
        try (TestBackend b = TestBackend.start("b")) {
            ProxyOptions options = Fixtures.options().requestBodyTimeout(Duration.ofMillis(400)).build();
            try (ProxyServer p = start(b, options); RawHttpClient c = RawHttpClient.connect(p.port())) {
                c.send("POST /dribble HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\n");
                for (int i = 0; i < 8; i++) {
                    Thread.sleep(150);
                    c.send("x");
                }
                RawResponse r = c.readResponse(Http.TIMEOUT);
                assertThat(r.statusCode()).isEqualTo(200);
                // The same connection then times out a stalled body as before.
                c.send("POST /stall HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\nxx");
                RawResponse stalled = c.readResponse(Http.TIMEOUT);
                assertThat(stalled.statusCode()).isEqualTo(408);
            }
            assertThat(b.requests().get(0).bodyBytes()).isEqualTo(8);
            assertThat(b.requests().get(0).complete()).isTrue();
        }
    }
}

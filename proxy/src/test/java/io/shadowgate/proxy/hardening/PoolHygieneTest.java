package io.shadowgate.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An upstream connection goes back to the pool only after a clean exchange. After a framing anomaly, an early
 * response, a client abort mid-request or a timeout, the gateway closes it — so a late or stray response can never
 * be read as the answer to the next request. The {@link ScriptedBackend} keeps its connections open whatever it does,
 * so only the gateway's own decision is observed. One event loop: pools are per loop, so every request can reuse
 * every pooled connection.
 */
class PoolHygieneTest {

    private static ProxyServer start(ScriptedBackend b, Duration timeout) {
        ClusterConfig c = Fixtures.cluster("v1", b.port());
        return Fixtures.start(Fixtures.snapshot(Fixtures.forward(c, timeout, RetryConfig.NONE, null), c),
                Fixtures.options().ioThreads(1).build(), new Fixtures.Logs());
    }

    @Test
    void aCleanExchangeIsPooled() throws Exception {
        try (ScriptedBackend b = new ScriptedBackend((head, in, out) -> {
            ScriptedBackend.readBody(head, in);
            out.write(ScriptedBackend.ok(head.requestLine()));
        }); ProxyServer p = start(b, Duration.ZERO)) {
            assertThat(Http.get(p.port(), "/1").statusCode()).isEqualTo(200);
            assertThat(Http.post(p.port(), "/2", Http.body(10)).statusCode()).isEqualTo(200);
            assertThat(b.connections()).isEqualTo(1);
        }
    }

    @Test
    void notPooledAfterAFramingAnomaly() throws Exception {
        try (ScriptedBackend b = new ScriptedBackend((head, in, out) -> {
            if (head.requestLine().contains("/bad")) {
                // Content-Length and Transfer-Encoding together: ambiguous framing.
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nstray!!").getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write(ScriptedBackend.ok(head.requestLine()));
            }
        }); ProxyServer p = start(b, Duration.ZERO)) {
            assertThat(Http.get(p.port(), "/bad").statusCode()).isEqualTo(502);
            RawResponse next = Http.get(p.port(), "/next");
            assertThat(next.statusCode()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("GET /next HTTP/1.1");
            assertThat(b.connections()).isEqualTo(2);
            assertThat(Http.eventually(Duration.ofSeconds(3), () -> b.closedByGateway.contains(1))).isTrue();
        }
    }

    @Test
    void notPooledAfterAnEarlyResponse() throws Exception {
        try (ScriptedBackend b = new ScriptedBackend((head, in, out) -> {
            // Answers at once, without reading the body the request announced.
            out.write(ScriptedBackend.ok(head.requestLine()));
        }); ProxyServer p = start(b, Duration.ZERO)) {
            try (RawHttpClient c = RawHttpClient.connect(p.port())) {
                c.send("POST /early HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000));
                RawResponse r = c.readResponse(Http.TIMEOUT);
                assertThat(r.statusCode()).isEqualTo(200);
                // The client connection's framing no longer lines up: closed after the response.
                assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            }
            RawResponse next = Http.get(p.port(), "/next");
            assertThat(next.bodyText()).isEqualTo("GET /next HTTP/1.1");
            assertThat(b.connections()).isEqualTo(2);
            assertThat(Http.eventually(Duration.ofSeconds(3), () -> b.closedByGateway.contains(1))).isTrue();
        }
    }

    @Test
    void notPooledAfterTheClientAbortsMidRequest() throws Exception {
        try (ScriptedBackend b = new ScriptedBackend((head, in, out) -> {
            ScriptedBackend.readBody(head, in);
            out.write(ScriptedBackend.ok(head.requestLine()));
        }); ProxyServer p = start(b, Duration.ZERO)) {
            RawHttpClient c = RawHttpClient.connect(p.port());
            c.send("POST /aborted HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(10));
            assertThat(Http.eventually(Duration.ofSeconds(3), () -> b.heads().size() == 1)).isTrue();
            c.abort();
            assertThat(Http.eventually(Duration.ofSeconds(3), () -> b.closedByGateway.contains(1))).isTrue();
            assertThat(Http.get(p.port(), "/next").bodyText()).isEqualTo("GET /next HTTP/1.1");
            assertThat(b.connections()).isEqualTo(2);
        }
    }

    @Test
    void notPooledAfterATimeoutSoALateResponseCannotAnswerTheNextRequest() throws Exception {
        try (ScriptedBackend b = new ScriptedBackend((head, in, out) -> {
            if (head.requestLine().contains("/slow")) {
                Thread.sleep(800);
            }
            out.write(ScriptedBackend.ok(head.requestLine()));
        }); ProxyServer p = start(b, Duration.ofMillis(200))) {
            assertThat(Http.get(p.port(), "/slow").statusCode()).isEqualTo(504);
            RawResponse next = Http.get(p.port(), "/next");
            assertThat(next.statusCode()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("GET /next HTTP/1.1");
            assertThat(b.connections()).isEqualTo(2);
        }
    }
}

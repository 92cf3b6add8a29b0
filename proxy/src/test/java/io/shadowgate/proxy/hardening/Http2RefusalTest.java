package io.shadowgate.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 on an HTTP/1 listener is refused clearly, never with an empty reply, and every refusal is reported to the
 * observer (the metric {@code shadowgate_downstream_rejected_total}): the prior-knowledge preface gets SETTINGS and
 * GOAWAY(HTTP_1_1_REQUIRED) with a reason, an {@code Upgrade: h2c} request 400 with the reason as body.
 */
class Http2RefusalTest {

    private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

    /** Records refusals. */
    static final class Refusals implements ProxyObserver {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onRequestRefused(int listenerPort, int status, String reason) {
            seen.add(status + " " + reason);
        }

        List<String> await(int n) throws InterruptedException {
            for (int i = 0; i < 500 && seen.size() < n; i++) {
                Thread.sleep(10);
            }
            return List.copyOf(seen);
        }
    }

    private static ProxyServer start(TestBackend b, ProxyObserver observer) {
        ClusterConfig c = Fixtures.cluster("v1", b.port());
        return Fixtures.start(Fixtures.snapshot(Fixtures.forward(c), c), Fixtures.options().build(), observer);
    }

    @Test
    void priorKnowledgeGetsAGoAwaySayingHttp2IsNotSupportedYet() throws Exception {
        Refusals refusals = new Refusals();
        try (TestBackend b = TestBackend.start("b"); ProxyServer p = start(b, refusals)) {
            byte[] reply;
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), p.port())) {
                s.setSoTimeout((int) Http.TIMEOUT.toMillis());
                s.getOutputStream().write(PREFACE.getBytes(StandardCharsets.US_ASCII));
                // An empty SETTINGS frame, as a client's own would be.
                s.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
                reply = readUntilClosed(s.getInputStream());
            }
            ByteBuffer frames = ByteBuffer.wrap(reply);
            // Frame 1: SETTINGS, empty, stream 0.
            assertThat(frames.remaining()).isGreaterThanOrEqualTo(9 + 9 + 8);
            assertThat(length(frames)).isZero();
            assertThat(frames.get()).isEqualTo((byte) 0x4);
            frames.get();
            assertThat(frames.getInt()).isZero();
            // Frame 2: GOAWAY(last stream 0, HTTP_1_1_REQUIRED) with the reason as debug data.
            int goAwayLength = length(frames);
            assertThat(frames.get()).isEqualTo((byte) 0x7);
            frames.get();
            assertThat(frames.getInt()).isZero();
            assertThat(frames.getInt()).isZero();
            assertThat(frames.getInt()).isEqualTo(0xd);
            byte[] debug = new byte[goAwayLength - 8];
            frames.get(debug);
            assertThat(new String(debug, StandardCharsets.US_ASCII)).isEqualTo("HTTP/2 is not supported yet: use HTTP/1.1");
            assertThat(refusals.await(1)).containsExactly("505 http2_prior_knowledge");
            // The connection is closed after the GOAWAY (readUntilClosed returned), and nothing was forwarded.
            assertThat(b.requests()).isEmpty();
        }
    }

    @Test
    void h2cUpgradeIsRefusedWithTheReasonAndCounted() throws Exception {
        Refusals refusals = new Refusals();
        try (TestBackend b = TestBackend.start("b"); ProxyServer p = start(b, refusals)) {
            RawResponse r = RawHttpClient.exchange(p.port(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, "
                    + "HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n", Http.TIMEOUT);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.bodyText()).contains("HTTP/2 (h2c upgrade) is not supported yet");
            assertThat(r.closedByServer()).isTrue();
            RawResponse malformed = RawHttpClient.exchange(p.port(), "GET / HTTP/1.1\r\n\r\n", Http.TIMEOUT);
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.bodyText()).isEqualTo("missing Host header\n");
            assertThat(refusals.await(2)).containsExactly("400 h2c_upgrade", "400 malformed");
            assertThat(b.requests()).isEmpty();
        }
    }

    private static int length(ByteBuffer b) {
        return ((b.get() & 0xff) << 16) | ((b.get() & 0xff) << 8) | (b.get() & 0xff);
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // A reset after the GOAWAY (lingering close) ends the reply too.
        }
        return out.toByteArray();
    }
}

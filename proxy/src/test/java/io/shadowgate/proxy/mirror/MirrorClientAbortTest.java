package io.shadowgate.proxy.mirror;

import static io.shadowgate.proxy.mirror.MirrorFixtures.cluster;
import static io.shadowgate.proxy.mirror.MirrorFixtures.dest;
import static io.shadowgate.proxy.mirror.MirrorFixtures.forward;
import static io.shadowgate.proxy.mirror.MirrorFixtures.head;
import static io.shadowgate.proxy.mirror.MirrorFixtures.mirrorAll;
import static io.shadowgate.proxy.mirror.MirrorFixtures.options;
import static io.shadowgate.proxy.mirror.MirrorFixtures.snapshot;
import static io.shadowgate.proxy.mirror.MirrorFixtures.withBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.testkit.backend.BodyPattern;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A client that gives up mid-upload: neither the primary nor the mirror may ever see the truncated request as a
 * complete one (a mirror that "completes" a half upload would write half a record to v2), the mirror is counted as
 * cancelled, no buffer leaks, and the proxy serves the next connection normally.
 */
class MirrorClientAbortTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int SIZE = 1024 * 1024;

    @ParameterizedTest(name = "chunked={0}, reset={1}")
    @CsvSource({"false, true", "false, false", "true, true", "true, false"})
    void abortedUploadIsNeverCompleteAtPrimaryOrMirror(boolean chunked, boolean reset) {
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            MirrorRecorder rec = new MirrorRecorder();
            var snap = snapshot(forward(dest(c1), List.of(mirrorAll(c2))), c1, c2);
            try (ProxyServer proxy = ProxyServer.start(snap, options().build(), rec, RandomSource.THREAD_LOCAL)) {
                byte[] half = BodyPattern.bytes(SIZE / 2);
                RawHttpClient client = RawHttpClient.connect(proxy.port());
                try {
                    if (chunked) {
                        // Whole chunks only: the truncation is at a chunk boundary, the hardest case to notice.
                        StringBuilder h = new StringBuilder(head("POST", "/abort", "x-request-id: aborted"))
                                .append("Transfer-Encoding: chunked\r\n\r\n");
                        client.send(h.toString());
                        for (int off = 0; off < half.length; off += 64 * 1024) {
                            client.send(Integer.toHexString(64 * 1024) + "\r\n");
                            client.send(Arrays.copyOfRange(half, off, off + 64 * 1024));
                            client.send("\r\n");
                        }
                    } else {
                        client.send(head("POST", "/abort", "x-request-id: aborted")
                                + "Content-Length: " + SIZE + "\r\n\r\n");
                        client.send(half);
                    }
                    // The exchange and its mirror are under way before the client goes away.
                    await().atMost(TIMEOUT).until(() -> proxy.activeRequests() == 1
                            && proxy.mirrors().inFlight(c2.name()) == 1);
                } finally {
                    if (reset) {
                        client.abort();
                    } else {
                        client.close();
                    }
                }
                assertThat(rec.awaitOutcome("aborted", TIMEOUT)).isEqualTo("cancelled");
                await().atMost(TIMEOUT).until(() -> proxy.activeRequests() == 0
                        && proxy.mirrors().inFlight(c2.name()) == 0 && proxy.mirrors().bufferedBytes() == 0);
                // Once a backend's connections are closed, every request they cut off has been recorded.
                await().atMost(TIMEOUT).until(() -> v1.openConnections() == 0 && v2.openConnections() == 0);
                for (TestBackend b : List.of(v1, v2)) {
                    for (RecordedRequest r : b.requests()) {
                        assertThat(r.complete()).as("%s at %s", r, b.name()).isFalse();
                        assertThat(r.bodyBytes()).isLessThan(SIZE);
                    }
                }
                assertThat(rec.requests()).hasSize(1);
                assertThat(rec.requests().get(0).flags()).contains("DC");

                // The proxy is fine afterwards: a complete upload is forwarded and mirrored whole.
                byte[] full = withBody("POST", "/after", BodyPattern.bytes(SIZE), "x-request-id: after");
                try (RawHttpClient again = RawHttpClient.connect(proxy.port())) {
                    again.send(full);
                    RawResponse r = again.readResponse(TIMEOUT);
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.bodyText()).contains(BodyPattern.sha256Hex(SIZE));
                }
                assertThat(rec.awaitOutcome("after", TIMEOUT)).isEqualTo("completed");
                RecordedRequest mirrored = v2.requests().stream()
                        .filter(r -> "after".equals(r.header("x-request-id"))).findFirst().orElseThrow();
                assertThat(mirrored.complete()).isTrue();
                assertThat(mirrored.bodySha256()).isEqualTo(BodyPattern.sha256Hex(SIZE));
            }
        }
    }
}

package io.shadowgate.proxy.mirror;

import static io.shadowgate.proxy.mirror.MirrorFixtures.chunked;
import static io.shadowgate.proxy.mirror.MirrorFixtures.cluster;
import static io.shadowgate.proxy.mirror.MirrorFixtures.dest;
import static io.shadowgate.proxy.mirror.MirrorFixtures.forward;
import static io.shadowgate.proxy.mirror.MirrorFixtures.mirrorAll;
import static io.shadowgate.proxy.mirror.MirrorFixtures.options;
import static io.shadowgate.proxy.mirror.MirrorFixtures.snapshot;
import static io.shadowgate.proxy.mirror.MirrorFixtures.withBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.FaultConfig;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.testkit.backend.BodyPattern;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The mirror receives exactly the body the primary receives: empty, 1 KiB and 10 MiB, with Content-Length and with
 * chunked uploads, all with the default buffer budgets (a healthy mirror is never dropped), and each request of a
 * pipelined batch with its own body.
 */
class MirrorBodyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static TestBackend v1;
    private static TestBackend v2;
    private static MirrorRecorder rec;
    private static ProxyServer proxy;
    private static ClusterConfig c2;

    @BeforeAll
    static void start() {
        v1 = TestBackend.start("v1");
        v2 = TestBackend.start("v2");
        ClusterConfig c1 = cluster("v1", v1.port());
        c2 = cluster("v2", v2.port());
        rec = new MirrorRecorder();
        proxy = ProxyServer.start(snapshot(forward(dest(c1), List.of(mirrorAll(c2))), c1, c2), options().build(),
                rec, RandomSource.THREAD_LOCAL);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        v1.close();
        v2.close();
    }

    static Stream<Arguments> bodies() {
        return Stream.of(0, 1024, 10 * 1024 * 1024).flatMap(size -> Stream.of(
                Arguments.of(size, false), Arguments.of(size, true)));
    }

    @ParameterizedTest(name = "{0} bytes, chunked={1}")
    @MethodSource("bodies")
    void mirrorGetsTheIdenticalBody(int size, boolean isChunked) {
        String id = "body-" + size + "-" + isChunked;
        byte[] body = BodyPattern.bytes(size);
        // Odd chunk size: the proxy re-chunks, only the bytes must be identical.
        byte[] request = isChunked ? chunked("POST", "/upload/" + id, body, 50_000, "x-request-id: " + id)
                : withBody("POST", "/upload/" + id, body, "x-request-id: " + id);
        RawResponse response;
        try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
            client.send(request);
            response = client.readResponse(TIMEOUT);
        }
        assertThat(response.statusCode()).as(response.toString()).isEqualTo(200);
        assertThat(response.header("x-backend")).isEqualTo("v1");

        RecordedRequest primary = only(v1, id);
        RecordedRequest mirror = awaitOnly(v2, id);
        String sha = BodyPattern.sha256Hex(size);
        for (RecordedRequest r : List.of(primary, mirror)) {
            assertThat(r.complete()).as("%s", r).isTrue();
            assertThat(r.bodyBytes()).isEqualTo(size);
            assertThat(r.bodySha256()).isEqualTo(sha);
            assertThat(r.method()).isEqualTo("POST");
        }
        assertThat(mirror.bodySha256()).isEqualTo(primary.bodySha256());
        // Same framing towards both: a length when the client gave one, chunked otherwise.
        if (isChunked) {
            assertThat(mirror.header("transfer-encoding")).isEqualToIgnoringCase("chunked");
            assertThat(primary.header("transfer-encoding")).isEqualToIgnoringCase("chunked");
        } else {
            assertThat(mirror.header("content-length")).isEqualTo(String.valueOf(size));
            assertThat(primary.header("content-length")).isEqualTo(String.valueOf(size));
        }
        assertThat(rec.awaitOutcome(id, TIMEOUT)).isEqualTo("completed");
        await().atMost(TIMEOUT).until(() -> proxy.mirrors().bufferedBytes() == 0);
    }

    /**
     * Several requests with bodies written back to back on one connection: each reaches v1 and the mirror once,
     * complete and with its own body, and the connection stays open for all of them.
     */
    @Test
    void pipelinedUploadsAreEachMirroredWithTheirOwnBody() {
        int n = 20;
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            byte[] body = BodyPattern.bytes(1000 + i * 100);
            String id = "pipe-" + i;
            all.writeBytes(i % 2 == 0 ? withBody("POST", "/pipe/" + i, body, "x-request-id: " + id)
                    : chunked("POST", "/pipe/" + i, body, 333, "x-request-id: " + id));
        }
        try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
            client.send(all.toByteArray());
            for (int i = 0; i < n; i++) {
                RawResponse r = client.readResponse(TIMEOUT);
                assertThat(r.statusCode()).as("response %d: %s", i, r).isEqualTo(200);
                assertThat(r.bodyText()).contains("\"path\":\"/pipe/" + i + "\"");
                assertThat(r.header("connection")).isNull();
            }
        }
        for (int i = 0; i < n; i++) {
            String id = "pipe-" + i;
            int size = 1000 + i * 100;
            for (RecordedRequest r : List.of(only(v1, id), awaitOnly(v2, id))) {
                assertThat(r.complete()).isTrue();
                assertThat(r.path()).isEqualTo("/pipe/" + i);
                assertThat(r.bodyBytes()).isEqualTo(size);
                assertThat(r.bodySha256()).isEqualTo(BodyPattern.sha256Hex(size));
            }
        }
    }

    /**
     * {@code Expect: 100-continue}: the proxy answers 100 itself, then the body streams to both; the mirror gets the
     * body but not the {@code Expect} header (hop-by-hop), so it never waits for a 100 of its own.
     */
    @Test
    void expectContinueUploadReachesTheMirror() {
        int size = 256 * 1024;
        try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
            client.send(MirrorFixtures.head("PUT", "/expect", "x-request-id: expect", "Expect: 100-continue")
                    + "Content-Length: " + size + "\r\n\r\n");
            RawResponse interim = client.readResponse(TIMEOUT);
            assertThat(interim.statusCode()).isEqualTo(100);
            client.send(BodyPattern.bytes(size));
            RawResponse r = client.readResponse(TIMEOUT);
            assertThat(r.statusCode()).isEqualTo(200);
        }
        RecordedRequest mirror = awaitOnly(v2, "expect");
        assertThat(mirror.complete()).isTrue();
        assertThat(mirror.bodySha256()).isEqualTo(BodyPattern.sha256Hex(size));
        assertThat(mirror.header("expect")).isNull();
        assertThat(rec.awaitOutcome("expect", TIMEOUT)).isEqualTo("completed");
    }

    /**
     * With a fault delay the mirrors start only after the delay, when the body may already have arrived: those
     * chunks must reach the mirror too (chunked, so a missing first part would still look like a complete request).
     */
    @Test
    void bodyReceivedDuringAFaultDelayReachesTheMirror() {
        int size = 200 * 1024;
        try (TestBackend p1 = TestBackend.start("fault-v1"); TestBackend p2 = TestBackend.start("fault-v2")) {
            ClusterConfig c1 = cluster("v1", p1.port());
            ClusterConfig m2 = cluster("v2", p2.port());
            MirrorRecorder faultRec = new MirrorRecorder();
            var delayed = MirrorFixtures.withFault(forward(dest(c1), List.of(mirrorAll(m2))),
                    new FaultConfig(Duration.ofMillis(300), 1_000_000, 0, null, 0));
            try (ProxyServer faulty = ProxyServer.start(snapshot(delayed, c1, m2), options().build(), faultRec,
                    RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(faulty.port())) {
                client.send(chunked("POST", "/delayed", BodyPattern.bytes(size), 10_000, "x-request-id: delayed"));
                RawResponse r = client.readResponse(TIMEOUT);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(faultRec.awaitOutcome("delayed", TIMEOUT)).isEqualTo("completed");
                for (RecordedRequest rr : List.of(only(p1, "delayed"), only(p2, "delayed"))) {
                    assertThat(rr.complete()).isTrue();
                    assertThat(rr.bodyBytes()).isEqualTo(size);
                    assertThat(rr.bodySha256()).isEqualTo(BodyPattern.sha256Hex(size));
                }
            }
        }
    }

    private static RecordedRequest only(TestBackend backend, String id) {
        List<RecordedRequest> matching = backend.requests().stream()
                .filter(r -> id.equals(r.header("x-request-id"))).toList();
        assertThat(matching).as("requests %s at %s", id, backend.name()).hasSize(1);
        return matching.get(0);
    }

    private static RecordedRequest awaitOnly(TestBackend backend, String id) {
        await().atMost(TIMEOUT).until(() -> backend.requests().stream()
                .anyMatch(r -> id.equals(r.header("x-request-id"))));
        return only(backend, id);
    }
}

package io.shadowgate.proxy.mirror;

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
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.testkit.backend.Behavior;
import io.shadowgate.testkit.backend.BodyPattern;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A hostile mirror never affects the primary: the response comes from v1 at once, and — the NGINX flaw this guards
 * against — the next request on the same client keep-alive connection is also answered at once, while the mirror
 * is still being given up on. Each mirror failure is counted with its own outcome.
 *
 * <p>The mirror timeout is 2 s, longer than the 1 s bound on each primary round trip, so a proxy that tied the
 * client connection to the mirror would fail the bound rather than be rescued by the mirror timeout; the slow
 * mirrors themselves would take 5 s or forever.
 */
class MirrorIsolationTest {

    private static final Duration MIRROR_TIMEOUT = Duration.ofSeconds(2);
    /** Generous bound on one primary round trip of a small request (it takes a few milliseconds). */
    private static final long SMALL_BOUND_MS = 1000;
    /** Generous bound for a 10 MiB upload (about 0.2 s here, 2 s on a cold JIT). */
    private static final long UPLOAD_BOUND_MS = 3000;
    private static final int BIG = 10 * 1024 * 1024;

    enum Hostile {
        REFUSED("connect_failure", false),
        ANSWERS_AFTER_5S("timeout", true),
        NEVER_RESPOND("timeout", true),
        RESET("reset", false),
        GARBAGE("protocol_error", false),
        ENDLESS_BODY("response_too_large", false),
        /** A 10 MiB upload towards a mirror that never reads: its buffers fill and the budget gives it up. */
        STALL_READ("dropped_buffer", false),
        HALF_RESPONSE("reset_after_headers", false);

        final String outcome;
        /** The mirror is still pending after both primaries finished. */
        final boolean stillPending;

        Hostile(String outcome, boolean stillPending) {
            this.outcome = outcome;
            this.stillPending = stillPending;
        }
    }

    @ParameterizedTest
    @EnumSource(Hostile.class)
    void hostileMirrorDoesNotDelayThisOrTheNextRequestOnTheConnection(Hostile hostile) {
        TestBackend mirrorBackend = switch (hostile) {
            case REFUSED -> null;
            case ANSWERS_AFTER_5S -> TestBackend.builder().name("slow").latency(Duration.ofSeconds(5)).start();
            case STALL_READ -> TestBackend.builder().name("stall").behavior(Behavior.STALL_READ)
                    .receiveBufferSize(16 * 1024).start();
            default -> TestBackend.builder().name(hostile.name()).behavior(Behavior.valueOf(hostile.name())).start();
        };
        int mirrorPort = mirrorBackend == null ? TestBackend.unusedPort() : mirrorBackend.port();
        MirrorRecorder rec = new MirrorRecorder();
        try (TestBackend v1 = TestBackend.start("v1")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", mirrorPort);
            var snap = snapshot(forward(dest(c1), List.of(mirrorAll(c2))), c1, c2);
            try (ProxyServer proxy = ProxyServer.start(snap, options().mirrorTimeout(MIRROR_TIMEOUT).build(), rec,
                    RandomSource.THREAD_LOCAL)) {
                measureTwoRequests(proxy, hostile, rec, v1, c2);
            }
        } finally {
            if (mirrorBackend != null) {
                mirrorBackend.close();
            }
        }
    }

    /**
     * The bounds are about the mirror, not about a cold JVM: some mirrored requests (small and 1 MiB uploads)
     * through a throw-away proxy first, so the first measured request does not pay for class loading and JIT
     * compilation of the data path.
     */
    @BeforeAll
    static void warmUp() {
        try (TestBackend v1 = TestBackend.start("warm-v1"); TestBackend v2 = TestBackend.start("warm-v2")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            try (ProxyServer proxy = ProxyServer.start(snapshot(forward(dest(c1), List.of(mirrorAll(c2))), c1, c2),
                    options().build(), new MirrorRecorder(), RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                for (int i = 0; i < 30; i++) {
                    byte[] body = BodyPattern.bytes(i % 10 == 0 ? 1024 * 1024 : 1024);
                    client.send(withBody("POST", "/warm/" + i, body));
                    assertThat(client.readResponse(Duration.ofSeconds(10)).statusCode()).isEqualTo(200);
                }
            }
        }
    }

    private static void measureTwoRequests(ProxyServer proxy, Hostile hostile, MirrorRecorder rec, TestBackend v1,
                                           ClusterConfig c2) {
        int size = hostile == Hostile.STALL_READ ? BIG : 1024;
        long bound = hostile == Hostile.STALL_READ ? UPLOAD_BOUND_MS : SMALL_BOUND_MS;
        byte[] body = BodyPattern.bytes(size);
        try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
            for (int k = 0; k < 2; k++) {
                String id = "iso-" + k;
                long t0 = System.nanoTime();
                client.send(withBody("POST", "/iso/" + k, body, "x-request-id: " + id));
                RawResponse r = client.readResponse(Duration.ofSeconds(10));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(r.statusCode()).as("request %d: %s", k, r).isEqualTo(200);
                assertThat(r.header("x-backend")).isEqualTo("v1");
                assertThat(r.complete()).isTrue();
                assertThat(r.closedByServer()).as("keep-alive connection kept").isFalse();
                assertThat(ms).as("request %d round trip (ms) with a %s mirror", k, hostile)
                        .isLessThanOrEqualTo(bound);
            }
            if (hostile.stillPending) {
                // Both primaries are done while the first mirror has not even timed out yet.
                assertThat(rec.mirrorsOf("iso-0")).as("mirror of request 0 still in flight").isEmpty();
            }
            // The extreme form of "the next request": two small requests pipelined in one write.
            long t0 = System.nanoTime();
            client.send(MirrorFixtures.concat(
                    withBody("POST", "/iso/p0", BodyPattern.bytes(1024), "x-request-id: iso-p0"),
                    withBody("POST", "/iso/p1", BodyPattern.bytes(1024), "x-request-id: iso-p1")));
            for (int k = 0; k < 2; k++) {
                RawResponse r = client.readResponse(Duration.ofSeconds(10));
                assertThat(r.statusCode()).as("pipelined %d: %s", k, r).isEqualTo(200);
                assertThat(r.bodyText()).contains("/iso/p" + k);
            }
            assertThat((System.nanoTime() - t0) / 1_000_000).as("pipelined pair (ms) with a %s mirror", hostile)
                    .isLessThanOrEqualTo(2 * SMALL_BOUND_MS);
        }
        for (int k = 0; k < 2; k++) {
            assertThat(rec.awaitOutcome("iso-" + k, Duration.ofSeconds(10))).as("request %d", k)
                    .isEqualTo(hostile.outcome);
            // Small bodies fit a stalled mirror's socket buffers, so there it times out instead: only "counted".
            assertThat(rec.awaitOutcome("iso-p" + k, Duration.ofSeconds(10))).isNotEqualTo("completed");
        }
        assertThat(v1.requests()).hasSize(4);
        for (RecordedRequest r : v1.requests().subList(0, 2)) {
            assertThat(r.complete()).isTrue();
            assertThat(r.bodySha256()).isEqualTo(BodyPattern.sha256Hex(size));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.mirrors().bufferedBytes() == 0
                && proxy.mirrors().inFlight(c2.name()) == 0);
        assertThat(rec.mirrors()).hasSize(4);
        assertThat(rec.requests()).extracting(l -> l.status()).containsExactly(200, 200, 200, 200);
    }

    /**
     * The mirror does not wait for the primary: with a primary that takes 1.5 s, the mirror has been received and
     * answered long before the client gets its response.
     */
    @Test
    void mirrorDoesNotWaitForASlowPrimary() {
        try (TestBackend v1 = TestBackend.builder().name("v1").latency(Duration.ofMillis(1500)).start();
             TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            MirrorRecorder rec = new MirrorRecorder();
            var snap = snapshot(forward(dest(c1), List.of(mirrorAll(c2))), c1, c2);
            try (ProxyServer proxy = ProxyServer.start(snap, options().build(), rec, RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                client.send(withBody("POST", "/slow-primary", BodyPattern.bytes(4096), "x-request-id: sp"));
                assertThat(rec.awaitOutcome("sp", Duration.ofSeconds(5))).isEqualTo("completed");
                assertThat(rec.requests()).as("primary still in flight when the mirror completed").isEmpty();
                RawResponse r = client.readResponse(Duration.ofSeconds(10));
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(v2.requests().get(0).receivedAt()).isBefore(v1.requests().get(0).receivedAt()
                        .plusMillis(1000));
            }
        }
    }

    /**
     * Once the client's request is complete the mirror is on its own (Envoy: detached after end of request): a
     * primary that fails, a client that goes away before its answer (noticed at once, flag DC, its exchange freed)
     * and a client connection closed after the answer do not cancel it.
     */
    @Test
    void mirrorOfACompleteRequestOutlivesAFailedPrimaryAndAVanishedClient() {
        try (TestBackend v1 = TestBackend.builder().name("v1").behavior(Behavior.RESET).start();
             TestBackend v2 = TestBackend.builder().name("v2").latency(Duration.ofMillis(300)).start()) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            MirrorRecorder rec = new MirrorRecorder();
            var snap = snapshot(forward(dest(c1), List.of(mirrorAll(c2))), c1, c2);
            try (ProxyServer proxy = ProxyServer.start(snap, options().build(), rec, RandomSource.THREAD_LOCAL)) {
                try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                    client.send(withBody("POST", "/p", BodyPattern.bytes(1000), "x-request-id: failed-primary"));
                    RawResponse r = client.readResponse(Duration.ofSeconds(5));
                    assertThat(r.statusCode()).isEqualTo(503);
                }
                assertThat(rec.awaitOutcome("failed-primary", Duration.ofSeconds(5))).isEqualTo("completed");

                v1.behavior(Behavior.NEVER_RESPOND);
                RawHttpClient client = RawHttpClient.connect(proxy.port());
                try {
                    client.send(withBody("POST", "/p", BodyPattern.bytes(1000), "x-request-id: vanished"));
                    v2.awaitRequests(2, Duration.ofSeconds(5));
                } finally {
                    client.abort();
                }
                assertThat(rec.awaitOutcome("vanished", Duration.ofSeconds(5))).isEqualTo("completed");
                await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeRequests() == 0);
                assertThat(rec.requests()).filteredOn(l -> "vanished".equals(l.requestId()))
                        .singleElement().satisfies(l -> assertThat(l.flags()).contains("DC"));

                // And a client that asked for "Connection: close" gets its answer and its close at once.
                v1.behavior(Behavior.NORMAL);
                try (RawHttpClient closing = RawHttpClient.connect(proxy.port())) {
                    closing.send(MirrorFixtures.get("/p", "x-request-id: closing", "Connection: close"));
                    RawResponse r = closing.readResponse(Duration.ofSeconds(5));
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(closing.awaitServerClose(Duration.ofSeconds(1))).isTrue();
                }
                assertThat(rec.awaitOutcome("closing", Duration.ofSeconds(5))).isEqualTo("completed");
                assertThat(v2.requests()).hasSize(3).allMatch(RecordedRequest::complete);
            }
        }
    }

    /** A route timeout bounds the mirror too (Envoy gives the shadow the route's global timeout). */
    @Test
    void routeTimeoutAppliesToTheMirror() {
        try (TestBackend v1 = TestBackend.start("v1");
             TestBackend v2 = TestBackend.builder().name("v2").behavior(Behavior.NEVER_RESPOND).start()) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            MirrorRecorder rec = new MirrorRecorder();
            var snap = snapshot(forward(dest(c1), List.of(mirrorAll(c2)), null, Duration.ofMillis(500),
                    MirrorOptions.DEFAULTS), c1, c2);
            try (ProxyServer proxy = ProxyServer.start(snap, options().mirrorTimeout(Duration.ofSeconds(30)).build(),
                    rec, RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                client.send(MirrorFixtures.get("/t", "x-request-id: rt"));
                assertThat(client.readResponse(Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
                assertThat(rec.awaitOutcome("rt", Duration.ofSeconds(5))).isEqualTo("timeout");
                assertThat(rec.mirrorsOf("rt").get(0).flags()).isEqualTo("UT");
            }
        }
    }

    /** A mirror answering 500 changes nothing for the client; the mirror is counted completed with its status. */
    @Test
    void mirrorErrorStatusIsCountedNotPropagated() {
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.builder().name("v2").status(500)
                .start()) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            MirrorRecorder rec = new MirrorRecorder();
            var snap = snapshot(forward(dest(c1), List.of(mirrorAll(c2))), c1, c2);
            try (ProxyServer proxy = ProxyServer.start(snap, options().build(), rec, RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                for (int k = 0; k < 5; k++) {
                    String id = "e-" + k;
                    client.send(MirrorFixtures.get("/e", "x-request-id: " + id));
                    RawResponse r = client.readResponse(Duration.ofSeconds(5));
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(rec.awaitOutcome(id, Duration.ofSeconds(5))).isEqualTo("completed");
                    assertThat(rec.mirrorsOf(id).get(0).status()).isEqualTo(500);
                }
                // Mirrors go over kept-alive connections: one after the other, one connection.
                assertThat(v2.connectionsAccepted()).isEqualTo(1);
            }
        }
    }
}

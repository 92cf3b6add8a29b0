package io.shadowgate.proxy.mirror;

import static io.shadowgate.proxy.mirror.MirrorFixtures.cluster;
import static io.shadowgate.proxy.mirror.MirrorFixtures.dest;
import static io.shadowgate.proxy.mirror.MirrorFixtures.forward;
import static io.shadowgate.proxy.mirror.MirrorFixtures.get;
import static io.shadowgate.proxy.mirror.MirrorFixtures.mirrorAll;
import static io.shadowgate.proxy.mirror.MirrorFixtures.options;
import static io.shadowgate.proxy.mirror.MirrorFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.testkit.backend.Behavior;
import io.shadowgate.testkit.backend.BodyPattern;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Mirror resource budgets: the global and per-request byte budgets under 50 parallel 10 MiB uploads to a mirror
 * that never reads, and the per-destination in-flight budget with a mirror that never answers. Primaries are never
 * affected; every mirror given up is counted.
 */
class MirrorBudgetTest {

    private static final int MIB = 1024 * 1024;

    @Test
    void fiftyParallelUploadsToAStalledMirrorStayWithinTheByteBudgets() throws Exception {
        int uploads = 50;
        long size = 10L * MIB;
        long global = 16L * MIB;
        String sha = BodyPattern.sha256Hex(size);
        try (TestBackend v1 = TestBackend.builder().name("v1").recordBodyBytes(0).start();
             TestBackend stall = TestBackend.builder().name("stall").behavior(Behavior.STALL_READ)
                     .receiveBufferSize(16 * 1024).start()) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", stall.port());
            MirrorRecorder rec = new MirrorRecorder();
            var snap = snapshot(forward(dest(c1), List.of(mirrorAll(c2))), c1, c2);
            var opts = options().mirrorGlobalBufferedBytes(global).mirrorMaxBufferedBytes(4L * MIB).build();
            try (ProxyServer proxy = ProxyServer.start(snap, opts, rec, RandomSource.THREAD_LOCAL)) {
                AtomicLong maxBuffered = new AtomicLong();
                AtomicLong samples = new AtomicLong();
                AtomicBoolean sampling = new AtomicBoolean(true);
                Thread sampler = new Thread(() -> {
                    while (sampling.get()) {
                        maxBuffered.accumulateAndGet(proxy.mirrors().bufferedBytes(), Math::max);
                        samples.incrementAndGet();
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "buffered-bytes-sampler");
                sampler.setDaemon(true);
                sampler.start();

                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
                for (int i = 0; i < uploads; i++) {
                    HttpRequest request = HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + proxy.port() + "/upload/" + i))
                            .header("x-request-id", "up-" + i)
                            .POST(HttpRequest.BodyPublishers.fromPublisher(
                                    HttpRequest.BodyPublishers.ofInputStream(() -> BodyPattern.stream(size)), size))
                            .build();
                    futures.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
                }
                for (CompletableFuture<HttpResponse<String>> f : futures) {
                    HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    assertThat(r.headers().firstValue("x-backend")).hasValue("v1");
                    assertThat(r.body()).contains("\"bodySha256\":\"" + sha + "\"");
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> rec.mirrors().size() == uploads);
                await().atMost(Duration.ofSeconds(10)).until(() -> proxy.mirrors().bufferedBytes() == 0);
                sampling.set(false);
                sampler.join(5000);

                assertThat(samples.get()).isGreaterThan(10);
                // Several mirrors buffered at once (more than one request's budget), never more than the global one.
                assertThat(maxBuffered.get()).as("peak of bufferedBytes()").isGreaterThan(4L * MIB)
                        .isLessThanOrEqualTo(global);
                assertThat(v1.requests()).hasSize(uploads);
                for (RecordedRequest r : v1.requests()) {
                    assertThat(r.complete()).isTrue();
                    assertThat(r.bodyBytes()).isEqualTo(size);
                    assertThat(r.bodySha256()).isEqualTo(sha);
                }
                assertThat(rec.mirrors()).extracting(RequestLog::mirrorOutcome).as("%s", rec.summary())
                        .allMatch(o -> Set.of("dropped_buffer", "dropped_global_buffer").contains(o));
                assertThat(rec.mirrors("dropped_global_buffer")).as("%s", rec.summary()).isPositive();
                assertThat(rec.mirrors()).extracting(RequestLog::requestId).doesNotHaveDuplicates();
                assertThat(proxy.mirrors().inFlight(c2.name())).isZero();
            }
        }
    }

    @Test
    void inFlightBudgetIsPerDestinationAndReleasedWhenMirrorsEnd() {
        try (TestBackend v1 = TestBackend.start("v1");
             TestBackend silent = TestBackend.builder().name("silent").behavior(Behavior.NEVER_RESPOND).start();
             TestBackend healthy = TestBackend.start("healthy")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig cs = cluster("silent", silent.port());
            ClusterConfig ch = cluster("healthy", healthy.port());
            MirrorRecorder rec = new MirrorRecorder();
            var snap = snapshot(forward(dest(c1), List.of(mirrorAll(cs), mirrorAll(ch))), c1, cs, ch);
            var opts = options().mirrorMaxInFlight(2).mirrorTimeout(Duration.ofSeconds(2)).build();
            try (ProxyServer proxy = ProxyServer.start(snap, opts, rec, RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                for (int i = 0; i < 10; i++) {
                    String id = "f-" + i;
                    RawResponse r = call(client, get("/f/" + i, "x-request-id: " + id));
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.header("x-backend")).isEqualTo("v1");
                    // The healthy mirror finishes on its own schedule; wait for it so that only the silent
                    // destination can ever be over its budget.
                    await().atMost(Duration.ofSeconds(5)).until(() -> rec.mirrorsOf(id).stream()
                            .anyMatch(l -> l.cluster().equals(ch.name())));
                }
                assertThat(rec.skips()).as("%s", rec.summary())
                        .hasSize(8)
                        .allMatch(s -> s.cluster().equals(cs.name()) && s.reason().equals("dropped_inflight"));
                assertThat(silent.awaitRequests(2, Duration.ofSeconds(5))).hasSize(2);
                // The budget is per destination: the healthy mirror got all ten.
                assertThat(healthy.requests()).hasSize(10);

                // Once the two silent mirrors time out, their slots are free again.
                await().atMost(Duration.ofSeconds(10)).until(() -> proxy.mirrors().inFlight(cs.name()) == 0);
                assertThat(rec.mirrors("timeout")).isEqualTo(2);
                assertThat(call(client, get("/f/again", "x-request-id: f-again")).statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(5)).until(() -> silent.requests().size() == 3);
                assertThat(rec.skips()).hasSize(8);
            }
        }
    }

    /**
     * A body that fits the per-request budget (12 MiB of 32; more than the kernel's socket buffers absorb) towards a
     * mirror that stops reading: it can never be written out completely, so a timeout that only starts once the copy
     * is fully sent would never fire and the mirror would hold its buffers, its in-flight slot and its connection for
     * ever. The mirror timeout must bound it: counted as {@code timeout}, buffers and slot returned.
     */
    @Test
    void mirrorThatStopsReadingWithinBudgetStillTimesOutAndReleasesEverything() {
        int size = 12 * MIB;
        try (TestBackend v1 = TestBackend.builder().name("v1").recordBodyBytes(0).start();
             TestBackend stall = TestBackend.builder().name("stall").behavior(Behavior.STALL_READ)
                     .receiveBufferSize(16 * 1024).start()) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", stall.port());
            MirrorRecorder rec = new MirrorRecorder();
            var snap = snapshot(forward(dest(c1), List.of(mirrorAll(c2))), c1, c2);
            var opts = options().mirrorMaxBufferedBytes(32L * MIB).mirrorTimeout(Duration.ofSeconds(1)).build();
            try (ProxyServer proxy = ProxyServer.start(snap, opts, rec, RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                for (int i = 0; i < 2; i++) {
                    client.send(MirrorFixtures.withBody("POST", "/s/" + i, BodyPattern.bytes(size),
                            "x-request-id: s-" + i));
                    RawResponse r = client.readResponse(Duration.ofSeconds(10));
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.bodyText()).contains(BodyPattern.sha256Hex(size));
                }
                for (int i = 0; i < 2; i++) {
                    assertThat(rec.awaitOutcome("s-" + i, Duration.ofSeconds(10))).isEqualTo("timeout");
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> proxy.mirrors().bufferedBytes() == 0
                        && proxy.mirrors().inFlight(c2.name()) == 0);
            }
        }
    }

    private static RawResponse call(RawHttpClient client, String request) {
        client.send(request);
        return client.readResponse(Duration.ofSeconds(10));
    }
}

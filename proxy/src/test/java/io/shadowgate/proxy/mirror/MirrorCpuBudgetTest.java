package io.shadowgate.proxy.mirror;

import static io.shadowgate.proxy.mirror.MirrorFixtures.cluster;
import static io.shadowgate.proxy.mirror.MirrorFixtures.dest;
import static io.shadowgate.proxy.mirror.MirrorFixtures.forward;
import static io.shadowgate.proxy.mirror.MirrorFixtures.get;
import static io.shadowgate.proxy.mirror.MirrorFixtures.mirrorAll;
import static io.shadowgate.proxy.mirror.MirrorFixtures.options;
import static io.shadowgate.proxy.mirror.MirrorFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The per-event-loop CPU budget for mirrors, over real sockets: a loop over its budget starts no mirror (counted
 * {@code dropped_cpu}) while primaries are answered as usual; with the budget off every request is mirrored.
 */
class MirrorCpuBudgetTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void budgetZeroDropsEveryMirrorAndPrimariesStillAnswer() {
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            MirrorRecorder rec = new MirrorRecorder();
            var snap = snapshot(forward(dest(c1), List.of(mirrorAll(c2))), c1, c2);
            try (ProxyServer proxy = ProxyServer.start(snap, options().mirrorCpuBudget(0).build(), rec,
                    RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                for (int i = 0; i < 20; i++) {
                    RawResponse r = call(client, get("/c/" + i));
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.header("x-backend")).isEqualTo("v1");
                }
                await().atMost(TIMEOUT).until(() -> rec.requests().size() == 20);
                assertThat(rec.skips()).hasSize(20)
                        .allMatch(s -> s.cluster().equals(c2.name()) && s.reason().equals("dropped_cpu"));
                assertThat(rec.mirrors()).isEmpty();
                assertThat(v2.requests()).isEmpty();
                assertThat(v1.requests()).hasSize(20);
                assertThat(proxy.mirrors().inFlight(c2.name())).isZero();
            }
        }
    }

    @Test
    void budgetOffMirrorsEveryRequest() {
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            MirrorRecorder rec = new MirrorRecorder();
            var snap = snapshot(forward(dest(c1), List.of(mirrorAll(c2))), c1, c2);
            try (ProxyServer proxy = ProxyServer.start(snap, options().mirrorCpuBudget(1).build(), rec,
                    RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                for (int i = 0; i < 20; i++) {
                    assertThat(call(client, get("/c/" + i)).statusCode()).isEqualTo(200);
                }
                await().atMost(TIMEOUT).until(() -> rec.mirrors("completed") == 20);
                assertThat(rec.skips()).isEmpty();
                assertThat(v2.awaitRequests(20, TIMEOUT)).hasSize(20);
            }
        }
    }

    /**
     * The loop is really kept busy (an observer spins on it for 300 ms of CPU): the next request's mirror is dropped;
     * after an idle pause the loop's share falls under the budget and mirrors start again. The budget is low (0.1)
     * so that a loaded test machine, which stretches the spin in wall-clock time, still trips it.
     */
    @Test
    void aBusyLoopSkipsMirrorsUntilItHasTimeAgain() throws Exception {
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            AtomicLong spun = new AtomicLong();
            MirrorRecorder rec = new MirrorRecorder();
            ProxyObserver spinner = new ProxyObserver() {
                @Override
                public void onRequest(RequestLog log) {
                    rec.onRequest(log);
                    if ("spin".equals(log.requestId())) {
                        // 300 ms of the loop's own CPU time, however long a loaded machine makes that take.
                        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
                        long end = threads.getCurrentThreadCpuTime() + TimeUnit.MILLISECONDS.toNanos(300);
                        while (threads.getCurrentThreadCpuTime() < end) {
                            spun.incrementAndGet();
                        }
                    }
                }

                @Override
                public void onMirror(RequestLog log) {
                    rec.onMirror(log);
                }

                @Override
                public void onMirrorSkipped(String cluster, String reason) {
                    rec.onMirrorSkipped(cluster, reason);
                }
            };
            var snap = snapshot(forward(dest(c1), List.of(mirrorAll(c2))), c1, c2);
            var opts = options().ioThreads(1).mirrorCpuBudget(0.1).build();
            try (ProxyServer proxy = ProxyServer.start(snap, opts, spinner, RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                // Opens the loop's first window; the observer then holds the loop for 300 ms.
                assertThat(call(client, get("/busy", "x-request-id: spin")).statusCode()).isEqualTo(200);
                assertThat(call(client, get("/after-busy", "x-request-id: after-busy")).statusCode())
                        .isEqualTo(200);
                await().atMost(TIMEOUT).until(() -> rec.requests().size() == 2);
                assertThat(spun.get()).isPositive();
                assertThat(rec.skips()).containsExactly(new MirrorRecorder.Skip(c2.name(), "dropped_cpu"));
                assertThat(rec.mirrorsOf("after-busy")).isEmpty();

                Thread.sleep(1500);
                assertThat(call(client, get("/rested", "x-request-id: rested")).statusCode()).isEqualTo(200);
                await().atMost(TIMEOUT).until(() -> rec.mirrorsOf("rested").size() == 1);
                assertThat(rec.mirrorsOf("rested").get(0).mirrorOutcome()).isEqualTo("completed");
                assertThat(rec.skips()).hasSize(1);
                assertThat(rec.mirrorsOf("spin")).hasSize(1);
            }
        }
    }

    @Test
    void busyFractionIsMeasuredPerWindowOfAtLeast100Ms() {
        long[] busy = {0};
        LoopLoad load = new LoopLoad(() -> busy[0]);
        long ms = 1_000_000;
        assertThat(load.busyFraction(0)).isZero();
        busy[0] = 90 * ms;
        assertThat(load.busyFraction(50 * ms)).as("window not complete: the last one counts").isZero();
        assertThat(load.busyFraction(100 * ms)).isEqualTo(0.9);
        busy[0] += 10 * ms;
        assertThat(load.busyFraction(150 * ms)).isEqualTo(0.9);
        busy[0] += 10 * ms;
        assertThat(load.busyFraction(300 * ms)).isEqualTo(0.1);
        // A long idle stretch averages out.
        busy[0] += 100 * ms;
        assertThat(load.busyFraction(10_300 * ms)).isEqualTo(0.01);
    }

    @Test
    void theDefaultBudgetIsOffAndValidated() {
        assertThat(ProxyOptions.defaults().mirror().cpuBudget()).isEqualTo(1.0);
        assertThatThrownBy(() -> ProxyOptions.builder().mirrorCpuBudget(1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyOptions.builder().mirrorCpuBudget(-0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(LoopLoad.platformBusyClock().getAsLong()).isNotNegative();
    }

    private static RawResponse call(RawHttpClient client, String request) {
        client.send(request);
        return client.readResponse(TIMEOUT);
    }
}

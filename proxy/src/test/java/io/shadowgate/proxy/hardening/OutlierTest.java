package io.shadowgate.proxy.hardening;

import static io.shadowgate.proxy.hardening.Fixtures.RR;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.config.snapshot.OutlierConfig;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.upstream.UpstreamEndpoint;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * DestinationRule {@code outlierDetection} over real sockets: consecutive 5xx and gateway errors (connect failures
 * count) eject an endpoint, the balancer skips it, it comes back after {@code baseEjectionTime × ejections},
 * {@code maxEjectionPercent} and {@code minHealthPercent} (panic) apply, and an all-ejected cluster answers 503
 * {@code UH}. What {@code /clusters} shows ({@link UpstreamEndpoint#ejected}, {@link UpstreamEndpoint#ejections}) is
 * asserted directly.
 */
class OutlierTest {

    private static ProxyServer start(ClusterConfig c, Fixtures.Logs logs) {
        return Fixtures.start(Fixtures.snapshot(Fixtures.forward(c, Duration.ZERO, RetryConfig.NONE, null), c),
                Fixtures.options().build(), logs);
    }

    private static ClusterConfig cluster(OutlierConfig outlier, int... ports) {
        return Fixtures.cluster("v1", ConnectionPoolConfig.DEFAULT, outlier, RR, ports);
    }

    private static boolean ejected(UpstreamEndpoint e) {
        return e.ejected(System.nanoTime());
    }

    /** Sends requests until {@code backend} has seen {@code n} of them (bounded). */
    private static void driveUntil(ProxyServer p, TestBackend backend, int n) {
        for (int i = 0; i < 60 && backend.requests().size() < n; i++) {
            Http.get(p.port(), "/d" + i);
        }
        assertThat(backend.requests()).hasSize(n);
    }

    @Test
    void consecutive5xxEjectsThenRestoresWithLongerEjections() {
        try (TestBackend bad = TestBackend.builder().name("bad").status(500).start();
             TestBackend good1 = TestBackend.start("good1");
             TestBackend good2 = TestBackend.start("good2")) {
            Duration base = Duration.ofMillis(1000);
            ClusterConfig c = cluster(new OutlierConfig(3, 0, Duration.ofMillis(50), base, 100, 0),
                    bad.port(), good1.port(), good2.port());
            try (ProxyServer p = start(c, new Fixtures.Logs())) {
                UpstreamEndpoint e = Fixtures.endpoint(p, c, bad.port());
                driveUntil(p, bad, 3);
                assertThat(ejected(e)).isTrue();
                assertThat(e.ejections()).isEqualTo(1);
                for (int i = 0; i < 9; i++) {
                    assertThat(Http.get(p.port(), "/skip" + i).statusCode()).isEqualTo(200);
                }
                assertThat(bad.requests()).hasSize(3);
                // Back after the base ejection time.
                assertThat(Http.eventually(base.multipliedBy(3), () -> !ejected(e))).isTrue();
                driveUntil(p, bad, 6);
                long observed = System.nanoTime();
                assertThat(ejected(e)).isTrue();
                assertThat(e.ejections()).isEqualTo(2);
                // The second ejection lasts 2 × base: still ejected past 1 × base.
                long wait = base.toNanos() + base.toNanos() / 10 - (System.nanoTime() - observed);
                if (wait > 0) {
                    Http.eventually(Duration.ofNanos(wait), () -> false);
                }
                assertThat(ejected(e)).isTrue();
                assertThat(Http.eventually(base.multipliedBy(3), () -> !ejected(e))).isTrue();
                assertThat(Fixtures.runtime(p, c).stats().ejections.sum()).isEqualTo(2);
            }
        }
    }

    @Test
    void connectFailuresCountAsGatewayErrors() {
        int dead = TestBackend.unusedPort();
        try (TestBackend good = TestBackend.start("good")) {
            ClusterConfig c = cluster(new OutlierConfig(0, 2, Duration.ofMillis(50), Duration.ofSeconds(30), 100, 0),
                    dead, good.port());
            try (ProxyServer p = start(c, new Fixtures.Logs())) {
                UpstreamEndpoint e = Fixtures.endpoint(p, c, dead);
                int failures = 0;
                for (int i = 0; i < 10 && !ejected(e); i++) {
                    if (Http.get(p.port(), "/g" + i).statusCode() == 503) {
                        failures++;
                    }
                }
                assertThat(ejected(e)).isTrue();
                assertThat(failures).isEqualTo(2);
                for (int i = 0; i < 6; i++) {
                    assertThat(Http.get(p.port(), "/ok" + i).statusCode()).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void maxEjectionPercentLeavesEndpointsInService() {
        try (TestBackend bad1 = TestBackend.builder().name("bad1").status(503).start();
             TestBackend bad2 = TestBackend.builder().name("bad2").status(503).start()) {
            ClusterConfig c = cluster(new OutlierConfig(2, 0, Duration.ofMillis(50), Duration.ofSeconds(30), 50, 0),
                    bad1.port(), bad2.port());
            try (ProxyServer p = start(c, new Fixtures.Logs())) {
                for (int i = 0; i < 10; i++) {
                    Http.get(p.port(), "/m" + i);
                }
                long ejectedCount = Fixtures.runtime(p, c).endpoints().stream().filter(OutlierTest::ejected).count();
                assertThat(ejectedCount).isEqualTo(1);
                assertThat(Fixtures.runtime(p, c).stats().ejectionsOverflow.sum()).isPositive();
            }
        }
    }

    @Test
    void aClusterWithEveryEndpointEjectedAnswers503UH() {
        try (TestBackend bad = TestBackend.builder().name("bad").status(503).start()) {
            ClusterConfig c = cluster(new OutlierConfig(2, 0, Duration.ofMillis(50), Duration.ofSeconds(30), 10, 0),
                    bad.port());
            Fixtures.Logs logs = new Fixtures.Logs();
            try (ProxyServer p = start(c, logs)) {
                Http.get(p.port(), "/1");
                Http.get(p.port(), "/2");
                // maxEjectionPercent 10 of one endpoint: Envoy still ejects one.
                RawResponse r = Http.get(p.port(), "/3");
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.bodyText()).isEqualTo("no healthy upstream");
                assertThat(logs.forPath("/3").flags()).isEqualTo("UH");
            }
            assertThat(bad.requests()).hasSize(2);
        }
    }

    @Test
    void belowMinHealthPercentEjectionsAreIgnored() {
        try (TestBackend bad = TestBackend.builder().name("bad").status(503).start();
             TestBackend good = TestBackend.start("good")) {
            ClusterConfig c = cluster(new OutlierConfig(2, 0, Duration.ofMillis(50), Duration.ofSeconds(30), 100, 60),
                    bad.port(), good.port());
            try (ProxyServer p = start(c, new Fixtures.Logs())) {
                UpstreamEndpoint e = Fixtures.endpoint(p, c, bad.port());
                driveUntil(p, bad, 2);
                assertThat(ejected(e)).isTrue();
                // 50 % healthy < 60 %: panic, the balancer uses every endpoint again.
                for (int i = 0; i < 6; i++) {
                    Http.get(p.port(), "/p" + i);
                }
                assertThat(bad.requests().size()).isGreaterThan(2);
            }
        }
    }
}

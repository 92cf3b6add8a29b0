package io.shadowgate.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.FaultConfig;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * VirtualService {@code fault}: aborts (HTTP and gRPC status) and delays with percentages, as Envoy's fault filter
 * applies them: before the router, so an aborted request never reaches the upstream or a mirror; a delay first,
 * then the abort.
 */
class FaultTest {

    private static ProxyServer start(FaultConfig fault, Fixtures.Logs logs, ClusterConfig c, ClusterConfig mirror) {
        return Fixtures.start(Fixtures.snapshot(Fixtures.forward(c, Duration.ZERO, RetryConfig.ISTIO_DEFAULT, fault,
                mirror), c, mirror), Fixtures.options().build(), logs);
    }

    @Test
    void httpAbortAnswersLocallyAndNeverForwardsOrMirrors() {
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c = Fixtures.cluster("v1", v1.port());
            ClusterConfig m = Fixtures.cluster("v2", v2.port());
            Fixtures.Logs logs = new Fixtures.Logs();
            try (ProxyServer p = start(new FaultConfig(null, 0, 418, null, 1_000_000), logs, c, m)) {
                RawResponse r = Http.post(p.port(), "/f", Http.body(10));
                assertThat(r.statusCode()).isEqualTo(418);
                assertThat(r.bodyText()).isEqualTo("fault filter abort");
                assertThat(logs.last().flags()).isEqualTo("FI");
            }
            assertThat(v1.requests()).isEmpty();
            assertThat(v2.requests()).isEmpty();
        }
    }

    @Test
    void grpcAbortAnswers200WithGrpcStatus() {
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c = Fixtures.cluster("v1", v1.port());
            ClusterConfig m = Fixtures.cluster("v2", v2.port());
            try (ProxyServer p = start(new FaultConfig(null, 0, 0, "UNAVAILABLE", 1_000_000), new Fixtures.Logs(), c, m)) {
                RawResponse r = Http.get(p.port(), "/g");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.header("grpc-status")).isEqualTo("14");
                assertThat(r.header("content-type")).isEqualTo("application/grpc");
            }
            assertThat(v1.requests()).isEmpty();
        }
    }

    @Test
    void delayThenForward() {
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c = Fixtures.cluster("v1", v1.port());
            ClusterConfig m = Fixtures.cluster("v2", v2.port());
            Fixtures.Logs logs = new Fixtures.Logs();
            try (ProxyServer p = start(new FaultConfig(Duration.ofMillis(300), 1_000_000, 0, null, 0), logs, c, m)) {
                long start = System.nanoTime();
                RawResponse r = Http.post(p.port(), "/d", Http.body(100));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(logs.last().flags()).isEqualTo("DI");
                v2.awaitRequests(1, Duration.ofSeconds(5));
            }
            assertThat(v1.requests()).hasSize(1);
            assertThat(v1.requests().get(0).bodyBytes()).isEqualTo(100);
        }
    }

    @Test
    void delayComesBeforeAbortLikeEnvoy() {
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c = Fixtures.cluster("v1", v1.port());
            ClusterConfig m = Fixtures.cluster("v2", v2.port());
            Fixtures.Logs logs = new Fixtures.Logs();
            FaultConfig both = new FaultConfig(Duration.ofMillis(200), 1_000_000, 503, null, 1_000_000);
            try (ProxyServer p = start(both, logs, c, m)) {
                long start = System.nanoTime();
                assertThat(Http.get(p.port(), "/b").statusCode()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
                assertThat(logs.last().flags()).isEqualTo("DI,FI");
            }
            assertThat(v1.requests()).isEmpty();
        }
    }

    @Test
    void percentagesApply() {
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c = Fixtures.cluster("v1", v1.port());
            ClusterConfig m = Fixtures.cluster("v2", v2.port());
            try (ProxyServer p = start(new FaultConfig(Duration.ofSeconds(5), 0, 503, null, 500_000),
                    new Fixtures.Logs(), c, m)) {
                int aborted = 0;
                int n = 100;
                for (int i = 0; i < n; i++) {
                    if (Http.get(p.port(), "/p" + i).statusCode() == 503) {
                        aborted++;
                    }
                }
                // Binomial(100, 0.5): the standard deviation is 5; a 0 % delay never delays.
                assertThat(aborted).isBetween(25, 75);
                assertThat(v1.requests()).hasSize(n - aborted);
            }
        }
    }
}

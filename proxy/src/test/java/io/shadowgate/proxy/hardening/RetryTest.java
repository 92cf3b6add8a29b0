package io.shadowgate.proxy.hardening;

import static io.shadowgate.proxy.hardening.Fixtures.RR;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.testkit.backend.Behavior;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * VirtualService {@code retries} over real sockets against failing backends: what is retried (policies), how often
 * ({@code attempts}, {@code x-envoy-attempt-count}, {@code URX}), where ({@code retryIgnorePreviousHosts}), with
 * which body (replayed exactly, or not retried at all past the retry buffer), never after the response started,
 * never re-sending mirrors, and within the cluster's {@code maxRetries}.
 */
class RetryTest {

    private static final Duration NO_TIMEOUT = Duration.ZERO;

    private static ProxyServer start(ClusterConfig c, RetryConfig retries, Fixtures.Logs logs, ClusterConfig... more) {
        return start(c, retries, logs, Fixtures.options().build(), more);
    }

    private static ProxyServer start(ClusterConfig c, RetryConfig retries, Fixtures.Logs logs, ProxyOptions options,
                                     ClusterConfig... mirrors) {
        ClusterConfig[] all = new ClusterConfig[mirrors.length + 1];
        all[0] = c;
        System.arraycopy(mirrors, 0, all, 1, mirrors.length);
        return Fixtures.start(Fixtures.snapshot(Fixtures.forward(c, NO_TIMEOUT, retries, null, mirrors), all), options,
                logs);
    }

    private static ClusterConfig rr(int... ports) {
        return Fixtures.cluster("v1", ConnectionPoolConfig.DEFAULT, null, RR, ports);
    }

    @Test
    void a5xxIsRetriedOnAnotherEndpointWithTheAttemptCount() {
        try (TestBackend bad = TestBackend.builder().name("bad").status(503).start();
             TestBackend good = TestBackend.start("good")) {
            ClusterConfig c = rr(bad.port(), good.port());
            try (ProxyServer p = start(c, Fixtures.retries(2, "5xx"), new Fixtures.Logs())) {
                for (int i = 0; i < 6; i++) {
                    RawResponse r = Http.get(p.port(), "/r" + i);
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.header("x-backend")).isEqualTo("good");
                }
                assertThat(Http.eventually(Duration.ofSeconds(2), () -> p.retryBufferedBytes() == 0)).isTrue();
            }
            assertThat(bad.requests()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.header("x-envoy-attempt-count")).isEqualTo("1"));
            long retried = good.requests().stream().filter(r -> "2".equals(r.header("x-envoy-attempt-count"))).count();
            assertThat(retried).isEqualTo(bad.requests().size());
            assertThat(good.requests()).hasSize(6);
        }
    }

    @Test
    void attemptsExhaustedForwardsTheLastResponseWithURX() {
        try (TestBackend bad = TestBackend.builder().name("bad").status(503).start()) {
            ClusterConfig c = rr(bad.port());
            Fixtures.Logs logs = new Fixtures.Logs();
            try (ProxyServer p = start(c, Fixtures.retries(2, "5xx"), logs)) {
                RawResponse r = Http.get(p.port(), "/x");
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.header("x-backend")).isEqualTo("bad");
                assertThat(logs.last().flags()).contains("URX");
                assertThat(Fixtures.runtime(p, c).stats().retries.sum()).isEqualTo(2);
                assertThat(Fixtures.runtime(p, c).stats().retryLimitExceeded.sum()).isEqualTo(1);
            }
            assertThat(bad.requests()).extracting(rr -> rr.header("x-envoy-attempt-count"))
                    .containsExactly("1", "2", "3");
        }
    }

    @Test
    void theBodyIsReplayedExactly() {
        try (TestBackend bad = TestBackend.builder().name("bad").status(502).start();
             TestBackend good = TestBackend.start("good")) {
            ClusterConfig c = rr(bad.port(), good.port());
            byte[] body = Http.body(20_000);
            try (ProxyServer p = start(c, Fixtures.retries(1, "gateway-error"), new Fixtures.Logs())) {
                RawResponse r = Http.post(p.port(), "/upload", body);
                assertThat(r.statusCode()).isEqualTo(200);
            }
            RecordedRequest first = bad.requests().get(0);
            RecordedRequest retry = good.requests().get(0);
            for (RecordedRequest rr : List.of(first, retry)) {
                assertThat(rr.complete()).isTrue();
                assertThat(rr.bodyBytes()).isEqualTo(body.length);
                assertThat(rr.bodySha256()).isEqualTo(Http.sha256(body));
            }
            assertThat(retry.header("x-envoy-attempt-count")).isEqualTo("2");
        }
    }

    @Test
    void aBodyLargerThanTheRetryBufferIsNotRetriedAndNeverTruncated() {
        try (TestBackend bad = TestBackend.builder().name("bad").status(503).start()) {
            ClusterConfig c = rr(bad.port());
            ProxyOptions options = Fixtures.options().retryBufferBytes(1024).build();
            try (ProxyServer p = start(c, Fixtures.retries(2, "5xx"), new Fixtures.Logs(), options)) {
                byte[] small = Http.body(1000);
                assertThat(Http.post(p.port(), "/small", small).statusCode()).isEqualTo(503);
                byte[] big = Http.body(4096);
                assertThat(Http.post(p.port(), "/big", big).statusCode()).isEqualTo(503);
                assertThat(Fixtures.runtime(p, c).stats().retryBufferOverflow.sum()).isEqualTo(1);
                assertThat(Fixtures.runtime(p, c).stats().retrySkippedBody.sum()).isEqualTo(1);
            }
            List<RecordedRequest> small = bad.requests().stream().filter(r -> r.path().equals("/small")).toList();
            List<RecordedRequest> big = bad.requests().stream().filter(r -> r.path().equals("/big")).toList();
            assertThat(small).hasSize(3).allSatisfy(r -> {
                assertThat(r.complete()).isTrue();
                assertThat(r.bodyBytes()).isEqualTo(1000);
            });
            assertThat(big).hasSize(1);
            assertThat(big.get(0).bodyBytes()).isEqualTo(4096);
        }
    }

    @Test
    void theGlobalRetryBufferBudgetIsEnforced() {
        try (TestBackend bad = TestBackend.builder().name("bad").status(503).start()) {
            ClusterConfig c = rr(bad.port());
            ProxyOptions options = Fixtures.options().retryGlobalBufferBytes(1024).build();
            try (ProxyServer p = start(c, Fixtures.retries(2, "5xx"), new Fixtures.Logs(), options)) {
                assertThat(Http.post(p.port(), "/b", Http.body(2000)).statusCode()).isEqualTo(503);
                assertThat(Fixtures.runtime(p, c).stats().retryBufferOverflow.sum()).isEqualTo(1);
                // Every reservation is returned when the exchange ends.
                assertThat(Http.eventually(Duration.ofSeconds(2), () -> p.retryBufferedBytes() == 0)).isTrue();
            }
            assertThat(bad.requests()).hasSize(1);
        }
    }

    @Test
    void istioDefaultRetriesConnectFailuresButNot5xx() {
        int dead = TestBackend.unusedPort();
        try (TestBackend good = TestBackend.start("good");
             TestBackend bad = TestBackend.builder().name("bad").status(503).start()) {
            ClusterConfig c = rr(dead, good.port());
            try (ProxyServer p = start(c, RetryConfig.ISTIO_DEFAULT, new Fixtures.Logs())) {
                for (int i = 0; i < 4; i++) {
                    assertThat(Http.get(p.port(), "/c" + i).statusCode()).isEqualTo(200);
                }
                assertThat(Fixtures.endpoint(p, c, dead).consecutiveGatewayErrors().get()).isGreaterThan(0);
            }
            ClusterConfig c2 = rr(bad.port(), good.port());
            try (ProxyServer p = start(c2, RetryConfig.ISTIO_DEFAULT, new Fixtures.Logs())) {
                assertThat(Http.get(p.port(), "/first").statusCode()).isEqualTo(503);
            }
            assertThat(bad.requests()).hasSize(1);
        }
    }

    @Test
    void resetsAreRetriedUnderResetNotUnderConnectFailure() {
        try (TestBackend reset = TestBackend.builder().name("reset").behavior(Behavior.RESET).start();
             TestBackend good = TestBackend.start("good")) {
            ClusterConfig c = rr(reset.port(), good.port());
            try (ProxyServer p = start(c, Fixtures.retries(1, "reset"), new Fixtures.Logs())) {
                assertThat(Http.get(p.port(), "/a").statusCode()).isEqualTo(200);
            }
            Fixtures.Logs logs = new Fixtures.Logs();
            try (ProxyServer p = start(c, Fixtures.retries(1, "connect-failure"), logs)) {
                RawResponse r = Http.get(p.port(), "/b");
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(logs.last().flags()).contains("UC");
            }
        }
    }

    @Test
    void perTryTimeoutMovesOnToAnotherEndpoint() {
        try (TestBackend hung = TestBackend.builder().name("hung").behavior(Behavior.NEVER_RESPOND).start();
             TestBackend good = TestBackend.start("good")) {
            ClusterConfig c = rr(hung.port(), good.port());
            RetryConfig retries = Fixtures.retries(1, Duration.ofMillis(300), Set.of(), "5xx");
            long start = System.nanoTime();
            try (ProxyServer p = start(c, retries, new Fixtures.Logs())) {
                RawResponse r = Http.get(p.port(), "/slow");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.header("x-backend")).isEqualTo("good");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            assertThat(hung.requests()).hasSize(1);
        }
    }

    @Test
    void perTryTimeoutWithoutAttemptsLeftAnswers504() {
        try (TestBackend hung = TestBackend.builder().name("hung").behavior(Behavior.NEVER_RESPOND).start()) {
            ClusterConfig c = rr(hung.port());
            Fixtures.Logs logs = new Fixtures.Logs();
            try (ProxyServer p = start(c, Fixtures.retries(1, Duration.ofMillis(200), Set.of(), "5xx"), logs)) {
                RawResponse r = Http.get(p.port(), "/slow");
                assertThat(r.statusCode()).isEqualTo(504);
                assertThat(logs.last().flags()).contains("UT").contains("URX");
                // Both attempts were timed out, so both connections were closed, never pooled.
                assertThat(Http.eventually(Duration.ofSeconds(3), () -> hung.openConnections() == 0)).isTrue();
            }
            assertThat(hung.requests()).hasSize(2);
        }
    }

    @Test
    void noRetryOnceTheResponseStarted() {
        try (TestBackend half = TestBackend.builder().name("half").behavior(Behavior.HALF_RESPONSE).start()) {
            ClusterConfig c = rr(half.port());
            try (ProxyServer p = start(c, Fixtures.retries(3, "5xx", "reset", "gateway-error"), new Fixtures.Logs())) {
                RawResponse r = Http.get(p.port(), "/half");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.complete()).isFalse();
                assertThat(r.closedByServer()).isTrue();
            }
            assertThat(half.requests()).hasSize(1);
        }
    }

    @Test
    void statusCodeRetriable4xxAndGrpcPolicies() {
        try (TestBackend tooMany = TestBackend.builder().name("429").status(429).start();
             TestBackend conflict = TestBackend.builder().name("409").status(409).start();
             TestBackend grpc = TestBackend.builder().name("grpc").responseHeader("grpc-status", "14").start();
             TestBackend good = TestBackend.start("good")) {
            ClusterConfig c1 = rr(tooMany.port(), good.port());
            try (ProxyServer p = start(c1, Fixtures.retries(1, Duration.ZERO, Set.of(429), "retriable-status-codes"),
                    new Fixtures.Logs())) {
                assertThat(Http.get(p.port(), "/a").header("x-backend")).isEqualTo("good");
            }
            ClusterConfig c2 = rr(conflict.port(), good.port());
            try (ProxyServer p = start(c2, Fixtures.retries(1, "retriable-4xx"), new Fixtures.Logs())) {
                assertThat(Http.get(p.port(), "/b").header("x-backend")).isEqualTo("good");
            }
            ClusterConfig c3 = rr(grpc.port(), good.port());
            try (ProxyServer p = start(c3, RetryConfig.ISTIO_DEFAULT, new Fixtures.Logs())) {
                RawResponse r = Http.get(p.port(), "/c");
                assertThat(r.header("x-backend")).isEqualTo("good");
                assertThat(r.header("grpc-status")).isNull();
            }
            assertThat(tooMany.requests()).hasSize(1);
            assertThat(conflict.requests()).hasSize(1);
            assertThat(grpc.requests()).hasSize(1);
        }
    }

    @Test
    void maxRetriesIsACircuitBreaker() {
        try (TestBackend bad = TestBackend.builder().name("bad").status(503).start()) {
            ClusterConfig c = Fixtures.cluster("v1", Fixtures.pool(Integer.MAX_VALUE, Integer.MAX_VALUE,
                    Integer.MAX_VALUE, 0), null, RR, bad.port());
            Fixtures.Logs logs = new Fixtures.Logs();
            try (ProxyServer p = start(c, Fixtures.retries(2, "5xx"), logs)) {
                assertThat(Http.get(p.port(), "/x").statusCode()).isEqualTo(503);
                RequestLog log = logs.last();
                assertThat(log.flags()).contains("UO");
                assertThat(Fixtures.runtime(p, c).stats().retryOverflow.sum()).isEqualTo(1);
                assertThat(Fixtures.runtime(p, c).activeRetries().get()).isZero();
            }
            assertThat(bad.requests()).hasSize(1);
        }
    }

    @Test
    void mirrorsAreNeverResentByRetries() {
        try (TestBackend bad = TestBackend.builder().name("bad").status(503).start();
             TestBackend good = TestBackend.start("good");
             TestBackend shadow = TestBackend.start("shadow")) {
            ClusterConfig c = rr(bad.port(), good.port());
            ClusterConfig m = Fixtures.cluster("v2", shadow.port());
            try (ProxyServer p = start(c, Fixtures.retries(2, "5xx"), new Fixtures.Logs(), Fixtures.options().build(),
                    m)) {
                for (int i = 0; i < 4; i++) {
                    assertThat(Http.post(p.port(), "/m" + i, Http.body(100)).statusCode()).isEqualTo(200);
                }
                shadow.awaitRequests(4, Duration.ofSeconds(5));
            }
            assertThat(bad.requests()).isNotEmpty();
            assertThat(shadow.requests()).hasSize(4)
                    .allSatisfy(r -> assertThat(r.header("x-envoy-attempt-count")).isEqualTo("1"));
        }
    }
}

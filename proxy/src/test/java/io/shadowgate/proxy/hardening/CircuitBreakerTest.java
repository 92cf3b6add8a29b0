package io.shadowgate.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.config.snapshot.LoadBalancerConfig;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * DestinationRule {@code connectionPool} as circuit breakers over real sockets: {@code maxConnections} with
 * {@code http1MaxPendingRequests} (requests wait for a connection, the overflow gets 503 {@code UO}), the pending
 * wait bounded by {@code connectTimeout}, {@code http2MaxRequests}, {@code maxRequestsPerConnection} and the pool's
 * {@code idleTimeout}.
 */
class CircuitBreakerTest {

    private static ProxyServer start(ClusterConfig c, Fixtures.Logs logs) {
        return start(c, logs, 2);
    }

    private static ProxyServer start(ClusterConfig c, Fixtures.Logs logs, int ioThreads) {
        return Fixtures.start(Fixtures.snapshot(Fixtures.forward(c, Duration.ZERO, RetryConfig.NONE, null), c),
                Fixtures.options().ioThreads(ioThreads).build(), logs);
    }

    private static ClusterConfig cluster(ConnectionPoolConfig pool, int port) {
        return Fixtures.cluster("v1", pool, null, LoadBalancerConfig.DEFAULT, port);
    }

    /** {@code n} concurrent GETs, each on its own connection. */
    private static List<RawResponse> concurrently(int port, int n, String path) {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<CompletableFuture<RawResponse>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                futures.add(CompletableFuture.supplyAsync(() -> Http.get(port, path + id), pool));
            }
            return futures.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    private static long count(List<RawResponse> responses, int status) {
        return responses.stream().filter(r -> r.statusCode() == status).count();
    }

    @Test
    void maxConnectionsQueuesPendingRequestsAndOverflowsTheRest() {
        try (TestBackend slow = TestBackend.builder().name("slow").latency(Duration.ofMillis(700)).start()) {
            ClusterConfig c = cluster(Fixtures.pool(1, Duration.ofSeconds(5), 1, Integer.MAX_VALUE, 0,
                    Integer.MAX_VALUE, Duration.ofHours(1)), slow.port());
            Fixtures.Logs logs = new Fixtures.Logs();
            // One event loop: the released connection is handed to the pending request (with several loops, a
            // connection released on another loop is closed instead, to free the slot).
            try (ProxyServer p = start(c, logs, 1)) {
                List<RawResponse> responses = concurrently(p.port(), 3, "/q");
                assertThat(count(responses, 200)).as("%s", responses).isEqualTo(2);
                assertThat(count(responses, 503)).isEqualTo(1);
                RawResponse overflow = responses.stream().filter(r -> r.statusCode() == 503).findFirst().orElseThrow();
                assertThat(overflow.bodyText()).contains("overflow");
                assertThat(logs.await(3)).extracting(RequestLog::flags).contains("UO");
                assertThat(Fixtures.runtime(p, c).stats().pendingOverflow.sum()).isEqualTo(1);
                assertThat(Fixtures.runtime(p, c).pendingRequests().get()).isZero();
            }
            // The pending request got the connection the first one released: one connection in all.
            assertThat(slow.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void aPendingRequestOnAnotherLoopGetsTheFreedSlot() {
        try (TestBackend slow = TestBackend.builder().name("slow").latency(Duration.ofMillis(500)).start()) {
            ClusterConfig c = cluster(Fixtures.pool(1, Duration.ofSeconds(5), 10, Integer.MAX_VALUE, 0,
                    Integer.MAX_VALUE, Duration.ofHours(1)), slow.port());
            try (ProxyServer p = start(c, new Fixtures.Logs(), 2)) {
                List<RawResponse> responses = concurrently(p.port(), 4, "/x");
                assertThat(count(responses, 200)).as("%s", responses).isEqualTo(4);
                assertThat(Fixtures.runtime(p, c).pendingRequests().get()).isZero();
                assertThat(Fixtures.runtime(p, c).connections().get()).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void aPendingRequestWaitsAtMostTheConnectTimeout() {
        try (TestBackend slow = TestBackend.builder().name("slow").latency(Duration.ofMillis(1500)).start()) {
            ClusterConfig c = cluster(Fixtures.pool(1, Duration.ofMillis(300), 10, Integer.MAX_VALUE, 0,
                    Integer.MAX_VALUE, Duration.ofHours(1)), slow.port());
            try (ProxyServer p = start(c, new Fixtures.Logs())) {
                List<RawResponse> responses = concurrently(p.port(), 2, "/t");
                assertThat(count(responses, 200)).as("%s", responses).isEqualTo(1);
                assertThat(count(responses, 503)).isEqualTo(1);
                assertThat(Fixtures.runtime(p, c).stats().pendingTimeout.sum()).isEqualTo(1);
                assertThat(Fixtures.runtime(p, c).pendingRequests().get()).isZero();
            }
        }
    }

    @Test
    void http2MaxRequestsLimitsActiveRequests() {
        try (TestBackend slow = TestBackend.builder().name("slow").latency(Duration.ofMillis(700)).start()) {
            ClusterConfig c = cluster(Fixtures.pool(Integer.MAX_VALUE, Duration.ofSeconds(5), Integer.MAX_VALUE, 1,
                    0, Integer.MAX_VALUE, Duration.ofHours(1)), slow.port());
            Fixtures.Logs logs = new Fixtures.Logs();
            try (ProxyServer p = start(c, logs)) {
                List<RawResponse> responses = concurrently(p.port(), 2, "/r");
                assertThat(count(responses, 200)).as("%s", responses).isEqualTo(1);
                assertThat(count(responses, 503)).isEqualTo(1);
                assertThat(Fixtures.runtime(p, c).stats().requestOverflow.sum()).isEqualTo(1);
                assertThat(logs.await(2)).extracting(RequestLog::flags).contains("UO");
                assertThat(Http.eventually(Duration.ofSeconds(2),
                        () -> Fixtures.runtime(p, c).activeRequests().get() == 0)).isTrue();
            }
        }
    }

    @Test
    void maxRequestsPerConnectionAndPoolIdleTimeout() {
        try (TestBackend b = TestBackend.start("b")) {
            ClusterConfig perConn = cluster(Fixtures.pool(Integer.MAX_VALUE, Duration.ofSeconds(5), Integer.MAX_VALUE,
                    Integer.MAX_VALUE, 1, Integer.MAX_VALUE, Duration.ofHours(1)), b.port());
            try (ProxyServer p = start(perConn, new Fixtures.Logs())) {
                for (int i = 0; i < 3; i++) {
                    assertThat(Http.get(p.port(), "/n" + i).statusCode()).isEqualTo(200);
                }
            }
            assertThat(b.requests()).extracting(r -> r.connectionId()).doesNotHaveDuplicates();
            ClusterConfig idle = cluster(Fixtures.pool(Integer.MAX_VALUE, Duration.ofSeconds(5), Integer.MAX_VALUE,
                    Integer.MAX_VALUE, 0, Integer.MAX_VALUE, Duration.ofMillis(300)), b.port());
            try (ProxyServer p = start(idle, new Fixtures.Logs())) {
                int before = b.connectionsAccepted();
                assertThat(Http.get(p.port(), "/i").statusCode()).isEqualTo(200);
                assertThat(b.connectionsAccepted()).isEqualTo(before + 1);
                // The pooled connection is closed by the pool's idle timeout.
                assertThat(Http.eventually(Duration.ofSeconds(5), () -> b.openConnections() == 0)).isTrue();
            }
        }
    }
}

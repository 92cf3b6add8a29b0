package io.shadowgate.proxy;

import io.shadowgate.proxy.options.ProxyOptions;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.testkit.backend.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataPathSmokeTest {

    @Test
    void forwardsAndMirrors() throws Exception {
        try (TestBackend v1 = TestBackend.builder().name("v1").start();
             TestBackend v2 = TestBackend.builder().name("v2").start()) {
            ClusterConfig c1 = Snapshots.cluster("app.default.svc.cluster.local", "v1", v1.port());
            ClusterConfig c2 = Snapshots.cluster("app.default.svc.cluster.local", "v2", v2.port());
            var snap = Snapshots.snapshot(Snapshots.forward(List.of(Snapshots.dest(c1, 100)),
                    List.of(Snapshots.mirror(c2, 1_000_000)), Duration.ZERO, MirrorOptions.DEFAULTS), c1, c2);
            try (ProxyServer proxy = ProxyServer.start(snap, ProxyOptions.builder().ioThreads(2).build(),
                    ProxyObserver.NOOP, RandomSource.THREAD_LOCAL)) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + proxy.port() + "/hello?x=" + i))
                            .POST(HttpRequest.BodyPublishers.ofString("body-" + i)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.headers().firstValue("x-backend")).hasValue("v1");
                }
                var mirrored = v2.awaitRequests(5, Duration.ofSeconds(5));
                assertThat(mirrored).hasSize(5);
                assertThat(mirrored.get(0).header("x-shadowgate-mirror")).isEqualTo("true");
                assertThat(v1.requests()).hasSize(5);
                // Mirrors are sent asynchronously, so they may arrive in another order: each carries its primary's id.
                assertThat(mirrored).extracting(m -> m.header("x-request-id")).containsExactlyInAnyOrderElementsOf(
                        v1.requests().stream().map(p -> p.header("x-request-id")).toList());
            }
        }
    }
}

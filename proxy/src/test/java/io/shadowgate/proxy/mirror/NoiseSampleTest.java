package io.shadowgate.proxy.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.observe.CapturedResponse;
import io.shadowgate.proxy.observe.ProxyObserver;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.testkit.backend.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Diffy-style noise samples: a second copy of a safe request to the primary's own version, paired for compare. */
class NoiseSampleTest {

    @Test
    void safeRequestsGetASecondCopyToThePrimaryVersionAndBothAnswersArePaired() throws Exception {
        List<CapturedResponse[]> samples = new CopyOnWriteArrayList<>();
        ProxyObserver observer = new ProxyObserver() {
            @Override
            public void onNoiseSample(RequestLog primary, CapturedResponse first, CapturedResponse second) {
                samples.add(new CapturedResponse[] {first, second});
            }
        };
        try (TestBackend v1 = TestBackend.builder().name("v1").start();
             TestBackend v2 = TestBackend.builder().name("v2").start()) {
            ClusterConfig c1 = MirrorFixtures.cluster("v1", v1.port());
            ClusterConfig c2 = MirrorFixtures.cluster("v2", v2.port());
            var snap = MirrorFixtures.snapshot(MirrorFixtures.forward(MirrorFixtures.dest(c1),
                    List.of(MirrorFixtures.mirrorAll(c2))), c1, c2);
            ProxyOptions options = ProxyOptions.builder().ioThreads(1).compareNoiseSamplePercent(100).build();
            try (ProxyServer proxy = ProxyServer.start(snap, options, observer, RandomSource.THREAD_LOCAL)) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                URI uri = URI.create("http://127.0.0.1:" + proxy.port() + "/items/1");
                for (int i = 0; i < 3; i++) {
                    assertThat(client.send(HttpRequest.newBuilder(uri).GET().build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                }
                assertThat(client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

                await().atMost(Duration.ofSeconds(10)).until(() -> samples.size() == 3);
                // v1 saw 3 GETs twice (user + sample, the sample marked as a copy) and the POST once.
                await().atMost(Duration.ofSeconds(10)).until(() -> v1.requests().size() == 7);
                assertThat(v1.requests().stream().filter(r -> "true".equals(r.header("x-shadowgate-mirror")))
                        .map(r -> r.method()).toList()).containsExactly("GET", "GET", "GET");
                assertThat(v2.awaitRequests(4, Duration.ofSeconds(10))).hasSize(4);
                for (CapturedResponse[] pair : samples) {
                    assertThat(pair[0].status()).isEqualTo(200);
                    assertThat(pair[1].status()).isEqualTo(200);
                    assertThat(pair[1].body()).isNotEmpty();
                }
            }
        }
    }
}

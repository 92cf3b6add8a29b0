package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.testkit.backend.TestBackend;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Weighted destinations: Envoy picks {@code stream_id % total_weight} over {@code [0,w1),[w1,w1+w2),…}. With an
 * injected random source the split is exact; with real random values it lands in a statistical band; weight-0
 * destinations are dropped among several, and a single destination takes everything whatever its weight.
 */
class WeightedRoutingTest {

    private static TestBackend v1;
    private static TestBackend v2;
    private static String services;
    private static final HttpClient client = Http.client();

    @BeforeAll
    static void start() {
        v1 = TestBackend.start("v1");
        v2 = TestBackend.start("v2");
        services = Yaml.serviceEntry("app", "app.default.svc.cluster.local", v1, v2) + """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: app, namespace: default}
                spec:
                  host: app.default.svc.cluster.local
                  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                ---
                """;
    }

    @AfterAll
    static void stop() {
        v1.close();
        v2.close();
    }

    private static String vs(String routes) {
        return services + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: app, namespace: default}
                spec:
                  hosts: [app]
                  http:
                  - route:
                """ + routes.indent(4);
    }

    private static List<String> backends(YamlGateway gw, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = Http.send(client, Http.request(gw.port(), "app", "/w?i=" + i).build());
            assertThat(r.statusCode()).isEqualTo(200);
            out.add(r.headers().firstValue("x-backend").orElseThrow());
        }
        return out;
    }

    private static long count(List<String> seen, String name) {
        return seen.stream().filter(name::equals).count();
    }

    @Test
    void ninetyTenSplitIsExactWithAKnownRandomSequence() {
        // 0, 1, ..., 99 repeated: request i gets value i % 100 → v1 for [0,90), v2 for [90,100).
        AtomicLong next = new AtomicLong();
        RandomSource sequence = () -> next.getAndIncrement() % 100;
        String yaml = vs("""
                - {destination: {host: app, subset: v1}, weight: 90}
                - {destination: {host: app, subset: v2}, weight: 10}
                """);
        try (YamlGateway gw = YamlGateway.builder(yaml).random(sequence).start()) {
            List<String> seen = backends(gw, 200);
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)).as("request " + i).isEqualTo(i % 100 < 90 ? "v1" : "v2");
            }
            assertThat(count(seen, "v1")).isEqualTo(180);
            assertThat(count(seen, "v2")).isEqualTo(20);
        }
    }

    @Test
    void theRandomValueIsUnsignedAndWeightsNeedNotSumTo100() {
        // Envoy's stream_id is a uint64: the long -1 is 2^64-1, and (2^64-1) % 3 == 0 → the first interval [0,1)
        // (a signed floorMod would give 2 → v2).
        long[] values = {-1L, Long.MIN_VALUE, 1, 2, 4};
        AtomicLong i = new AtomicLong();
        RandomSource fixed = () -> values[(int) (i.getAndIncrement() % values.length)];
        String yaml = vs("""
                - {destination: {host: app, subset: v1}, weight: 1}
                - {destination: {host: app, subset: v2}, weight: 2}
                """);
        try (YamlGateway gw = YamlGateway.builder(yaml).random(fixed).start()) {
            // total 3: (2^64-1)%3=0 → v1; 2^63%3=2 → v2; 1 → v2; 2 → v2; 4%3=1 → v2.
            assertThat(backends(gw, 5)).containsExactly("v1", "v2", "v2", "v2", "v2");
        }
    }

    @Test
    void realRandomValuesLandInAStatisticalBand() {
        String yaml = vs("""
                - {destination: {host: app, subset: v1}, weight: 90}
                - {destination: {host: app, subset: v2}, weight: 10}
                """);
        try (YamlGateway gw = YamlGateway.start(yaml)) {
            List<String> seen = backends(gw, 1000);
            // Binomial(1000, 0.1): mean 100, sd 9.5; ±5 sd is [52, 148] (a false failure about once in 3.5 million).
            assertThat(count(seen, "v2")).isBetween(52L, 148L);
            assertThat(count(seen, "v1") + count(seen, "v2")).isEqualTo(1000);
        }
    }

    @Test
    void zeroWeightDestinationsAreDropped() {
        AtomicLong next = new AtomicLong();
        RandomSource sequence = () -> next.getAndIncrement();
        String yaml = vs("""
                - {destination: {host: app, subset: v1}, weight: 100}
                - {destination: {host: app, subset: v2}, weight: 0}
                """);
        int before = v2.requests().size();
        try (YamlGateway gw = YamlGateway.builder(yaml).random(sequence).start()) {
            assertThat(backends(gw, 150)).containsOnly("v1");
        }
        assertThat(v2.requests()).hasSize(before);
    }

    @Test
    void aSingleDestinationWithWeightZeroTakesEverything() {
        String yaml = vs("""
                - {destination: {host: app, subset: v2}, weight: 0}
                """);
        try (YamlGateway gw = YamlGateway.start(yaml)) {
            assertThat(backends(gw, 20)).containsOnly("v2");
        }
    }
}

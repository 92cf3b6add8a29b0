package io.shadowgate.compare.engine;

import static io.shadowgate.compare.Fixtures.ROUTE;
import static io.shadowgate.compare.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowgate.compare.Fixtures.MutableClock;
import io.shadowgate.compare.capture.ExchangePair;
import io.shadowgate.compare.report.ComparisonReport;
import io.shadowgate.compare.report.FieldReport;
import io.shadowgate.compare.report.GroupReport;
import io.shadowgate.compare.report.RouteReport;
import io.shadowgate.compare.report.Verdict;
import io.shadowgate.compare.settings.CompareSettings;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reproduces the traffic of {@code shadowgate demo}: 200 exchanges over 5 groups, a {@code generatedAt} timestamp with
 * milliseconds on every answer, v2's taken 0–3 ms after v1's and equal about a quarter of the time, and the one real
 * difference (price number→string, inStock renamed available) on {@code GET /api/products/{id}}.
 */
class DemoTrafficNoiseTest {

    private static final DateTimeFormatter MILLIS_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final List<String> PATHS = List.of("/api/products", "/api/products/1", "/api/products/2",
            "/api/products/3", "/api/health", "/");

    private ComparisonEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void demoReportFindsTheRealDifferenceAndNotTheTimestamp(long seed) {
        engine = new ComparisonEngine(CompareSettings.defaults(), new SimpleMeterRegistry(),
                new MutableClock(Instant.parse("2024-05-01T10:00:00Z")), new SplittableRandom(seed));
        SplittableRandom random = new SplittableRandom(seed);
        long v1Millis = Instant.parse("2025-03-01T09:00:00Z").toEpochMilli();
        int equal = 0;
        for (int i = 0; i < 200; i++) {
            v1Millis += 1 + random.nextInt(40);
            // v2 is called right after v1: same millisecond about a quarter of the time, else 1-3 ms later.
            long v2Millis = random.nextInt(4) == 0 ? v1Millis : v1Millis + 1 + random.nextInt(3);
            equal += v1Millis == v2Millis ? 1 : 0;
            String t1 = MILLIS_UTC.format(Instant.ofEpochMilli(v1Millis));
            String t2 = MILLIS_UTC.format(Instant.ofEpochMilli(v2Millis));
            ExchangePair pair;
            if (i % 7 == 6) {
                String cart = "{\"items\":[{\"id\":1,\"name\":\"Espresso Cup\",\"qty\":2,\"unitPrice\":19.99,"
                        + "\"lineTotal\":39.98}],\"total\":39.98,\"currency\":\"EUR\",\"generatedAt\":\"";
                pair = new ExchangePair("req-" + i, ROUTE, "POST", "/api/cart", "v1", "v2",
                        json(200, cart + t1 + "\"}"), json(200, cart + t2 + "\"}"));
            } else {
                String path = PATHS.get(i % PATHS.size());
                String v1;
                String v2;
                if (path.startsWith("/api/products/")) {
                    v1 = "{\"id\":1,\"name\":\"Espresso Cup\",\"price\":19.99,\"inStock\":true,\"generatedAt\":\""
                            + t1 + "\"}";
                    v2 = "{\"id\":1,\"name\":\"Espresso Cup\",\"price\":\"19.99 EUR\",\"available\":true,"
                            + "\"generatedAt\":\"" + t2 + "\"}";
                } else if (path.equals("/api/products")) {
                    String list = "{\"products\":[{\"id\":1,\"name\":\"Espresso Cup\",\"price\":19.99,\"inStock\":true},"
                            + "{\"id\":2,\"name\":\"Pour-Over Kettle\",\"price\":49.50,\"inStock\":false}],"
                            + "\"generatedAt\":\"";
                    v1 = list + t1 + "\"}";
                    v2 = list + t2 + "\"}";
                } else if (path.equals("/api/health")) {
                    v1 = "{\"status\":\"UP\",\"generatedAt\":\"" + t1 + "\"}";
                    v2 = "{\"status\":\"UP\",\"generatedAt\":\"" + t2 + "\"}";
                } else {
                    v1 = "{\"app\":\"shadowgate-demo-frontend\",\"endpoints\":[\"GET /\"],\"generatedAt\":\"" + t1 + "\"}";
                    v2 = "{\"app\":\"shadowgate-demo-frontend\",\"endpoints\":[\"GET /\"],\"generatedAt\":\"" + t2 + "\"}";
                }
                pair = new ExchangePair("req-" + i, ROUTE, "GET", path, "v1", "v2", json(200, v1), json(200, v2));
            }
            engine.compareAndRecord(pair);
        }
        assertThat(equal).as("equal timestamps").isBetween(25, 80);

        ComparisonReport report = engine.report();
        assertThat(report.groups()).hasSize(5);
        for (GroupReport g : report.groups()) {
            FieldReport generatedAt = g.fields().stream().filter(f -> f.path().equals("$.generatedAt")).findFirst()
                    .orElseThrow();
            assertThat(generatedAt.noise()).as("%s %s: %s", g.method(), g.pathTemplate(), g.fields()).isTrue();
            assertThat(generatedAt.noiseReason()).contains("timestamp");
            boolean real = g.pathTemplate().equals("/api/products/{id}");
            assertThat(g.fields()).filteredOn(f -> !f.noise()).extracting(FieldReport::path)
                    .as("%s %s", g.method(), g.pathTemplate())
                    .containsExactlyInAnyOrderElementsOf(real ? List.of("$.price", "$.inStock", "$.available") : List.of());
            if (!real) {
                assertThat(g.different()).as("%s %s", g.method(), g.pathTemplate()).isZero();
                assertThat(g.verdict()).as("%s %s: %s", g.method(), g.pathTemplate(), g.verdictLine())
                        .isNotEqualTo(Verdict.FAIL);
            } else {
                assertThat(g.different()).isEqualTo(g.compared());
            }
        }
        RouteReport route = report.route(ROUTE).orElseThrow();
        assertThat(route.compared()).isEqualTo(200);
        long products = report.group(ROUTE, "GET", "/api/products/{id}").orElseThrow().compared();
        assertThat(route.different()).isEqualTo(products);
        assertThat(route.differenceRate()).isBetween(0.35, 0.5);
        assertThat(route.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(route.verdictLine())
                .contains("3 fields differ: $.price (type changed number→string: 100%), $.inStock (missing in v2: 100%), "
                        + "$.available (added in v2: 100%)")
                .endsWith("(1 noisy field ignored)")
                .doesNotContain("generatedAt");
    }

    private ComparisonEngine engine() {
        engine = new ComparisonEngine(CompareSettings.defaults(), new SimpleMeterRegistry(),
                new MutableClock(Instant.parse("2024-05-01T10:00:00Z")), new SplittableRandom(1));
        return engine;
    }

    private static String ts(long millis) {
        return MILLIS_UTC.format(Instant.parse("2025-03-01T09:00:00Z").plusMillis(millis));
    }

    private static FieldReport field(GroupReport g, String path) {
        return g.fields().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
    }

    @Test
    void exchangesWithoutTheFieldAreNotObservationsOfIt() {
        engine();
        // 20 answers with a fresh timestamp on both sides, 25 error answers without one: the timestamp
        // differed in every exchange where it was present on both sides.
        for (int i = 0; i < 45; i++) {
            String v1 = i % 9 < 4 ? "{\"at\":\"" + ts(i * 50L) + "\"}" : "{\"error\":\"not found\"}";
            String v2 = i % 9 < 4 ? "{\"at\":\"" + ts(i * 50L + 2) + "\"}" : "{\"error\":\"not found\"}";
            engine.compareAndRecord(new ExchangePair("r" + i, ROUTE, "GET", "/things/" + i, "v1", "v2",
                    json(200, v1), json(200, v2)));
        }
        GroupReport g = engine.report().group(ROUTE, "GET", "/things/{id}").orElseThrow();
        assertThat(field(g, "$.at").noise()).isTrue();
        assertThat(field(g, "$.at").noiseReason()).contains("100% of 20 requests");
        assertThat(g.different()).isZero();
    }

    @Test
    void equalValuesAreObservationsEvenInsideArraysEqualAsAWhole() {
        engine();
        for (int i = 0; i < 50; i++) {
            String t1 = ts(i * 50L);
            // Differing in 24 of 50 exchanges: less than half, so not noise.
            String t2 = i < 24 ? ts(i * 50L + 1) : t1;
            engine.compareAndRecord(new ExchangePair("r" + i, ROUTE, "GET", "/feed", "v1", "v2",
                    json(200, "{\"items\":[{\"n\":1,\"ts\":\"" + t1 + "\"},{\"n\":2,\"ts\":\"" + t1 + "\"}]}"),
                    json(200, "{\"items\":[{\"n\":1,\"ts\":\"" + t2 + "\"},{\"n\":2,\"ts\":\"" + t2 + "\"}]}")));
        }
        GroupReport g = engine.report().group(ROUTE, "GET", "/feed").orElseThrow();
        assertThat(field(g, "$.items[*].ts").noise()).isFalse();
        assertThat(g.different()).isEqualTo(24);
    }

    @Test
    void consistentRealDifferencesAreNeverNoiseNextToANoisyTimestamp() {
        engine();
        DateTimeFormatter paris = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
                .withZone(ZoneOffset.ofHours(2));
        for (int i = 0; i < 120; i++) {
            long m = i * 50L;
            Instant t = Instant.parse("2025-03-01T09:00:00Z").plusMillis(m);
            String v1 = "{\"generatedAt\":\"" + ts(m) + "\",\"expiresAt\":\"" + ts(m + 3_600_000) + "\","
                    + "\"schemaDate\":\"2024-01-01T00:00:00Z\",\"requestId\":\"" + new java.util.UUID(7, i) + "\","
                    + "\"price\":19.99,\"inStock\":true}";
            String v2 = "{\"generatedAt\":\"" + ts(m + i % 3) + "\","
                    // The same instant plus noise, in another time zone: a format change.
                    + "\"expiresAt\":\"" + paris.format(t.plusMillis(3_600_000 + 1 + i % 3)) + "\","
                    + "\"schemaDate\":\"2025-01-01T00:00:00Z\",\"requestId\":\"" + new java.util.UUID(7, 1000) + "\","
                    + "\"price\":\"19.99 EUR\",\"available\":true}";
            engine.compareAndRecord(new ExchangePair("r" + i, ROUTE, "GET", "/api/products/1", "v1", "v2",
                    json(200, v1), json(200, v2)));
        }
        GroupReport g = engine.report().group(ROUTE, "GET", "/api/products/{id}").orElseThrow();
        assertThat(g.fields()).filteredOn(FieldReport::noise).extracting(FieldReport::path)
                .containsExactly("$.generatedAt");
        assertThat(g.fields()).filteredOn(f -> !f.noise()).extracting(FieldReport::path).containsExactlyInAnyOrder(
                "$.expiresAt", "$.schemaDate", "$.requestId", "$.price", "$.inStock", "$.available");
        RouteReport route = engine.report().route(ROUTE).orElseThrow();
        assertThat(route.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(route.verdictLine()).contains("6 fields differ").endsWith("and 1 more (1 noisy field ignored)")
                .doesNotContain("generatedAt");
    }
}

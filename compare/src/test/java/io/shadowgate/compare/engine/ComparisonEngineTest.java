package io.shadowgate.compare.engine;

import static io.shadowgate.compare.Fixtures.ROUTE;
import static io.shadowgate.compare.Fixtures.json;
import static io.shadowgate.compare.Fixtures.pair;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowgate.compare.Fixtures.MutableClock;
import io.shadowgate.compare.capture.CapturedResponse;
import io.shadowgate.compare.capture.ExchangePair;
import io.shadowgate.compare.diff.DiffKind;
import io.shadowgate.compare.diff.Outcome;
import io.shadowgate.compare.metrics.CompareMetrics;
import io.shadowgate.compare.report.ComparisonReport;
import io.shadowgate.compare.report.EvidenceSource;
import io.shadowgate.compare.report.FieldDecision;
import io.shadowgate.compare.report.FieldReport;
import io.shadowgate.compare.report.GroupReport;
import io.shadowgate.compare.report.RouteReport;
import io.shadowgate.compare.report.Verdict;
import io.shadowgate.compare.settings.CompareSettings;
import io.shadowgate.compare.settings.RouteOverrides;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ComparisonEngineTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ComparisonEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private ComparisonEngine engine(CompareSettings settings) {
        engine = new ComparisonEngine(settings, registry, clock, new SplittableRandom(42));
        return engine;
    }

    private static String ts(int i, int extraMillis) {
        return T0.plusSeconds(i).plusMillis(extraMillis).toString();
    }

    @Test
    void realisticVerdictNamesRealDifferencesAndNotTheTimestamp() throws Exception {
        engine(CompareSettings.defaults());
        for (int i = 0; i < 200; i++) {
            ExchangePair p = pair("req-" + i, "/products/" + (i % 7 + 1),
                    json(200, "{\"id\":1,\"name\":\"Mug\",\"price\":19.99,\"inStock\":true,\"generatedAt\":\""
                            + ts(i, 0) + "\"}"),
                    json(200, "{\"id\":1,\"name\":\"Mug\",\"price\":\"19.99 EUR\",\"available\":true,\"generatedAt\":\""
                            + ts(i, 7) + "\"}"));
            assertThat(engine.offer(p)).isTrue();
        }
        assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();

        ComparisonReport report = engine.report();
        RouteReport route = report.route(ROUTE).orElseThrow();
        assertThat(route.compared()).isEqualTo(200);
        assertThat(route.different()).isEqualTo(200);
        assertThat(route.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(route.verdictLine())
                .isEqualTo("v2 matches v1 on 0.0% of 200 requests; 3 fields differ: $.price (type changed number→string: "
                        + "100%), $.inStock (missing in v2: 100%), $.available (added in v2: 100%) (1 noisy field ignored)")
                .doesNotContain("generatedAt");

        GroupReport g = report.group(ROUTE, "GET", "/products/{id}").orElseThrow();
        assertThat(g.fields()).extracting(FieldReport::path)
                .containsExactly("$.price", "$.inStock", "$.generatedAt", "$.available");
        FieldReport generatedAt = g.fields().get(2);
        assertThat(generatedAt.noise()).isTrue();
        assertThat(generatedAt.noiseReason()).contains("timestamp");
        FieldReport price = g.fields().get(0);
        assertThat(price.kind()).isEqualTo(DiffKind.TYPE_CHANGED);
        assertThat(price.count()).isEqualTo(200);
        assertThat(price.noise()).isFalse();
        assertThat(price.examples()).hasSize(3).allSatisfy(e -> {
            assertThat(e.requestId()).startsWith("req-");
            assertThat(e.primaryValue()).isEqualTo("19.99");
            assertThat(e.mirrorValue()).isEqualTo("\"19.99 EUR\"");
        });
        assertThat(g.primary().statusMix()).containsEntry("200", 200L);
        assertThat(g.primary().latency().p50Millis()).isBetween(1.8, 2.2);
    }

    @Test
    void noiseOnlyExchangesAreReclassifiedOnceNoiseIsDetectedAndThePromotionPasses() {
        engine(CompareSettings.defaults());
        for (int i = 0; i < 1_000; i++) {
            engine.compareAndRecord(pair("r" + i, "/orders/" + i,
                    json(200, "{\"id\":" + i + ",\"ts\":\"" + ts(i, 0) + "\",\"trace\":\"" + UUID.randomUUID() + "\"}"),
                    json(200, "{\"id\":" + i + ",\"ts\":\"" + ts(i, 3) + "\",\"trace\":\"" + UUID.randomUUID() + "\"}")));
        }
        // Enough requests, but not yet the minimum time.
        clock.advance(Duration.ofSeconds(59));
        assertThat(engine.report().route(ROUTE).orElseThrow().verdictLine())
                .isEqualTo("not enough data: 59 s of 60 s");
        clock.advance(Duration.ofSeconds(1));
        RouteReport route = engine.report().route(ROUTE).orElseThrow();
        // Including the first 19, recorded before the fields were known to be noise.
        assertThat(route.noiseOnly()).isEqualTo(1_000);
        assertThat(route.different()).isZero();
        assertThat(route.verdict()).isEqualTo(Verdict.PASS);
        assertThat(route.verdictLine())
                .startsWith("v2 matches v1 on 100.0% of 1,000 requests; no differences (2 noisy fields ignored); "
                        + "errors v2 0% [0%–0.38%] vs v1 0% [0%–0.38%]; p95 2.0 ms → 2.0 ms");
        assertThat(route.verdictSince()).isEqualTo(clock.instant());
        assertThat(registry.get(CompareMetrics.DIFFERENCE_RATIO).tag("route", ROUTE).gauge().value()).isZero();
    }

    @Test
    void consistentRealDifferenceIsNotNoiseEvenWhenItDiffersEveryTime() {
        engine(CompareSettings.defaults());
        for (int i = 0; i < 100; i++) {
            engine.compareAndRecord(pair("r" + i, "/cart",
                    json(200, "{\"currency\":\"USD\",\"owner\":\"550e8400-e29b-41d4-a716-446655440000\"}"),
                    json(200, "{\"currency\":\"EUR\",\"owner\":\"00000000-e29b-41d4-a716-446655440000\"}")));
        }
        GroupReport g = engine.report().group(ROUTE, "GET", "/cart").orElseThrow();
        assertThat(g.fields()).extracting(FieldReport::path, FieldReport::noise).containsExactly(
                org.assertj.core.groups.Tuple.tuple("$.currency", false),
                org.assertj.core.groups.Tuple.tuple("$.owner", false));
        assertThat(g.differenceRate()).isEqualTo(1.0);
        assertThat(g.verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void noiseLearnedFromTwoAnswersOfTheSameVersion() throws Exception {
        engine(CompareSettings.defaults());
        for (int i = 0; i < 25; i++) {
            assertThat(engine.offerNoiseSample(ROUTE, "GET", "/users/" + i,
                    json(200, "{\"name\":\"a\",\"served\":\"pod-1\"}", "x-served-by", "pod-1"),
                    json(200, "{\"name\":\"a\",\"served\":\"pod-2\"}", "x-served-by", "pod-2"))).isTrue();
        }
        assertThat(engine.awaitIdle(Duration.ofSeconds(5))).isTrue();
        for (int i = 0; i < 25; i++) {
            engine.compareAndRecord(pair("n" + i, "/users/" + i,
                    json(200, "{\"name\":\"a\",\"served\":\"pod-1\"}", "x-served-by", "pod-1"),
                    json(200, "{\"name\":\"a\",\"served\":\"pod-" + (i + 3) + "\"}", "x-served-by", "pod-9")));
        }

        var c = engine.compareAndRecord(pair("r1", "/users/7",
                json(200, "{\"name\":\"a\",\"served\":\"pod-1\"}", "x-served-by", "pod-1"),
                json(200, "{\"name\":\"a\",\"served\":\"pod-9\"}", "x-served-by", "pod-9")));
        assertThat(c.outcome()).isEqualTo(Outcome.NOISE_ONLY);
        assertThat(c.findings()).allSatisfy(f -> assertThat(f.noiseReason())
                .isEqualTo("noise: differs as often between two v1 answers (100%) as between v1 and v2 (100%)"));

        var real = engine.compareAndRecord(pair("r2", "/users/8",
                json(200, "{\"name\":\"a\",\"served\":\"pod-1\"}"), json(200, "{\"name\":\"b\",\"served\":\"pod-3\"}")));
        assertThat(real.outcome()).isEqualTo(Outcome.DIFFERENT);
        assertThat(real.realDifferences()).extracting(d -> d.path()).containsExactly("$.name");
        GroupReport g = engine.report().group(ROUTE, "GET", "/users/{id}").orElseThrow();
        assertThat(g.noiseSamples()).isEqualTo(25);
        FieldReport served = g.fields().stream().filter(f -> f.path().equals("$.served")).findFirst().orElseThrow();
        assertThat(served.decision()).isEqualTo(FieldDecision.NOISE);
        assertThat(served.evidenceSource()).isEqualTo(EvidenceSource.SAMPLES);
        assertThat(served.count()).isEqualTo(27);
        assertThat(served.primaryDiffers()).isEqualTo(25);
        assertThat(served.samples()).isEqualTo(25);
        assertThat(served.primaryExamples()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.primaryValue()).isEqualTo("\"pod-1\"");
            assertThat(e.mirrorValue()).isEqualTo("\"pod-2\"");
        });
    }

    @Test
    void ignoreRulesGlobalAndPerRoute() {
        engine(CompareSettings.builder()
                .ignorePointer("/generatedAt")
                .ignoreHeader("x-app-build")
                .route("shop", r -> r.ignorePointer("/items/*/ts").maxDifferenceRate(0.5).minComparisons(1))
                .routeOverrides(route -> route.equals("lookup") ? RouteOverrides.builder().ignoreHeader("x-lookup").build() : null)
                .build());
        CapturedResponse a = json(200, "{\"generatedAt\":1,\"items\":[{\"ts\":1,\"v\":1}]}", "x-app-build", "1", "x-lookup", "a");
        CapturedResponse b = json(200, "{\"generatedAt\":2,\"items\":[{\"ts\":2,\"v\":1}]}", "x-app-build", "2", "x-lookup", "b");
        assertThat(engine.compareNow(pair("shop", "r", "/x", a, b)).findings())
                .extracting(f -> f.difference().path()).containsExactly("header:x-lookup");
        assertThat(engine.compareNow(pair("lookup", "r", "/x", a, b)).findings())
                .extracting(f -> f.difference().concretePath()).containsExactly("$.items[0].ts");
        assertThat(engine.compareNow(pair("other", "r", "/x", a, b)).findings())
                .extracting(f -> f.difference().path()).containsExactly("header:x-lookup", "$.items[*].ts");
        assertThat(engine.settings().settingsFor("shop").minComparisons()).isEqualTo(1);
        assertThat(engine.settings().settingsFor("other").minComparisons()).isEqualTo(1_000);
        // compareNow records nothing.
        assertThat(engine.report().groups()).isEmpty();
    }

    @Test
    void insufficientDataVerdict() {
        engine(CompareSettings.defaults());
        for (int i = 0; i < 12; i++) {
            engine.compareAndRecord(pair("r" + i, "/a", json(200, "{}"), json(200, "{}")));
        }
        RouteReport r = engine.report().route(ROUTE).orElseThrow();
        assertThat(r.verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
        assertThat(r.verdictLine()).isEqualTo("not enough data: 12 of 1,000 requests needed, 0 s of 60 s, "
                + "too few latencies");
    }

    @Test
    void passWithFewDifferencesAndErrorRatesAndSkipReasons() {
        engine(CompareSettings.defaults());
        for (int i = 0; i < 1_000; i++) {
            // Five rare errors spread over the traffic (five in a row at the start would be strong evidence).
            CapturedResponse mirror = i % 200 == 100 ? json(500, "{\"error\":true}") : json(200, "{\"ok\":true}");
            engine.compareAndRecord(pair("r" + i, "/health", json(200, "{\"ok\":true}"), mirror));
        }
        engine.compareAndRecord(pair("rf", "/health", CapturedResponse.failure("timeout", 1), json(200, "{}")));
        engine.compareAndRecord(pair("rm", "/health", json(200, "{\"ok\":true}"), CapturedResponse.failure("reset", 1)));
        clock.advance(Duration.ofMinutes(1));
        ComparisonReport report = engine.report();
        RouteReport r = report.route(ROUTE).orElseThrow();
        assertThat(r.compared()).isEqualTo(1_001);
        assertThat(r.different()).isEqualTo(6);
        // 0.5% and 0.1% of requests: within the tolerated rate, named but not a failure.
        assertThat(r.verdict()).isEqualTo(Verdict.PASS);
        assertThat(r.verdictLine()).startsWith("v2 matches v1 on 99.4% of 1,001 requests; no real differences; "
                + "2 fields differ rarely: status (status changed 200→500: 0.50%), failure (v2 failed: reset: 0.10%); "
                + "errors v2 0.60% [0.27%–1.3%] vs v1 0.10% [0.02%–0.56%]");
        assertThat(r.errors().mirrorOnly()).isEqualTo(6);
        assertThat(r.errors().primaryOnly()).isEqualTo(1);
        assertThat(r.errors().regression()).isFalse();
        assertThat(r.skipped()).containsEntry("primary_failed", 1L);
        GroupReport g = report.groups().get(0);
        assertThat(g.mirror().errors()).isEqualTo(6);
        assertThat(g.primary().errors()).isEqualTo(1);
        assertThat(g.mirror().statusMix()).containsEntry("500", 5L).containsEntry("failed", 1L);
        assertThat(g.primary().errorRate()).isCloseTo(1 / 1_002.0, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void oversizedBodiesAreCountedAndStatusStillCompared() {
        engine(CompareSettings.defaults());
        CapturedResponse big = new CapturedResponse(200, List.of(), new byte[] {'{'}, true, 50_000_000, 1, null);
        var c = engine.compareAndRecord(pair("r", "/big", big, json(200, "{}")));
        assertThat(c.bodySkipped()).isEqualTo("oversized");
        GroupReport g = engine.report().groups().get(0);
        assertThat(g.bodiesSkipped()).containsEntry("oversized", 1L);
        assertThat(g.compared()).isEqualTo(1);
    }

    @Test
    void concurrentOffersAreAllAccountedFor() throws Exception {
        engine(CompareSettings.builder().workerThreads(3).queueCapacity(100_000).maxComparisonsPerSecond(10_000_000).build());
        int threads = 8;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger accepted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String route = "route-" + (i % 4);
                        CapturedResponse mirror = i % 10 == 0 ? json(200, "{\"v\":2}") : json(200, "{\"v\":1}");
                        if (engine.offer(pair(route, thread + "-" + i, "/items/" + i, json(200, "{\"v\":1}"), mirror))) {
                            accepted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(engine.awaitIdle(Duration.ofSeconds(20))).isTrue();
        ComparisonReport report = engine.report();
        long skipped = report.skipped().values().stream().mapToLong(Long::longValue).sum();
        assertThat(accepted.get()).isEqualTo(threads * perThread);
        assertThat(report.compared() + skipped).isEqualTo(threads * perThread);
        assertThat(report.compared()).isEqualTo(accepted.get());
        assertThat(report.different()).isEqualTo(threads * perThread / 10);
        assertThat(report.routes()).hasSize(4).allSatisfy(r -> assertThat(r.compared()).isEqualTo(threads * perThread / 4));
        double counted = registry.find(CompareMetrics.COMPARE).counters().stream().mapToDouble(c -> c.count()).sum();
        assertThat(counted).isEqualTo(threads * perThread);
    }

    @Test
    void floodOfDistinctPathsIsBounded() {
        engine(CompareSettings.defaults());
        for (int i = 0; i < 100_000; i++) {
            engine.compareAndRecord(pair("r" + i, "/flood/item-a" + i + "b", json(200, "{\"v\":1}"), json(200, "{\"v\":2}")));
        }
        ComparisonReport report = engine.report();
        assertThat(report.groups()).hasSize(CompareSettings.DEFAULT_MAX_GROUPS + 1);
        assertThat(report.foldedExchanges()).isEqualTo(100_000 - CompareSettings.DEFAULT_MAX_GROUPS);
        GroupReport other = report.group("(other)", "*", "*").orElseThrow();
        assertThat(other.compared()).isEqualTo(100_000 - CompareSettings.DEFAULT_MAX_GROUPS);
        assertThat(report.compared()).isEqualTo(100_000);
        assertThat(engine.recentDifferences()).hasSize(CompareSettings.DEFAULT_RECENT_DIFFERENCES);
        // Records keep the exchange's own route and template even when counted in (other).
        assertThat(engine.recentDifferences().get(0).pathTemplate()).startsWith("/flood/item-a");
        // Route tag cardinality is bounded too: the route itself and "(other)".
        assertThat(registry.find(CompareMetrics.COMPARE).counters()).extracting(c -> c.getId().getTag("route"))
                .containsExactlyInAnyOrder(ROUTE, "(other)");
    }

    @Test
    void floodOfDistinctFieldsIsBounded() {
        engine(CompareSettings.defaults());
        for (int i = 0; i < 100; i++) {
            StringBuilder a = new StringBuilder("{");
            StringBuilder b = new StringBuilder("{");
            for (int f = 0; f < 100; f++) {
                String key = "\"k" + i + "_" + f + "\"";
                a.append(f == 0 ? "" : ",").append(key).append(":1");
                b.append(f == 0 ? "" : ",").append(key).append(":2");
            }
            engine.compareAndRecord(pair("r" + i, "/fields", json(200, a + "}"), json(200, b + "}")));
        }
        GroupReport g = engine.report().groups().get(0);
        assertThat(g.fields()).hasSize(CompareSettings.DEFAULT_MAX_FIELDS_PER_GROUP + 1);
        assertThat(g.fields().get(0).path()).isEqualTo("(other fields)");
        assertThat(g.fields()).allSatisfy(f -> assertThat(f.examples()).hasSizeLessThanOrEqualTo(3));
        assertThat(g.different()).isEqualTo(100);
    }

    @Test
    void globalBudgetsCapFieldsAndExamplesAcrossGroups() {
        engine(CompareSettings.builder().maxTrackedFields(40).maxStoredExamples(10).build());
        for (int group = 0; group < 4; group++) {
            StringBuilder a = new StringBuilder("{");
            StringBuilder b = new StringBuilder("{");
            for (int f = 0; f < 30; f++) {
                a.append(f == 0 ? "" : ",").append("\"f").append(f).append("\":1");
                b.append(f == 0 ? "" : ",").append("\"f").append(f).append("\":2");
            }
            engine.compareAndRecord(pair("r", "/g" + group, json(200, a + "}"), json(200, b + "}")));
        }
        List<GroupReport> groups = engine.report().groups();
        // Each tracked field also holds a noise tracker: 40 units are 20 fields in all.
        long tracked = groups.stream().flatMap(g -> g.fields().stream())
                .filter(f -> !f.path().equals("(other fields)")).count();
        assertThat(tracked).isEqualTo(20);
        long examples = groups.stream().flatMap(g -> g.fields().stream()).mapToLong(f -> f.examples().size()).sum();
        assertThat(examples).isEqualTo(10);
        assertThat(groups).allSatisfy(g -> assertThat(g.different()).isEqualTo(1));
    }

    @Test
    void rateLimitSkipsAndCounts() {
        engine(CompareSettings.builder().maxComparisonsPerSecond(10).build());
        int accepted = 0;
        for (int i = 0; i < 25; i++) {
            accepted += engine.offer(pair("r" + i, "/a", json(200, "{}"), json(200, "{}"))) ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(10);
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 25; i++) {
            accepted += engine.offer(pair("s" + i, "/a", json(200, "{}"), json(200, "{}"))) ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(20);
        ComparisonReport report = engine.report();
        assertThat(report.skipped()).containsEntry("rate_limited", 30L);
        assertThat(registry.get(CompareMetrics.COMPARE).tags("route", ROUTE, "result", "skipped").counter().count())
                .isEqualTo(30);
    }

    @Test
    void lazyOfferBuildsThePairOnTheComparisonThreadAndCountsRateLimitedThere() throws Exception {
        engine(CompareSettings.builder().maxComparisonsPerSecond(10).build());
        AtomicInteger built = new AtomicInteger();
        java.util.Set<String> builders = java.util.concurrent.ConcurrentHashMap.newKeySet();
        int accepted = 0;
        for (int i = 0; i < 25; i++) {
            String id = "r" + i;
            accepted += engine.offer(ROUTE, "get", "/a?x=" + i, 12, () -> {
                built.incrementAndGet();
                builders.add(Thread.currentThread().getName());
                return pair(id, "/a", json(200, "{\"v\":1}"), json(200, "{\"v\":2}"));
            }) ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(10);
        assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(built).hasValue(10);
        assertThat(builders).allMatch(name -> name.startsWith("shadowgate-compare-"));
        ComparisonReport report = engine.report();
        assertThat(report.skipped()).containsEntry("rate_limited", 15L);
        RouteReport route = report.route(ROUTE).orElseThrow();
        // Skipped and compared exchanges land in the same group: the query string is dropped on both paths.
        assertThat(route.groups()).isEqualTo(1);
        assertThat(route.different()).isEqualTo(10);
        assertThat(route.skipped()).containsEntry("rate_limited", 15L);
        assertThat(registry.get(CompareMetrics.COMPARE).tags("route", ROUTE, "result", "skipped").counter().count())
                .isEqualTo(15);
    }

    @Test
    void lazyOfferThatFailsToBuildIsAnInternalError() throws Exception {
        engine(CompareSettings.defaults());
        assertThat(engine.offer(ROUTE, "GET", "/b", 0, () -> {
            throw new IllegalArgumentException("bad capture");
        })).isTrue();
        assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(engine.internalErrors()).isEqualTo(1);
        assertThat(engine.report().skipped()).containsEntry("internal_error", 1L);
    }

    @Test
    void queuedBodyBytesAreBoundedAndReleasedWhenCompared() throws Exception {
        engine(CompareSettings.builder().maxQueuedBytes(1_000).build());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The first exchange holds the comparison thread (its pair is built there), so the others stay queued.
        assertThat(engine.offer(ROUTE, "GET", "/a", 600, () -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return pair("held", "/a", json(200, "{}"), json(200, "{}"));
        })).isTrue();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        // 600 bytes are still held while the first is compared: 600 + 300 fits, then 600 + 300 + 300 does not.
        assertThat(engine.offer(ROUTE, "GET", "/a", 300, () -> pair("fits", "/a", json(200, "{}"), json(200, "{}"))))
                .isTrue();
        assertThat(engine.offer(ROUTE, "GET", "/a", 300, () -> pair("over", "/a", json(200, "{}"), json(200, "{}"))))
                .isFalse();
        release.countDown();
        assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(engine.report().skipped()).containsEntry("queue_full", 1L);
        // Everything compared gave its bytes back: a pair as big as the whole bound is admitted again.
        assertThat(engine.offer(ROUTE, "GET", "/a", 1_000, () -> pair("again", "/a", json(200, "{}"),
                json(200, "{}")))).isTrue();
        assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(engine.report().route(ROUTE).orElseThrow().compared()).isEqualTo(3);
    }

    @Test
    void queueBoundSkipsAndCounts() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The worker resolves route settings before comparing; blocking there holds it on the first exchange.
        engine(CompareSettings.builder().queueCapacity(5).routeOverrides(route -> {
            if (route.equals("slow")) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        }).build());
        assertThat(engine.offer(pair("slow", "first", "/a", json(200, "{}"), json(200, "{}")))).isTrue();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        int accepted = 0;
        for (int i = 0; i < 20; i++) {
            accepted += engine.offer(pair("fast", "r" + i, "/a", json(200, "{}"), json(200, "{}"))) ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(5);
        assertThat(engine.pending()).isEqualTo(6);
        release.countDown();
        assertThat(engine.awaitIdle(Duration.ofSeconds(5))).isTrue();
        ComparisonReport report = engine.report();
        assertThat(report.route("fast").orElseThrow().skipped()).containsEntry("queue_full", 15L);
        assertThat(report.route("fast").orElseThrow().compared()).isEqualTo(5);
        assertThat(report.route("slow").orElseThrow().compared()).isEqualTo(1);
    }

    @Test
    void closeStopsAcceptingAndCountsClosedSkips() {
        engine(CompareSettings.defaults());
        engine.close();
        assertThat(engine.offer(pair("r", "/a", json(200, "{}"), json(200, "{}")))).isFalse();
        assertThat(engine.report().skipped()).containsEntry("closed", 1L);
        assertThat(registry.find(CompareMetrics.COMPARE).counters()).isEmpty();
    }

    @Test
    void metricsCounterAndGaugeAndPrometheusName() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        engine = new ComparisonEngine(CompareSettings.defaults(), prometheus, clock, new SplittableRandom(1));
        for (int i = 0; i < 4; i++) {
            engine.compareAndRecord(pair("r" + i, "/a", json(200, "{\"a\":1}"), json(200, i == 0 ? "{\"a\":2}" : "{\"a\":1}")));
        }
        assertThat(prometheus.get("shadowgate.compare").tags("route", ROUTE, "result", "identical").counter().count())
                .isEqualTo(3);
        assertThat(prometheus.get("shadowgate.compare.difference.ratio").tags("route", ROUTE).gauge().value())
                .isEqualTo(0.25);
        String scrape = prometheus.scrape();
        assertThat(scrape).contains("shadowgate_compare_total{result=\"different\",route=\"" + ROUTE + "\"} 1.0");
        assertThat(scrape).contains("shadowgate_compare_difference_ratio{route=\"" + ROUTE + "\"} 0.25");
        engine.reset();
        assertThat(prometheus.get("shadowgate.compare.difference.ratio").tags("route", ROUTE).gauge().value()).isNaN();
    }

    @Test
    void jsonAndTextRenderingsAndJsonLinesExportAndReset() throws Exception {
        engine(CompareSettings.defaults());
        for (int i = 0; i < 120; i++) {
            engine.compareAndRecord(pair("req-" + i, "/users/" + i, json(200, "{\"a\":1,\"b\":\"x\"}", "x-v", "1"),
                    json(200, i % 3 == 0 ? "{\"a\":\"1\",\"b\":\"x\"}" : "{\"a\":1,\"b\":\"x\"}", "x-v", "1")));
        }
        ComparisonReport report = engine.report();

        JsonNode json = MAPPER.readTree(report.toJson());
        assertThat(json.get("compared").asLong()).isEqualTo(120);
        assertThat(json.get("since").asText()).isEqualTo("2024-05-01T10:00:00Z");
        JsonNode route = json.get("routes").get(0);
        assertThat(route.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(route.get("verdictLine").asText()).contains("$.a (type changed number→string: 33%)");
        assertThat(route.get("verdictSince").asText()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(route.get("errors").get("summary").asText()).startsWith("errors v2 0% [");
        JsonNode field = json.get("groups").get(0).get("fields").get(0);
        assertThat(field.get("decision").asText()).isEqualTo("DIFFERENT");
        assertThat(field.get("evidenceSource").asText()).isEqualTo("SHAPE_RULES");
        assertThat(field.get("compared").asLong()).isEqualTo(120);
        assertThat(field.get("evidence").asText()).startsWith("different: no v1-vs-v1 samples, not a generated value: "
                + "v2 differs on 33% (40 of 120)");
        JsonNode group = json.get("groups").get(0);
        assertThat(group.get("pathTemplate").asText()).isEqualTo("/users/{id}");
        assertThat(group.get("fields").get(0).get("examples").get(0).get("mirrorValue").asText()).isEqualTo("\"1\"");
        assertThat(group.get("primary").get("latency").get("p95Millis").asDouble()).isPositive();
        assertThat(json.get("limits").get("maxGroups").asInt()).isEqualTo(1_000);

        String text = report.toText();
        assertThat(text).contains("ROUTES", "GROUPS", "FIELDS", "/users/{id}", "type changed number→string", "FAIL");
        List<String> groupRows = text.lines().dropWhile(l -> !l.startsWith("GROUP ")).limit(2).toList();
        assertThat(groupRows.get(0).indexOf("VERDICT")).isEqualTo(groupRows.get(1).indexOf("FAIL"));

        StringWriter out = new StringWriter();
        engine.exportJsonLines(out);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(40);
        JsonNode first = MAPPER.readTree(lines.get(0));
        assertThat(first.get("requestId").asText()).isEqualTo("req-0");
        assertThat(first.get("outcome").asText()).isEqualTo("DIFFERENT");
        assertThat(first.get("differences").get(0).get("path").asText()).isEqualTo("$.a");

        clock.advance(Duration.ofMinutes(5));
        engine.reset();
        ComparisonReport empty = engine.report();
        assertThat(empty.groups()).isEmpty();
        assertThat(empty.since()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(engine.recentDifferences()).isEmpty();
    }

    @Test
    void explainShowsEveryFinding() {
        engine(CompareSettings.defaults());
        var c = engine.compareNow(pair("req-1", "/users/1", json(200, "{\"a\":1}"), json(200, "{\"a\":2}")));
        assertThat(c.explain()).contains("GET /users/{id}", "req-1", "different", "$.a", "VALUE_CHANGED",
                "primary=1", "mirror=2");
    }
}

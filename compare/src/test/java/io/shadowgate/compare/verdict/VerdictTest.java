package io.shadowgate.compare.verdict;

import static io.shadowgate.compare.Fixtures.ROUTE;
import static io.shadowgate.compare.Fixtures.json;
import static io.shadowgate.compare.Fixtures.pair;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowgate.compare.Fixtures.MutableClock;
import io.shadowgate.compare.capture.CapturedResponse;
import io.shadowgate.compare.diff.DiffKind;
import io.shadowgate.compare.engine.ComparisonEngine;
import io.shadowgate.compare.report.EvidenceSource;
import io.shadowgate.compare.report.FieldDecision;
import io.shadowgate.compare.report.FieldReport;
import io.shadowgate.compare.report.GroupReport;
import io.shadowgate.compare.report.RouteReport;
import io.shadowgate.compare.report.Verdict;
import io.shadowgate.compare.settings.CompareSettings;
import io.shadowgate.compare.settings.VerdictPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The verdict's decisions on v1-vs-v1 evidence: arrays, formats, stickiness, errors and latency. */
class VerdictTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    private ComparisonEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private ComparisonEngine engine(long minComparisons) {
        engine = new ComparisonEngine(CompareSettings.builder().minComparisons(minComparisons)
                .verdictPolicy(VerdictPolicy.DEFAULTS.withMinDuration(Duration.ZERO)).build(),
                new SimpleMeterRegistry(), clock, new SplittableRandom(7));
        return engine;
    }

    private static FieldReport field(GroupReport g, String path, DiffKind kind) {
        return g.fields().stream().filter(f -> f.path().equals(path) && f.kind() == kind).findFirst().orElseThrow(
                () -> new AssertionError(path + " " + kind + " not in " + g.fields()));
    }

    private static String body(String tags, String ranked, String ts) {
        return "{\"tags\":" + tags + ",\"ranked\":" + ranked + ",\"ts\":\"" + ts + "\"}";
    }

    @Test
    void anArrayV1ReordersIsASetWhileABrokenSortNextToItIsReal() {
        engine(100);
        String[] orders = {"[\"a\",\"b\",\"c\"]", "[\"c\",\"a\",\"b\"]", "[\"b\",\"c\",\"a\"]"};
        // Samples and exchanges interleaved, as the proxy sends them: the first exchanges see $.tags reordered
        // before v1 was seen to reorder it twice.
        for (int i = 0; i < 60; i++) {
            engine.learnNoiseNow(ROUTE, "GET", "/items/" + i, json(200, body(orders[i % 3], "[1,2,3]", "x")),
                    json(200, body(orders[(i + 1) % 3], "[1,2,3]", "x")));
            engine.compareAndRecord(pair("r" + i, "/items/" + i, json(200, body(orders[i % 3], "[1,2,3]", "x")),
                    json(200, body(orders[(i + 2) % 3], "[3,2,1]", "x"))));
        }
        // Compared as a set: another element is one SET_CHANGED, not a difference per index.
        var c = engine.compareAndRecord(pair("set", "/items/1", json(200, body(orders[0], "[1,2,3]", "x")),
                json(200, body("[\"c\",\"d\",\"a\"]", "[1,2,3]", "x"))));
        assertThat(c.findings()).extracting(f -> f.difference().kind()).containsExactly(DiffKind.SET_CHANGED);
        assertThat(c.findings().get(0).difference().primaryValue()).isEqualTo("missing: [\"b\"]");
        assertThat(c.findings().get(0).difference().mirrorValue()).isEqualTo("extra: [\"d\"]");

        GroupReport g = engine.report().group(ROUTE, "GET", "/items/{id}").orElseThrow();
        FieldReport tags = field(g, "$.tags", DiffKind.ARRAY_ORDER_CHANGED);
        assertThat(tags.decision()).isEqualTo(FieldDecision.NOISE);
        assertThat(tags.evidenceSource()).isEqualTo(EvidenceSource.ARRAY_ORDER);
        assertThat(tags.evidence()).startsWith("noise: v1 returns this array in varying order");
        // Only the exchanges compared before the array was known to be a set show its order change.
        assertThat(tags.count()).isEqualTo(1);
        FieldReport ranked = field(g, "$.ranked", DiffKind.ARRAY_ORDER_CHANGED);
        assertThat(ranked.decision()).isEqualTo(FieldDecision.DIFFERENT);
        assertThat(ranked.primaryDiffers()).isZero();
        assertThat(g.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(g.verdictLine()).contains("$.ranked (array order changed: 98% vs 0% between two v1 answers)")
                .doesNotContain("$.tags (");
    }

    @Test
    void aFormatChangeIsRealInAFieldWhoseValueIsNoise() {
        engine(100);
        for (int i = 0; i < 30; i++) {
            engine.learnNoiseNow(ROUTE, "GET", "/t", json(200, "{\"ts\":\"" + T0.plusMillis(i * 10L) + "\"}"),
                    json(200, "{\"ts\":\"" + T0.plusMillis(i * 10L + 3) + "\"}"));
        }
        for (int i = 0; i < 60; i++) {
            Instant t = T0.plusSeconds(i).plusMillis(123);
            String z = t.toString();
            String local = t.atOffset(java.time.ZoneOffset.ofHours(2)).toString();
            engine.compareAndRecord(pair("r" + i, "/t", json(200, "{\"ts\":\"" + z + "\"}"),
                    json(200, "{\"ts\":\"" + local + "\"}")));
        }
        GroupReport g = engine.report().groups().get(0);
        FieldReport format = field(g, "$.ts", DiffKind.FORMAT_CHANGED);
        assertThat(format.detail()).isEqualTo("ISO-8601 Z→ISO-8601 +02:00");
        assertThat(format.decision()).isEqualTo(FieldDecision.DIFFERENT);
        assertThat(format.count()).isEqualTo(60);
        assertThat(g.verdictLine()).contains("$.ts (format changed ISO-8601 Z→ISO-8601 +02:00: 100% vs 0%");
    }

    @Test
    void failIsStickyAfterTheEvidenceAndNamesItsReason() {
        engine(100);
        for (int i = 0; i < 40; i++) {
            engine.compareAndRecord(pair("bad" + i, "/p", json(200, "{\"price\":19.99}"),
                    json(200, "{\"price\":\"19.99\"}")));
        }
        for (int i = 0; i < 400; i++) {
            engine.compareAndRecord(pair("ok" + i, "/p", json(200, "{\"price\":19.99}"), json(200, "{\"price\":19.99}")));
        }
        RouteReport r = engine.report().route(ROUTE).orElseThrow();
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.verdictAfterRequests()).isEqualTo(20);
        assertThat(r.verdictReason()).contains("$.price (type changed number→string: 100%)");
        assertThat(r.verdictLine()).contains("$.price (type changed number→string");
        engine.reset();
        assertThat(engine.report().routes()).isEmpty();
    }

    @Test
    void moreErrorsFailWithBothRatesAndTheirIntervals() {
        engine(100);
        for (int i = 0; i < 300; i++) {
            engine.learnNoiseNow(ROUTE, "GET", "/e", json(200, "{}"), json(200, "{}"));
            CapturedResponse mirror = i % 10 == 0 ? json(503, "{\"error\":1}") : json(200, "{}");
            engine.compareAndRecord(pair("r" + i, "/e", json(200, "{}"), mirror));
        }
        RouteReport r = engine.report().route(ROUTE).orElseThrow();
        assertThat(r.errors().regression()).isTrue();
        assertThat(r.errors().mirrorOnly()).isEqualTo(30);
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.verdictLine()).contains("errors v2 10% [7.1%–14%] vs v1 0% [0%–1.3%]");
    }

    @Test
    void slowerFailsOnLatencyAgainstTheSamplesBaseline() {
        engine(100);
        for (int i = 0; i < 120; i++) {
            engine.learnNoiseNow(ROUTE, "GET", "/l", json(200, "{}"), timed(2 + i % 3));
            engine.compareAndRecord(pair("r" + i, "/l", timed(2 + i % 3), timed(46 + i % 3)));
        }
        RouteReport r = engine.report().route(ROUTE).orElseThrow();
        assertThat(r.latency().baseline()).isEqualTo("v1 samples");
        assertThat(r.latency().regression()).isTrue();
        assertThat(r.latency().probabilityHigher()).isEqualTo(1.0);
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.verdictLine()).contains("slower: p95 4.1 ms → 48 ms");

        // The same latencies on both sides pass (the rank test sees no shift; the p95s are equal).
        engine.reset();
        for (int i = 0; i < 120; i++) {
            engine.learnNoiseNow(ROUTE, "GET", "/l", json(200, "{}"), timed(2 + i % 3));
            engine.compareAndRecord(pair("r" + i, "/l", timed(2 + i % 3), timed(2 + (i + 1) % 3)));
        }
        RouteReport ok = engine.report().route(ROUTE).orElseThrow();
        assertThat(ok.latency().regression()).isFalse();
        assertThat(ok.verdict()).isEqualTo(Verdict.PASS);
    }

    private static CapturedResponse timed(long millis) {
        return CapturedResponse.of(200, List.of(Map.entry("content-type", "application/json")),
                "{}".getBytes(StandardCharsets.UTF_8), millis * 1_000_000);
    }
}

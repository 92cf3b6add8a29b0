package io.shadowgate.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowgate.admin.ui.SamplePairs;
import io.shadowgate.compare.capture.CapturedResponse;
import io.shadowgate.compare.capture.ExchangePair;
import io.shadowgate.compare.engine.ComparisonEngine;
import io.shadowgate.compare.settings.CompareSettings;
import io.shadowgate.proxy.observe.RequestLog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pairs the dashboard shows whole: kept newest first within their bounds, compared again when read. */
class RetainedPairsTest {

    private static final String ROUTE = "default/app#0 primary";

    private ComparisonEngine engine;

    @BeforeEach
    void start() {
        engine = ComparisonEngine.create(CompareSettings.builder().build(), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private static RequestLog request(String id, String path) {
        return new RequestLog(Instant.parse("2026-01-01T00:00:00Z"), "GET", path, "app.example", "HTTP/1.1", 200, "-",
                0, 10, 1_000_000, "127.0.0.1:1", "outbound|80|v1|app", "primary", "default/app#0", id, "trace-" + id,
                "app", "v1", Map.of("version", "v1"), "default", false, null, "127.0.0.1", "test");
    }

    private static ExchangePair pair(String id, String route, String v1Body, String v2Body) {
        List<Map.Entry<String, String>> json = List.of(Map.entry("content-type", "application/json"));
        return new ExchangePair(id, route, "GET", "/api/products/1", "v1", "v2",
                CapturedResponse.of(200, json, v1Body.getBytes(StandardCharsets.UTF_8), 2_000_000),
                CapturedResponse.of(200, json, v2Body.getBytes(StandardCharsets.UTF_8), 1_000_000));
    }

    @Test
    void aKeptPairShowsBothAnswersAndWhereTheyDiffer() {
        RetainedPairs pairs = new RetainedPairs(engine, 10, 1 << 20);
        pairs.keep(request("a", "/api/products/1?x=1"), pair("a", ROUTE, "{\"id\":1,\"price\":19.99}",
                "{\"id\":1,\"price\":\"19.99 EUR\"}"));
        pairs.keep(request("b", "/api/products/1"), pair("b", ROUTE, "{\"id\":1}", "{\"id\":1}"));

        List<SamplePairs.Summary> recent = pairs.recent(ROUTE, 10);
        assertThat(recent).extracting(SamplePairs.Summary::requestId).containsExactly("b", "a");
        assertThat(recent.get(0).outcome()).isEqualTo("identical");
        assertThat(recent.get(1).outcome()).isEqualTo("different");
        assertThat(recent.get(1).differingPaths()).containsExactly("$.price");
        assertThat(pairs.recent("another route", 10)).isEmpty();
        assertThat(pairs.recent(null, 1)).hasSize(1);

        SamplePairs.Pair a = pairs.find("a").orElseThrow();
        assertThat(a.request().path()).as("the path as received, with its query").isEqualTo("/api/products/1?x=1");
        assertThat(a.request().traceId()).isEqualTo("trace-a");
        assertThat(a.request().authority()).isEqualTo("app.example");
        assertThat(a.primary().version()).isEqualTo("v1");
        assertThat(a.primary().body()).isEqualTo("{\"id\":1,\"price\":19.99}");
        assertThat(a.mirror().body()).isEqualTo("{\"id\":1,\"price\":\"19.99 EUR\"}");
        assertThat(a.primary().headers()).containsExactly(new SamplePairs.Header("content-type", "application/json"));
        assertThat(a.primary().latencyMillis()).isEqualTo(2.0);
        assertThat(a.outcome()).isEqualTo("different");
        assertThat(a.differences()).singleElement().satisfies(d -> {
            assertThat(d.location()).isEqualTo("$.price");
            assertThat(d.kind()).isEqualTo("TYPE_CHANGED");
            assertThat(d.detail()).isEqualTo("type changed number→string");
            assertThat(d.primaryValue()).isEqualTo("19.99");
            assertThat(d.mirrorValue()).isEqualTo("\"19.99 EUR\"");
            assertThat(d.noise()).isFalse();
        });
        assertThat(pairs.find("gone")).isEmpty();
    }

    @Test
    void keepsTheNewestWithinCountAndBytesAndForgetsOnClear() {
        RetainedPairs byCount = new RetainedPairs(engine, 2, 1 << 20);
        for (String id : List.of("1", "2", "3")) {
            byCount.keep(request(id, "/"), pair(id, ROUTE, "{}", "{}"));
        }
        assertThat(byCount.recent(null, 10)).extracting(SamplePairs.Summary::requestId).containsExactly("3", "2");
        assertThat(byCount.capacity()).isEqualTo(2);

        String big = "{\"pad\":\"" + "x".repeat(40) + "\"}"; // 50 bytes a side, 100 a pair
        RetainedPairs byBytes = new RetainedPairs(engine, 100, 250);
        for (String id : List.of("1", "2", "3")) {
            byBytes.keep(request(id, "/"), pair(id, ROUTE, big, big));
        }
        assertThat(byBytes.recent(null, 10)).extracting(SamplePairs.Summary::requestId).containsExactly("3", "2");
        RetainedPairs tooSmall = new RetainedPairs(engine, 100, 99);
        tooSmall.keep(request("1", "/"), pair("1", ROUTE, big, big));
        assertThat(tooSmall.recent(null, 10)).as("a pair larger than the whole bound is not kept").isEmpty();

        byCount.clear();
        assertThat(byCount.recent(null, 10)).isEmpty();
        assertThat(byCount.find("3")).isEmpty();
    }

    @Test
    void aBodyThatIsNotTextIsNotShownAsText() {
        RetainedPairs pairs = new RetainedPairs(engine, 10, 1 << 20);
        byte[] binary = {(byte) 0x1f, (byte) 0x8b, (byte) 0xff, 0};
        pairs.keep(request("g", "/"), new ExchangePair("g", ROUTE, "GET", "/", "v1", "v2",
                CapturedResponse.of(200, List.of(), binary, 1), CapturedResponse.of(200, List.of(), binary, 1)));
        SamplePairs.Pair g = pairs.find("g").orElseThrow();
        assertThat(g.primary().body()).isNull();
        assertThat(g.primary().bodyBytes()).isEqualTo(4);
    }
}

package io.shadowgate.admin.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowgate.admin.AdminServer;
import io.shadowgate.admin.spi.CompareEndpoint;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.telemetry.metrics.IstioMetrics;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.io.Writer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard over real sockets: its files with their content types and validators, the cross-site protection of
 * the admin API (a page from another site can neither reset the comparison nor read through DNS rebinding, while
 * command-line clients keep working), and {@code /stats/versions} summing a real metrics registry.
 */
class DashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private static final AtomicInteger RESETS = new AtomicInteger();

    private static AdminServer admin;
    private static PrometheusMeterRegistry registry;
    private static String base;

    @BeforeAll
    static void start() {
        registry = IstioMetrics.newPrometheusRegistry();
        IstioMetrics metrics = new IstioMetrics(registry);
        // Three answers of v1 (one 503), two of v2 as mirror (one timed out), one mirror dropped by a budget.
        metrics.onRequest(log(200, 3_000_000, false, "v1", null));
        metrics.onRequest(log(200, 40_000_000, false, "v1", null));
        metrics.onRequest(log(503, 7_000_000, false, "v1", null));
        metrics.onMirror(log(200, 2_000_000, true, "v2", "completed"));
        metrics.onMirror(log(0, 10_000_000_000L, true, "v2", "timeout"));
        metrics.onMirrorSkipped("outbound|80|v2|reviews.default.svc.cluster.local", "dropped_inflight");
        admin = AdminServer.builder().bind("127.0.0.1", 0).prometheus(registry).compare(new CountingCompare())
                .start();
        base = "http://127.0.0.1:" + admin.port();
    }

    @AfterAll
    static void stop() {
        admin.close();
        registry.close();
    }

    /** A comparison that only counts its resets (the state-changing action these tests aim at). */
    private static final class CountingCompare implements CompareEndpoint {
        @Override
        public Object report() {
            return Map.of("resets", RESETS.get());
        }

        @Override
        public void reset() {
            RESETS.incrementAndGet();
        }

        @Override
        public void exportJsonLines(Writer out) {
        }
    }

    private static RequestLog log(int status, long nanos, boolean mirror, String version, String outcome) {
        return new RequestLog(Instant.now(), "GET", "/", "reviews", "HTTP/1.1", status, "-", 0, 10, nanos,
                "127.0.0.1:9080", "outbound|80|" + version + "|reviews.default.svc.cluster.local", "r", "default/r#0",
                "id", null, "reviews.default.svc.cluster.local", version, Map.of("version", version, "app", "reviews"),
                "default", mirror, outcome, "127.0.0.1", "test");
    }

    private static HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void servesEveryFileWithItsTypeAValidatorAndAStrictPolicy() throws Exception {
        HttpResponse<byte[]> redirect = send("GET", "/ui");
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("location")).hasValue("/ui/");

        HttpResponse<byte[]> page = send("GET", "/ui/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=UTF-8");
        assertThat(page.headers().firstValue("content-security-policy")).hasValue(
                DashboardAssets.CONTENT_SECURITY_POLICY);
        assertThat(page.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(page.headers().firstValue("cache-control")).hasValue("no-cache");
        // Everything the page loads comes from this listener: no CDN, nothing absolute.
        assertThat(text(page)).contains("<script src=\"app.js\" defer></script>")
                .contains("href=\"app.css\"").doesNotContain("src=\"http").doesNotContain("href=\"http");

        Map<String, String> types = Map.of("index.html", "text/html; charset=UTF-8",
                "app.js", "text/javascript; charset=UTF-8", "app.css", "text/css; charset=UTF-8",
                "favicon.svg", "image/svg+xml");
        assertThat(types.keySet()).containsExactlyInAnyOrderElementsOf(DashboardAssets.FILES);
        for (Map.Entry<String, String> f : types.entrySet()) {
            HttpResponse<byte[]> r = send("GET", "/ui/" + f.getKey());
            assertThat(r.statusCode()).as(f.getKey()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).as(f.getKey()).hasValue(f.getValue());
            assertThat(r.body()).as(f.getKey()).isNotEmpty();
            String etag = r.headers().firstValue("etag").orElseThrow();
            HttpResponse<byte[]> again = send("GET", "/ui/" + f.getKey(), "if-none-match", etag);
            assertThat(again.statusCode()).as(f.getKey() + " revalidated").isEqualTo(304);
            assertThat(again.body()).isEmpty();
            HttpResponse<byte[]> stale = send("GET", "/ui/" + f.getKey(), "if-none-match", "\"older\"");
            assertThat(stale.statusCode()).as(f.getKey() + " with another validator").isEqualTo(200);
        }
        assertThat(text(send("GET", "/ui/app.js"))).contains("x-shadowgate-action");
        assertThat(send("GET", "/ui/missing.js").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/ui/../config").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/ui/").statusCode()).isEqualTo(405);
        JsonNode index = JSON.readTree(send("GET", "/?format=json").body());
        assertThat(index.path("endpoints").has("/ui/*")).isTrue();
    }

    @Test
    void browsersNeedSameOriginAndTheActionHeaderToChangeState() throws Exception {
        String self = "http://127.0.0.1:" + admin.port();
        int before = RESETS.get();
        // A form or script on another site: refused, nothing reset.
        HttpResponse<byte[]> crossOrigin = send("POST", "/compare/reset", "origin", "http://evil.example",
                "x-shadowgate-action", "dashboard");
        assertThat(crossOrigin.statusCode()).isEqualTo(403);
        assertThat(text(crossOrigin)).contains("origin 'http://evil.example'");
        assertThat(send("POST", "/compare/reset", "sec-fetch-site", "cross-site", "sec-fetch-mode", "navigate")
                .statusCode()).isEqualTo(403);
        // A sandboxed frame or a file:// page sends "Origin: null".
        assertThat(send("POST", "/compare/reset", "origin", "null", "x-shadowgate-action", "dashboard")
                .statusCode()).isEqualTo(403);
        // Same origin but without the header a cross-site form could not send either.
        HttpResponse<byte[]> noHeader = send("POST", "/compare/reset", "origin", self, "sec-fetch-site",
                "same-origin");
        assertThat(noHeader.statusCode()).isEqualTo(403);
        assertThat(text(noHeader)).contains("x-shadowgate-action");
        assertThat(RESETS.get()).isEqualTo(before);

        // The dashboard's own request.
        HttpResponse<byte[]> fromPage = send("POST", "/compare/reset", "origin", self, "sec-fetch-site",
                "same-origin", "x-shadowgate-action", "dashboard");
        assertThat(fromPage.statusCode()).isEqualTo(200);
        assertThat(RESETS.get()).isEqualTo(before + 1);
        // A command-line client (no Origin, no Sec-Fetch-*) works as before.
        assertThat(send("POST", "/compare/reset").statusCode()).isEqualTo(200);
        assertThat(RESETS.get()).isEqualTo(before + 2);
    }

    @Test
    void crossSiteReadsAndRebindingAreRefusedNavigationIsNot() throws Exception {
        assertThat(send("GET", "/compare", "sec-fetch-site", "cross-site", "sec-fetch-mode", "no-cors")
                .statusCode()).isEqualTo(403);
        assertThat(send("GET", "/ui/", "sec-fetch-site", "cross-site", "sec-fetch-mode", "navigate")
                .statusCode()).isEqualTo(200);
        // DNS rebinding: same-origin to the browser, but the Host names another site.
        RawResponse rebound = RawHttpClient.exchange(admin.port(), "GET /compare HTTP/1.1\r\nHost: evil.example:"
                + admin.port() + "\r\nSec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: cors\r\nConnection: close\r\n\r\n",
                Duration.ofSeconds(10));
        assertThat(rebound.statusCode()).isEqualTo(403);
        assertThat(rebound.bodyText()).contains("DNS rebinding");
        for (String host : List.of("localhost", "127.0.0.1", "[::1]", "dashboard.localhost")) {
            RawResponse ok = RawHttpClient.exchange(admin.port(), "GET /compare HTTP/1.1\r\nHost: " + host + ":"
                    + admin.port() + "\r\nSec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: cors\r\nConnection: close"
                    + "\r\n\r\n", Duration.ofSeconds(10));
            assertThat(ok.statusCode()).as(host).isEqualTo(200);
        }
    }

    @Test
    void versionStatsSumTheRegistryPerDestinationVersion() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/stats/versions");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode stats = JSON.readTree(r.body());
        assertThat(Instant.parse(stats.path("startedAt").asText())).isBefore(Instant.now());

        JsonNode v1 = stats.path("primary").get(0);
        assertThat(v1.path("service").asText()).isEqualTo("reviews.default.svc.cluster.local");
        assertThat(v1.path("version").asText()).isEqualTo("v1");
        assertThat(v1.path("requests").asLong()).isEqualTo(3);
        assertThat(v1.path("errors").asLong()).isEqualTo(1);
        JsonNode latency = v1.path("latency");
        assertThat(latency.path("count").asLong()).isEqualTo(3);
        assertThat(latency.path("sumMillis").asDouble()).isEqualTo(50.0);
        List<Double> bounds = JSON.convertValue(latency.path("bucketsMillis"), JSON.getTypeFactory()
                .constructCollectionType(List.class, Double.class));
        List<Long> counts = JSON.convertValue(latency.path("cumulativeCounts"), JSON.getTypeFactory()
                .constructCollectionType(List.class, Long.class));
        assertThat(bounds).startsWith(0.5, 1.0, 5.0, 10.0, 25.0, 50.0);
        // Cumulative: 3 ms is under 5, 7 ms under 10, 40 ms under 50.
        assertThat(counts.get(bounds.indexOf(1.0))).isZero();
        assertThat(counts.get(bounds.indexOf(5.0))).isEqualTo(1);
        assertThat(counts.get(bounds.indexOf(10.0))).isEqualTo(2);
        assertThat(counts.get(bounds.indexOf(25.0))).isEqualTo(2);
        assertThat(counts.get(bounds.indexOf(50.0))).isEqualTo(3);

        JsonNode v2 = stats.path("mirror").get(0);
        assertThat(v2.path("subset").asText()).isEqualTo("v2");
        assertThat(v2.path("requests").asLong()).isEqualTo(2);
        assertThat(v2.path("errors").asLong()).as("a mirror without an answer").isEqualTo(1);
        assertThat(v2.path("outcomes").path("completed").asLong()).isEqualTo(1);
        assertThat(v2.path("outcomes").path("timeout").asLong()).isEqualTo(1);
        assertThat(v2.path("latency").path("count").asLong()).as("only answered mirrors").isEqualTo(1);

        JsonNode skipped = stats.path("mirrorSkipped").get(0);
        assertThat(skipped.path("cluster").asText()).isEqualTo("outbound|80|v2|reviews.default.svc.cluster.local");
        assertThat(skipped.path("reason").asText()).isEqualTo("dropped_inflight");
        assertThat(skipped.path("count").asLong()).isEqualTo(1);
    }
}

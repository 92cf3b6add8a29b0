package io.shadowgate.telemetry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.config.snapshot.EndpointConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.LoadBalancerConfig;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.config.snapshot.MirrorPolicy;
import io.shadowgate.config.snapshot.RequestMatcher;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteOrigin;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import io.shadowgate.config.snapshot.WeightedDestination;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.proxy.observe.CompositeObserver;
import io.shadowgate.telemetry.accesslog.AccessLog;
import io.shadowgate.telemetry.metrics.GatewayIdentity;
import io.shadowgate.telemetry.metrics.IstioMetrics;
import io.shadowgate.telemetry.tracing.OtelTracer;
import io.shadowgate.telemetry.tracing.TracingOptions;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One proxy over real sockets, primary v1 and mirror v2, with metrics, access log and tracing all attached: proves
 * the three agree on what happened to each request.
 */
class TelemetryEndToEndTest {

    private static final String HOST = "reviews.default.svc.cluster.local";
    private static final int REQUESTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static ClusterConfig cluster(String subset, int port) {
        EndpointConfig ep = new EndpointConfig("127.0.0.1", port, Map.of("version", subset, "app", "reviews"), 1,
                null, "test");
        return new ClusterConfig(ClusterConfig.nameOf(HOST, 80, subset), HOST, "default", 80, "http", "HTTP", subset,
                "STATIC", List.of(ep), LoadBalancerConfig.DEFAULT, ConnectionPoolConfig.DEFAULT, null);
    }

    static RoutingSnapshot snapshot(ClusterConfig primary, ClusterConfig mirror) {
        WeightedDestination dest = new WeightedDestination(primary.name(), HOST, primary.subset(), 80, 100,
                HeaderOps.NONE, HeaderOps.NONE, null);
        MirrorPolicy mp = new MirrorPolicy(mirror.name(), HOST, mirror.subset(), 80, 1_000_000, 1_000_000);
        ForwardAction action = new ForwardAction(List.of(dest), 100, null, Duration.ZERO, RetryConfig.ISTIO_DEFAULT,
                null, List.of(mp), MirrorOptions.DEFAULTS, null);
        RouteConfig route = new RouteConfig("reviews-route", new RouteOrigin("default", "reviews", 0, -1, null, null,
                0), RequestMatcher.ANY, action, null);
        RouteTable table = new RouteTable(List.of(new VirtualHostConfig("*:0", List.of("*"), List.of(route))));
        return new RoutingSnapshot("sha256:e2e000000000", Instant.now(), List.of("test"),
                List.of(new ListenerConfig("127.0.0.1_0", "127.0.0.1", 0, List.of(), table)),
                Map.of(primary.name(), primary, mirror.name(), mirror), List.of());
    }

    @Test
    void metricsLogsAndTracesAgreeForPrimaryAndMirror() throws Exception {
        Path logFile = dir.resolve("access.log");
        PrometheusMeterRegistry registry = IstioMetrics.newPrometheusRegistry();
        IstioMetrics metrics = new IstioMetrics(registry, new GatewayIdentity("shadowgate", "istio-system",
                "shadowgate"));
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (TestBackend v1 = TestBackend.builder().name("v1").start();
             TestBackend v2 = TestBackend.builder().name("v2").start();
             AccessLog accessLog = AccessLog.create(logFile.toString(), "json");
             OtelTracer tracer = OtelTracer.create(TracingOptions.defaults(), spans)) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            ProxyServer proxy = ProxyServer.start(snapshot(c1, c2), ProxyOptions.builder().ioThreads(2).build(),
                    new CompositeObserver(List.of(accessLog, metrics)), RandomSource.THREAD_LOCAL, tracer);
            try {
                metrics.bindProxy(proxy);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    String id = "e2e-req-" + i;
                    ids.add(id);
                    HttpRequest.Builder rb = HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + proxy.port() + "/api/reviews/" + i))
                            .header("x-request-id", id).timeout(Duration.ofSeconds(10));
                    if (i == 0) {
                        rb.header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
                    }
                    HttpResponse<String> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.headers().firstValue("x-backend")).contains("v1");
                }
                List<RecordedRequest> mirrored = v2.awaitRequests(REQUESTS, Duration.ofSeconds(10));
                // Events fire when each exchange finishes (span ended first, then the access log, then metrics), which
                // can be just after the client saw its response: wait until metrics saw everything.
                await().atMost(Duration.ofSeconds(10)).until(() -> mirrorCount(registry.scrape()) == REQUESTS
                        && count(registry.scrape(), "istio_requests_total{") == REQUESTS);

                // ---- metrics: v1 in istio_*, v2 only in shadowgate_mirror_*
                String text = registry.scrape();
                List<String> istio = lines(text, "istio_requests_total{");
                assertThat(istio).hasSize(1);
                assertThat(istio.get(0)).contains("destination_version=\"v1\"", "response_code=\"200\"",
                        "reporter=\"source\"", "destination_service=\"" + HOST + "\"",
                        "destination_service_name=\"reviews\"", "destination_workload=\"reviews-v1\"");
                assertThat(istio.get(0)).endsWith(" " + (double) REQUESTS);
                assertThat(text).doesNotContainPattern("istio_[a-z_]+\\{[^}]*destination_version=\"v2\"");
                String mirrorLine = lines(text, "shadowgate_mirror_requests_total{").get(0);
                assertThat(mirrorLine).contains("destination_version=\"v2\"", "destination_subset=\"v2\"",
                        "outcome=\"completed\"", "response_code=\"200\"");
                assertThat(text).contains("shadowgate_upstream_connections_active{cluster=\"" + c1.name() + "\"}");
                assertThat(text).contains("shadowgate_config_version_info{version=\"sha256:e2e000000000\"} 1");
                assertThat(text).containsPattern("shadowgate_downstream_connections_total\\{listener=\"0\"} [1-9]");

                // ---- access log: two lines per request, same x-request-id, one of them the mirror
                assertThat(accessLog.flush(Duration.ofSeconds(5))).isTrue();
                List<JsonNode> entries = new ArrayList<>();
                for (String line : Files.readAllLines(logFile)) {
                    entries.add(JSON.readTree(line));
                }
                assertThat(entries).hasSize(2 * REQUESTS);
                Map<String, List<JsonNode>> byId = entries.stream()
                        .collect(Collectors.groupingBy(n -> n.get("x_request_id").asText()));
                assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(ids);
                for (List<JsonNode> pair : byId.values()) {
                    assertThat(pair).hasSize(2);
                    JsonNode p = pair.stream().filter(n -> !n.get("mirror").asBoolean()).findFirst().orElseThrow();
                    JsonNode m = pair.stream().filter(n -> n.get("mirror").asBoolean()).findFirst().orElseThrow();
                    assertThat(p.get("upstream_cluster").asText()).isEqualTo(c1.name());
                    assertThat(p.get("route_name").asText()).isEqualTo("reviews-route");
                    assertThat(p.get("upstream_host").asText()).isEqualTo("127.0.0.1:" + v1.port());
                    assertThat(m.get("upstream_cluster").asText()).isEqualTo(c2.name());
                    assertThat(m.get("mirror_outcome").asText()).isEqualTo("completed");
                    assertThat(m.get("upstream_host").asText()).isEqualTo("127.0.0.1:" + v2.port());
                    assertThat(m.get("trace_id").asText()).isEqualTo(p.get("trace_id").asText()).hasSize(32);
                }
                assertThat(byId.get("e2e-req-0").get(0).get("trace_id").asText())
                        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");

                // ---- traces: per request one trace holding the server span and its mirror child
                assertThat(tracer.flush(Duration.ofSeconds(5))).isTrue();
                List<SpanData> finished = spans.getFinishedSpanItems();
                assertThat(finished).hasSize(2 * REQUESTS);
                Map<String, List<SpanData>> byTrace = finished.stream()
                        .collect(Collectors.groupingBy(SpanData::getTraceId));
                assertThat(byTrace).hasSize(REQUESTS).containsKey("4bf92f3577b34da6a3ce929d0e0e4736");
                Map<String, RecordedRequest> v1ById = v1.requests().stream()
                        .collect(Collectors.toMap(r -> r.header("x-request-id"), Function.identity()));
                Map<String, RecordedRequest> v2ById = mirrored.stream()
                        .collect(Collectors.toMap(r -> r.header("x-request-id"), Function.identity()));
                for (JsonNode primaryEntry : entries.stream().filter(n -> !n.get("mirror").asBoolean()).toList()) {
                    String traceId = primaryEntry.get("trace_id").asText();
                    List<SpanData> trace = byTrace.get(traceId);
                    assertThat(trace).hasSize(2);
                    SpanData server = trace.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst()
                            .orElseThrow();
                    SpanData mirror = trace.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst()
                            .orElseThrow();
                    assertThat(server.getName()).isEqualTo("reviews-route");
                    assertThat(mirror.getName()).isEqualTo("mirror " + c2.name());
                    assertThat(mirror.getParentSpanId()).isEqualTo(server.getSpanId());
                    String id = primaryEntry.get("x_request_id").asText();
                    // v1 got the server span's context, v2 the mirror span's, unsampled.
                    assertThat(v1ById.get(id).header("traceparent")).contains(traceId + "-" + server.getSpanId());
                    String mirrorParent = v2ById.get(id).header("traceparent");
                    assertThat(mirrorParent).contains(traceId + "-" + mirror.getSpanId());
                    assertThat(Integer.parseInt(mirrorParent.substring(mirrorParent.length() - 2), 16) & 1)
                            .isZero();
                    assertThat(v2ById.get(id).header("x-b3-spanid")).isEqualTo(mirror.getSpanId());
                }
            } finally {
                proxy.shutdown(Duration.ofSeconds(2));
            }
        }
    }

    /**
     * With no exporter, trace headers are passed through: the primary backend receives them exactly as sent, the
     * mirror gets the same trace with sampled=0, a request without them gets none, and the log keeps the trace id.
     */
    @Test
    void withoutExporterTraceHeadersPassThroughUnchanged() throws Exception {
        Path logFile = dir.resolve("access-none.log");
        try (TestBackend v1 = TestBackend.builder().name("v1").start();
             TestBackend v2 = TestBackend.builder().name("v2").start();
             AccessLog accessLog = AccessLog.create(logFile.toString(), "json");
             OtelTracer tracer = OtelTracer.create(TracingOptions.of(TracingOptions.Exporter.NONE, null, 1.0))) {
            assertThat(tracer.recording()).isFalse();
            ProxyServer proxy = ProxyServer.start(snapshot(cluster("v1", v1.port()), cluster("v2", v2.port())),
                    ProxyOptions.builder().ioThreads(1).build(), new CompositeObserver(List.of(accessLog)),
                    RandomSource.THREAD_LOCAL, tracer);
            try {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
                Map<String, String> traced = Map.of("traceparent", tp, "tracestate", "congo=t61rcWkgMzE",
                        "x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7", "x-b3-spanid", "e457b5a2e4d86bd1",
                        "x-b3-sampled", "1", "b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1");
                HttpRequest.Builder rb = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + proxy.port() + "/traced")).header("x-request-id", "t-1");
                traced.forEach(rb::header);
                assertThat(client.send(rb.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port()
                        + "/plain")).header("x-request-id", "t-2").build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(200);

                List<RecordedRequest> primary = v1.awaitRequests(2, Duration.ofSeconds(10));
                RecordedRequest tracedPrimary = byPath(primary, "/traced");
                traced.forEach((name, value) -> assertThat(tracedPrimary.header(name)).as(name).isEqualTo(value));
                RecordedRequest plainPrimary = byPath(primary, "/plain");
                for (String name : traced.keySet()) {
                    assertThat(plainPrimary.header(name)).as(name).isNull();
                }

                List<RecordedRequest> mirrored = v2.awaitRequests(2, Duration.ofSeconds(10));
                RecordedRequest tracedMirror = byPath(mirrored, "/traced");
                assertThat(tracedMirror.header("traceparent"))
                        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
                assertThat(tracedMirror.header("b3")).isEqualTo("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-0");
                assertThat(tracedMirror.header("x-b3-sampled")).isEqualTo("0");
                assertThat(tracedMirror.header("x-b3-traceid")).isEqualTo("80f198ee56343ba864fe8b2a57d3eff7");
                assertThat(tracedMirror.header("tracestate")).isEqualTo("congo=t61rcWkgMzE");
                assertThat(byPath(mirrored, "/plain").header("traceparent")).isNull();

                assertThat(accessLog.flush(Duration.ofSeconds(5))).isTrue();
                await().atMost(Duration.ofSeconds(5)).until(() -> Files.readAllLines(logFile).size() == 4);
                for (String line : Files.readAllLines(logFile)) {
                    JsonNode n = JSON.readTree(line);
                    if (n.get("x_request_id").asText().equals("t-1")) {
                        assertThat(n.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
                    } else {
                        assertThat(n.get("trace_id").isNull()).isTrue();
                    }
                }
            } finally {
                proxy.close();
            }
        }
    }

    private static RecordedRequest byPath(List<RecordedRequest> requests, String path) {
        return requests.stream().filter(r -> r.path().startsWith(path)).findFirst().orElseThrow();
    }

    private static double mirrorCount(String text) {
        return count(text, "shadowgate_mirror_requests_total{");
    }

    private static double count(String text, String prefix) {
        return lines(text, prefix).stream()
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static List<String> lines(String text, String prefix) {
        return Arrays.stream(text.split("\n")).filter(l -> l.startsWith(prefix)).toList();
    }
}

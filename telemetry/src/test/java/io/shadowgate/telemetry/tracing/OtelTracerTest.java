package io.shadowgate.telemetry.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.shadowgate.config.snapshot.SimpleRequest;
import io.shadowgate.proxy.observe.RequestTracer;
import io.shadowgate.telemetry.Logs;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtelTracerTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private OtelTracer tracer;

    @AfterEach
    void tearDown() {
        if (tracer != null) {
            tracer.close();
        }
    }

    private OtelTracer tracer(TracingOptions options) {
        tracer = OtelTracer.create(options, exporter);
        return tracer;
    }

    private List<SpanData> spans(int n) {
        assertThat(tracer.flush(Duration.ofSeconds(5))).isTrue();
        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).hasSize(n);
        return spans;
    }

    private static Map<String, String> inject(RequestTracer.Span span) {
        Map<String, String> h = new LinkedHashMap<>();
        span.inject(h::put);
        return h;
    }

    /** The W3C sampled bit (other bits, such as level 2's "random", may be set too). */
    static boolean sampled(String traceparent) {
        return (Integer.parseInt(traceparent.substring(traceparent.length() - 2), 16) & 1) == 1;
    }

    private static SpanData named(List<SpanData> spans, SpanKind kind) {
        return spans.stream().filter(s -> s.getKind() == kind).findFirst().orElseThrow();
    }

    @Test
    void continuesW3cTraceAndAddsMirrorChildInTheSameTrace() {
        OtelTracer t = tracer(TracingOptions.defaults());
        SimpleRequest req = SimpleRequest.builder().url("http://reviews.example.com/api/v1/reviews?x=1")
                .header("traceparent", "00-" + TRACE + "-" + PARENT + "-01").header("user-agent", "curl/8")
                .remoteAddress("10.0.0.7").build();
        RequestTracer.Span server = t.start(req, "req-1");
        assertThat(server.traceId()).isEqualTo(TRACE);

        Map<String, String> up = inject(server);
        assertThat(up.get("traceparent")).startsWith("00-" + TRACE + "-").doesNotContain(PARENT);
        assertThat(sampled(up.get("traceparent"))).isTrue();
        assertThat(up.get("x-b3-traceid")).isEqualTo(TRACE);
        assertThat(up.get("x-b3-sampled")).isEqualTo("1");
        assertThat(up.get("b3")).startsWith(TRACE + "-").endsWith("-1");

        RequestTracer.Span mirror = server.mirrorChild("outbound|80|v2|reviews.default.svc.cluster.local");
        assertThat(mirror.traceId()).isEqualTo(TRACE);
        Map<String, String> mh = inject(mirror);
        // Shadows carry the trace unsampled by default, as Envoy does.
        assertThat(mh.get("traceparent")).startsWith("00-" + TRACE + "-");
        assertThat(sampled(mh.get("traceparent"))).isFalse();
        assertThat(mh.get("x-b3-sampled")).isEqualTo("0");
        assertThat(mh.get("traceparent")).isNotEqualTo(up.get("traceparent"));

        mirror.end(Logs.mirror("req-1", 200, "completed", 3));
        server.end(Logs.primary("req-1", "v1", 200, 5));

        List<SpanData> spans = spans(2);
        SpanData s = named(spans, SpanKind.SERVER);
        SpanData m = named(spans, SpanKind.CLIENT);
        assertThat(s.getName()).isEqualTo("reviews-route");
        assertThat(s.getTraceId()).isEqualTo(TRACE);
        assertThat(s.getParentSpanId()).isEqualTo(PARENT);
        assertThat(up.get("traceparent")).contains(s.getSpanId());
        assertThat(s.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("GET");
        assertThat(s.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/api/v1/reviews");
        assertThat(s.getAttributes().get(AttributeKey.stringKey("url.query"))).isEqualTo("x=1");
        assertThat(s.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertThat(s.getAttributes().get(AttributeKey.stringKey("shadowgate.route.name"))).isEqualTo("reviews-route");
        assertThat(s.getAttributes().get(AttributeKey.stringKey("upstream_cluster")))
                .isEqualTo("outbound|80|v1|reviews.default.svc.cluster.local");
        assertThat(s.getAttributes().get(AttributeKey.stringKey("response_flags"))).isEqualTo("-");
        assertThat(s.getAttributes().get(AttributeKey.stringKey("guid:x-request-id"))).isEqualTo("req-1");
        assertThat(s.getAttributes().get(AttributeKey.stringKey("user_agent.original"))).isEqualTo("curl/8");
        assertThat(s.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("shadowgate");

        assertThat(m.getName()).isEqualTo("mirror outbound|80|v2|reviews.default.svc.cluster.local");
        assertThat(m.getTraceId()).isEqualTo(TRACE);
        assertThat(m.getParentSpanId()).isEqualTo(s.getSpanId());
        assertThat(mh.get("traceparent")).contains(m.getSpanId());
        assertThat(m.getAttributes().get(AttributeKey.booleanKey("shadowgate.mirror"))).isTrue();
        assertThat(m.getAttributes().get(AttributeKey.stringKey("shadowgate.mirror.outcome"))).isEqualTo("completed");
        assertThat(m.getAttributes().get(AttributeKey.stringKey("shadowgate.destination.version"))).isEqualTo("v2");
        assertThat(m.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void continuesB3MultiAndSingle() {
        OtelTracer t = tracer(TracingOptions.defaults());
        RequestTracer.Span multi = t.start(SimpleRequest.builder().headers("x-b3-traceid", TRACE, "x-b3-spanid",
                PARENT, "x-b3-sampled", "1").build(), "a");
        assertThat(multi.traceId()).isEqualTo(TRACE);
        multi.end(Logs.primary("a", "v1", 200, 1));

        String trace2 = "0af7651916cd43dd8448eb211c80319c";
        RequestTracer.Span single = t.start(SimpleRequest.builder().header("b3", trace2 + "-" + PARENT + "-1")
                .build(), "b");
        assertThat(single.traceId()).isEqualTo(trace2);
        Map<String, String> out = inject(single);
        assertThat(out.get("x-b3-traceid")).isEqualTo(trace2);
        assertThat(out.get("x-b3-parentspanid")).isNull();
        assertThat(out.get("b3")).startsWith(trace2 + "-");
        single.end(Logs.primary("b", "v1", 200, 1));

        List<SpanData> spans = spans(2);
        assertThat(spans).allMatch(s -> s.getParentSpanId().equals(PARENT));
    }

    @Test
    void w3cWinsOverB3AndNewTracesStartWithoutHeaders() {
        OtelTracer t = tracer(TracingOptions.defaults());
        RequestTracer.Span both = t.start(SimpleRequest.builder()
                .header("traceparent", "00-" + TRACE + "-" + PARENT + "-01")
                .header("b3", "0af7651916cd43dd8448eb211c80319c-" + PARENT + "-1").build(), "a");
        assertThat(both.traceId()).isEqualTo(TRACE);
        RequestTracer.Span fresh = t.start(SimpleRequest.get("h", "/"), "b");
        assertThat(fresh.traceId()).hasSize(32).isNotEqualTo(TRACE);
        fresh.end(Logs.primary("b", "v1", 502, 1));
        both.end(Logs.primary("a", "v1", 200, 1));
        List<SpanData> spans = spans(2);
        SpanData root = spans.stream().filter(s -> s.getTraceId().equals(fresh.traceId())).findFirst().orElseThrow();
        assertThat(root.getParentSpanContext().isValid()).isFalse();
        assertThat(root.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void sampleRatioIsParentBased() {
        OtelTracer t = tracer(TracingOptions.of(TracingOptions.Exporter.NONE, null, 0.0));
        RequestTracer.Span unsampled = t.start(SimpleRequest.get("h", "/"), "a");
        // Not recorded, but still a valid trace context that is propagated (unsampled) and logged.
        assertThat(unsampled.traceId()).hasSize(32);
        assertThat(sampled(inject(unsampled).get("traceparent"))).isFalse();
        unsampled.mirrorChild("c").end(Logs.mirror("a", 200, "completed", 1));
        unsampled.end(Logs.primary("a", "v1", 200, 1));

        RequestTracer.Span parentSampled = t.start(SimpleRequest.builder()
                .header("traceparent", "00-" + TRACE + "-" + PARENT + "-01").build(), "b");
        parentSampled.end(Logs.primary("b", "v1", 200, 1));
        List<SpanData> spans = spans(1);
        assertThat(spans.get(0).getTraceId()).isEqualTo(TRACE);
    }

    @Test
    void propagationFormatsAndMirrorSamplingAreConfigurable() {
        OtelTracer t = tracer(TracingOptions.defaults()
                .withPropagation(TracingOptions.Propagation.parseList("tracecontext"))
                .withMirrorSampledDownstream(true));
        RequestTracer.Span s = t.start(SimpleRequest.get("h", "/"), "a");
        assertThat(inject(s)).containsOnlyKeys("traceparent");
        RequestTracer.Span m = s.mirrorChild("c");
        assertThat(sampled(inject(m).get("traceparent"))).isTrue();
        m.end(Logs.mirror("a", 0, "timeout", 1));
        s.end(Logs.primary("a", "v1", 200, 1));
        SpanData mirror = named(spans(2), SpanKind.CLIENT);
        assertThat(mirror.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(mirror.getAttributes().get(AttributeKey.stringKey("shadowgate.mirror.outcome")))
                .isEqualTo("timeout");
    }

    @Test
    void withoutExporterNothingIsTracedAndHeadersPassThrough() {
        OtelTracer none = OtelTracer.create(TracingOptions.of(TracingOptions.Exporter.NONE, null, 1.0));
        try {
            assertThat(none.recording()).isFalse();
            // No trace headers: no span, nothing written, no id.
            RequestTracer.Span plain = none.start(SimpleRequest.get("h", "/"), "a");
            assertThat(plain).isSameAs(RequestTracer.Span.NOOP);

            // W3C: the primary keeps the client's headers (nothing injected); the mirror gets sampled=0.
            RequestTracer.Span w3c = none.start(SimpleRequest.builder()
                    .header("traceparent", "00-" + TRACE + "-" + PARENT + "-01").build(), "b");
            assertThat(w3c.traceId()).isEqualTo(TRACE);
            assertThat(inject(w3c)).isEmpty();
            RequestTracer.Span w3cMirror = w3c.mirrorChild("c");
            assertThat(w3cMirror.traceId()).isEqualTo(TRACE);
            assertThat(inject(w3cMirror)).containsExactly(Map.entry("traceparent", "00-" + TRACE + "-" + PARENT
                    + "-00"));
            w3cMirror.end(Logs.mirror("b", 200, "completed", 1));
            w3c.end(Logs.primary("b", "v1", 200, 1));

            // B3 single and multi, 64-bit ids padded like OpenTelemetry's B3 propagator.
            RequestTracer.Span b3 = none.start(SimpleRequest.builder().header("b3", PARENT + "-" + PARENT + "-d")
                    .header("x-b3-traceid", PARENT).header("x-b3-spanid", PARENT).build(), "c");
            assertThat(b3.traceId()).isEqualTo("0000000000000000" + PARENT);
            assertThat(inject(b3.mirrorChild("c"))).containsOnly(Map.entry("b3", PARENT + "-" + PARENT + "-0"),
                    Map.entry("x-b3-sampled", "0"));
            assertThat(none.flush(Duration.ofSeconds(1))).isTrue();
        } finally {
            none.close();
        }
        OtelTracer keep = OtelTracer.create(TracingOptions.of(TracingOptions.Exporter.NONE, null, 1.0)
                .withMirrorSampledDownstream(true));
        RequestTracer.Span kept = keep.start(SimpleRequest.builder()
                .header("traceparent", "00-" + TRACE + "-" + PARENT + "-01").build(), "d");
        assertThat(inject(kept.mirrorChild("c"))).isEmpty();
        keep.close();
    }

    @Test
    void passThroughHelpers() {
        assertThat(OtelTracer.unsampledTraceparent("00-" + TRACE + "-" + PARENT + "-03"))
                .isEqualTo("00-" + TRACE + "-" + PARENT + "-02");
        assertThat(OtelTracer.unsampledTraceparent("garbage")).isNull();
        assertThat(OtelTracer.unsampledB3("1")).isEqualTo("0");
        assertThat(OtelTracer.unsampledB3(TRACE + "-" + PARENT)).isEqualTo(TRACE + "-" + PARENT + "-0");
        assertThat(OtelTracer.unsampledB3(TRACE + "-" + PARENT + "-1-" + PARENT))
                .isEqualTo(TRACE + "-" + PARENT + "-0-" + PARENT);
        assertThat(OtelTracer.passedTraceId(null, "0", null)).isNull();
        assertThat(OtelTracer.passedTraceId(null, null, TRACE)).isEqualTo(TRACE);
    }

    @Test
    void optionsParsing() {
        assertThat(TracingOptions.Exporter.parse("otlp")).isEqualTo(TracingOptions.Exporter.OTLP_HTTP);
        assertThat(TracingOptions.Exporter.parse("OTLP_GRPC")).isEqualTo(TracingOptions.Exporter.OTLP_GRPC);
        assertThat(TracingOptions.Exporter.parse("zipkin")).isEqualTo(TracingOptions.Exporter.ZIPKIN);
        assertThat(TracingOptions.Exporter.parse("none")).isEqualTo(TracingOptions.Exporter.NONE);
        assertThatThrownBy(() -> TracingOptions.Exporter.parse("jaeger")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TracingOptions.of(TracingOptions.Exporter.NONE, null, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TracingOptions.of(TracingOptions.Exporter.ZIPKIN, null, 1).effectiveEndpoint())
                .isEqualTo("http://localhost:9411/api/v2/spans");
        assertThat(TracingOptions.defaults().propagation()).containsExactly(TracingOptions.Propagation.TRACECONTEXT,
                TracingOptions.Propagation.B3MULTI, TracingOptions.Propagation.B3);
    }

    @Test
    void otlpExportersBuildAndCloseWithoutACollector() {
        int port = TestBackend.unusedPort();
        for (TracingOptions.Exporter e : List.of(TracingOptions.Exporter.OTLP_HTTP,
                TracingOptions.Exporter.OTLP_GRPC, TracingOptions.Exporter.NONE)) {
            OtelTracer t = OtelTracer.create(new TracingOptions(e, "http://127.0.0.1:" + port
                    + (e == TracingOptions.Exporter.OTLP_HTTP ? "/v1/traces" : ""), 1.0, null, null, false,
                    Map.of("authorization", "Bearer x"), Duration.ofSeconds(1)));
            t.close();
        }
    }

    @Test
    void zipkinExporterPostsJsonSpansWithTheJdkClient() {
        try (TestBackend zipkin = TestBackend.builder().name("zipkin").status(202).start()) {
            OtelTracer t = OtelTracer.create(TracingOptions.of(TracingOptions.Exporter.ZIPKIN,
                    zipkin.uri("/api/v2/spans").toString(), 1.0));
            RequestTracer.Span s = t.start(SimpleRequest.builder()
                    .header("traceparent", "00-" + TRACE + "-" + PARENT + "-01").build(), "a");
            s.mirrorChild("mirror-cluster").end(Logs.mirror("a", 200, "completed", 1));
            s.end(Logs.primary("a", "v1", 200, 1));
            t.close();
            List<RecordedRequest> got = zipkin.awaitRequests(1, Duration.ofSeconds(10));
            RecordedRequest r = got.get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/api/v2/spans");
            assertThat(r.header("content-type")).isEqualTo("application/json");
            String body = new String(r.bodyPrefix(), StandardCharsets.UTF_8);
            assertThat(body).startsWith("[").contains("\"traceId\":\"" + TRACE + "\"")
                    .contains("mirror mirror-cluster").contains("\"kind\":\"SERVER\"");
        }
    }
}

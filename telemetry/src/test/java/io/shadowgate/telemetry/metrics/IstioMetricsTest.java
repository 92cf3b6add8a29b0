package io.shadowgate.telemetry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowgate.proxy.observe.RequestLog;
import io.shadowgate.telemetry.Logs;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IstioMetricsTest {

    private PrometheusMeterRegistry registry;
    private IstioMetrics metrics;

    @BeforeEach
    void setUp() {
        registry = IstioMetrics.newPrometheusRegistry();
        metrics = new IstioMetrics(registry, new GatewayIdentity("shadowgate", "istio-system", "shadowgate"));
    }

    /**
     * Series are cached by the label map's identity: equal maps from different endpoints objects (or snapshots), a
     * cache cleared by a snapshot change or by its bound, flags and odd statuses all land on the same series.
     */
    @Test
    void seriesCacheNeverChangesWhatIsCounted() {
        int n = IstioMetrics.MAX_CACHED_DESTINATIONS + 10;
        for (int i = 0; i < n; i++) {
            metrics.onRequest(Logs.primary("r" + i, "v1", 200, 1)); // a new, equal label map each time
        }
        metrics.onSnapshot("sha256:next");
        metrics.onRequest(Logs.primary("x", "v1", 200, 1));
        RequestLog flagged = Logs.primary("y", "v1", 503, 1);
        for (int i = 0; i < 3; i++) {
            metrics.onRequest(withFlags(flagged, "UF,URX"));
        }
        metrics.onRequest(Logs.primary("z", "v1", 999, 1));
        for (int i = 0; i < 2; i++) {
            metrics.onMirror(Logs.mirror("m" + i, 200, "completed", 1));
        }
        metrics.onMirror(Logs.mirror("t", 0, "timeout", 1));
        String text = registry.scrape();
        assertThat(value(line(text, "istio_requests_total{", "response_code=\"200\"", "response_flags=\"-\"")))
                .isEqualTo(n + 1.0);
        assertThat(value(line(text, "istio_requests_total{", "response_code=\"503\"",
                "response_flags=\"UF,URX\""))).isEqualTo(3.0);
        assertThat(value(line(text, "istio_requests_total{", "response_code=\"999\""))).isEqualTo(1.0);
        assertThat(value(line(text, "shadowgate_mirror_requests_total{", "outcome=\"completed\"")))
                .isEqualTo(2.0);
        assertThat(value(line(text, "shadowgate_mirror_requests_total{", "outcome=\"timeout\"",
                "response_code=\"0\""))).isEqualTo(1.0);
    }

    private static RequestLog withFlags(RequestLog l, String flags) {
        return new RequestLog(l.startTime(), l.method(), l.path(), l.authority(), l.protocol(), l.status(), flags,
                l.bytesReceived(), l.bytesSent(), l.durationNanos(), l.upstreamHost(), l.cluster(), l.routeName(),
                l.routeKey(), l.requestId(), l.traceId(), l.destinationHost(), l.destinationSubset(),
                l.destinationLabels(), l.serviceNamespace(), l.mirror(), l.mirrorOutcome(), l.downstreamRemote(),
                l.userAgent());
    }

    @Test
    void primaryRequestsUseIstioNamesLabelsAndBuckets() {
        metrics.onRequest(Logs.primary("a", "v1", 200, 7));
        metrics.onRequest(Logs.primary("b", "v1", 200, 30));
        metrics.onRequest(Logs.primary("c", "v1", 503, 2));
        String text = registry.scrape();

        assertThat(text).contains("# TYPE istio_requests_total counter");
        assertThat(text).contains("# TYPE istio_request_duration_milliseconds histogram");
        assertThat(text).contains("# TYPE istio_request_bytes histogram");
        assertThat(text).contains("# TYPE istio_response_bytes histogram");

        String ok = line(text, "istio_requests_total{", "response_code=\"200\"");
        for (String label : List.of("reporter=\"source\"", "source_workload=\"shadowgate\"",
                "source_workload_namespace=\"istio-system\"", "source_app=\"shadowgate\"",
                "destination_service=\"reviews.default.svc.cluster.local\"", "destination_service_name=\"reviews\"",
                "destination_service_namespace=\"default\"", "destination_version=\"v1\"",
                "destination_workload=\"reviews-v1\"", "destination_app=\"reviews\"", "request_protocol=\"http\"",
                "response_flags=\"-\"", "connection_security_policy=\"unknown\"", "grpc_response_status=\"\"",
                "destination_canonical_service=\"reviews\"", "destination_canonical_revision=\"v1\"")) {
            assertThat(ok).contains(label);
        }
        assertThat(value(ok)).isEqualTo(2.0);
        assertThat(value(line(text, "istio_requests_total{", "response_code=\"503\""))).isEqualTo(1.0);

        // Istio's duration buckets, each one present; 7 ms and 30 ms land where Istio would put them.
        for (double le : IstioMetrics.DURATION_BUCKETS_MS) {
            assertThat(text).containsPattern("istio_request_duration_milliseconds_bucket\\{[^}]*le=\""
                    + Pattern.quote(le(le)) + "\"");
        }
        assertThat(value(line(text, "istio_request_duration_milliseconds_bucket{", "response_code=\"200\"",
                "le=\"5.0\""))).isEqualTo(0.0);
        assertThat(value(line(text, "istio_request_duration_milliseconds_bucket{", "response_code=\"200\"",
                "le=\"10.0\""))).isEqualTo(1.0);
        assertThat(value(line(text, "istio_request_duration_milliseconds_bucket{", "response_code=\"200\"",
                "le=\"50.0\""))).isEqualTo(2.0);
        assertThat(value(line(text, "istio_request_duration_milliseconds_bucket{", "response_code=\"200\"",
                "le=\"+Inf\""))).isEqualTo(2.0);
        assertThat(value(line(text, "istio_request_duration_milliseconds_sum{", "response_code=\"200\"")))
                .isEqualTo(37.0);
        for (double le : IstioMetrics.BYTE_BUCKETS) {
            assertThat(text).containsPattern("istio_response_bytes_bucket\\{[^}]*le=\"" + Pattern.quote(le(le))
                    + "\"");
            assertThat(text).containsPattern("istio_request_bytes_bucket\\{[^}]*le=\"" + Pattern.quote(le(le))
                    + "\"");
        }
        assertThat(value(line(text, "istio_response_bytes_bucket{", "response_code=\"200\"", "le=\"1000.0\"")))
                .isEqualTo(2.0);
        assertThat(value(line(text, "istio_request_bytes_count{", "response_code=\"200\""))).isEqualTo(2.0);
    }

    @Test
    void mirrorsNeverCountAsIstioRequests() {
        metrics.onRequest(Logs.primary("a", "v1", 200, 5));
        metrics.onMirror(Logs.mirror("a", 200, "completed", 6));
        metrics.onMirror(Logs.mirror("b", 0, "timeout", 10_000));
        metrics.onMirrorSkipped("outbound|80|v2|reviews.default.svc.cluster.local", "dropped_inflight");
        String text = registry.scrape();

        assertThat(lines(text, "istio_requests_total{")).hasSize(1).allMatch(l -> l.contains("destination_version=\"v1\""));
        assertThat(text).doesNotContain("istio_requests_total{" + "destination_version=\"v2\"");
        assertThat(lines(text, "istio_request_duration_milliseconds_count{"))
                .noneMatch(l -> l.contains("destination_version=\"v2\""));

        String completed = line(text, "shadowgate_mirror_requests_total{", "outcome=\"completed\"");
        assertThat(completed).contains("destination_service=\"reviews.default.svc.cluster.local\"",
                "destination_version=\"v2\"", "destination_subset=\"v2\"", "response_code=\"200\"");
        assertThat(value(completed)).isEqualTo(1.0);
        assertThat(value(line(text, "shadowgate_mirror_requests_total{", "outcome=\"timeout\"",
                "response_code=\"0\""))).isEqualTo(1.0);
        assertThat(text).contains("# TYPE shadowgate_mirror_request_duration_milliseconds histogram");
        assertThat(value(line(text, "shadowgate_mirror_request_duration_milliseconds_bucket{",
                "outcome=\"timeout\"", "le=\"5000.0\""))).isEqualTo(0.0);
        assertThat(value(line(text, "shadowgate_mirror_request_duration_milliseconds_bucket{",
                "outcome=\"timeout\"", "le=\"10000.0\""))).isEqualTo(1.0);
        assertThat(value(line(text, "shadowgate_mirror_skipped_total{", "reason=\"dropped_inflight\"",
                "cluster=\"outbound|80|v2|reviews.default.svc.cluster.local\""))).isEqualTo(1.0);
    }

    @Test
    void unmatchedRequestsAreUnknownDestinations() {
        metrics.onRequest(new io.shadowgate.proxy.observe.RequestLog(java.time.Instant.now(), "GET", "/nope",
                "nowhere", "HTTP/1.1", 404, "NR", 0, 0, 1_000_000, null, null, null, null, "id", null, null, null,
                java.util.Map.of(), null, false, null, "127.0.0.1", null));
        String l = line(registry.scrape(), "istio_requests_total{", "response_code=\"404\"");
        assertThat(l).contains("response_flags=\"NR\"", "destination_service=\"unknown\"",
                "destination_version=\"unknown\"", "destination_workload=\"unknown\"");
    }

    @Test
    void refusedRequestsAreCountedByListenerStatusAndReason() {
        metrics.onRequestRefused(8080, 505, "http2_prior_knowledge");
        metrics.onRequestRefused(8080, 400, "h2c_upgrade");
        metrics.onRequestRefused(8080, 400, "h2c_upgrade");
        String text = registry.scrape();
        assertThat(value(line(text, "shadowgate_downstream_rejected_total{", "reason=\"h2c_upgrade\"")))
                .isEqualTo(2.0);
        assertThat(line(text, "shadowgate_downstream_rejected_total{", "reason=\"http2_prior_knowledge\""))
                .contains("listener=\"8080\"").contains("response_code=\"505\"");
    }

    @Test
    void gatewayHealthAndConfigSeries() {
        metrics.onConnection(8080, 1);
        metrics.onConnection(8080, 1);
        metrics.onConnection(8080, -1);
        metrics.configApplied("sha256:aaaaaaaaaaaa");
        metrics.configRejected();
        metrics.configApplied("sha256:bbbbbbbbbbbb");
        metrics.bindActiveRequests(() -> 3);
        metrics.bindJvmMetrics();
        String text = registry.scrape();

        assertThat(value(line(text, "shadowgate_downstream_connections_active{", "listener=\"8080\"")))
                .isEqualTo(1.0);
        assertThat(value(line(text, "shadowgate_downstream_connections_total{", "listener=\"8080\"")))
                .isEqualTo(2.0);
        assertThat(value(line(text, "shadowgate_config_reloads_total{", "result=\"applied\""))).isEqualTo(2.0);
        assertThat(value(line(text, "shadowgate_config_reloads_total{", "result=\"rejected\""))).isEqualTo(1.0);
        assertThat(value(line(text, "shadowgate_config_reloads_total{", "result=\"rolled_back\""))).isEqualTo(0.0);
        assertThat(lines(text, "shadowgate_config_version_info{")).hasSize(1);
        assertThat(value(line(text, "shadowgate_config_version_info{", "version=\"sha256:bbbbbbbbbbbb\"")))
                .isEqualTo(1.0);
        assertThat(value(line(text, "shadowgate_requests_active"))).isEqualTo(3.0);
        assertThat(text).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
                "process_uptime_seconds");
        metrics.close();
    }

    // ------------------------------------------------------------------ helpers

    /** Micrometer's Prometheus exposition prints bucket bounds as Java doubles ("0.5", "1.0", "1000000.0"). */
    static String le(double v) {
        return Double.toString(v);
    }

    static List<String> lines(String text, String prefix) {
        return Arrays.stream(text.split("\n")).filter(l -> l.startsWith(prefix)).toList();
    }

    static String line(String text, String prefix, String... contains) {
        List<String> found = lines(text, prefix).stream()
                .filter(l -> Arrays.stream(contains).allMatch(l::contains)).toList();
        assertThat(found).as("lines starting with %s containing %s in%n%s", prefix, Arrays.toString(contains),
                text).hasSize(1);
        return found.get(0);
    }

    static double value(String line) {
        Matcher m = Pattern.compile(" ([-+0-9.eE]+|NaN|\\+Inf)$").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return Double.parseDouble(m.group(1));
    }
}

package io.shadowgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowgate.admin.spi.CompareEndpoint;
import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.config.snapshot.EndpointConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.LoadBalancerConfig;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.config.snapshot.MirrorPolicy;
import io.shadowgate.config.snapshot.OutlierConfig;
import io.shadowgate.config.snapshot.RequestMatcher;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RouteOrigin;
import io.shadowgate.config.snapshot.RouteTable;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import io.shadowgate.config.snapshot.WeightedDestination;
import io.shadowgate.control.ConfigController;
import io.shadowgate.control.ConfigOutcome;
import io.shadowgate.control.source.FileConfigSource;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.telemetry.metrics.IstioMetrics;
import io.shadowgate.testkit.backend.TestBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Every admin endpoint over real sockets, with a real proxy behind {@code /clusters}, {@code /listeners} and
 * {@code /config_dump}. */
class AdminServerTest {

    private static final String HOST = "reviews.default.svc.cluster.local";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static TestBackend v1;
    private static TestBackend v2;
    private static ProxyServer proxy;
    private static AdminServer admin;
    private static PrometheusMeterRegistry registry;
    private static final AtomicBoolean READY = new AtomicBoolean(false);
    @TempDir
    static Path configDir;
    private static ConfigController config;
    private static final FakeCompare COMPARE = new FakeCompare();
    private static ClusterConfig c1;
    private static ClusterConfig c2;

    static ClusterConfig cluster(String subset, int port, OutlierConfig outlier) {
        EndpointConfig ep = new EndpointConfig("127.0.0.1", port, Map.of("version", subset, "app", "reviews"), 1,
                "eu-west/eu-west-1a/rack1", "WorkloadEntry default/reviews-" + subset);
        return new ClusterConfig(ClusterConfig.nameOf(HOST, 80, subset), HOST, "default", 80, "http", "HTTP", subset,
                "STATIC", List.of(ep), LoadBalancerConfig.DEFAULT, ConnectionPoolConfig.DEFAULT, outlier);
    }

    static RoutingSnapshot snapshot() {
        WeightedDestination dest = new WeightedDestination(c1.name(), HOST, "v1", 80, 100,
                new HeaderOps(List.of(new HeaderOps.Stage(List.of("x-debug"),
                        List.of(new HeaderOps.Entry("x-route", io.shadowgate.config.snapshot.HeaderValue.literal(
                                "reviews"))), List.of()))), HeaderOps.NONE, null);
        MirrorPolicy mp = new MirrorPolicy(c2.name(), HOST, "v2", 80, 500_000, 1_000_000);
        ForwardAction action = new ForwardAction(List.of(dest), 100, null, Duration.ofSeconds(3),
                RetryConfig.ISTIO_DEFAULT, null, List.of(mp), MirrorOptions.DEFAULTS, null);
        RouteConfig route = new RouteConfig("reviews-route", new RouteOrigin("default", "reviews", 0, -1, null,
                "vs.yaml", 12), RequestMatcher.ANY, action, null);
        RouteTable table = new RouteTable(List.of(new VirtualHostConfig("reviews:80", List.of("*"), List.of(route))));
        return new RoutingSnapshot("sha256:admin0000000", Instant.parse("2025-01-01T00:00:00Z"), List.of("vs.yaml"),
                List.of(new ListenerConfig("127.0.0.1_0", "127.0.0.1", 0, List.of("istio-system/gw"), table)),
                Map.of(c1.name(), c1, c2.name(), c2), List.of());
    }

    @BeforeAll
    static void start() throws IOException {
        v1 = TestBackend.builder().name("v1").start();
        v2 = TestBackend.builder().name("v2").start();
        c1 = cluster("v1", v1.port(), new OutlierConfig(5, 0, Duration.ofSeconds(10), Duration.ofSeconds(30), 10, 0));
        c2 = cluster("v2", v2.port(), null);
        registry = IstioMetrics.newPrometheusRegistry();
        IstioMetrics metrics = new IstioMetrics(registry);
        proxy = ProxyServer.start(snapshot(), ProxyOptions.builder().ioThreads(1).build(), metrics,
                RandomSource.THREAD_LOCAL);
        metrics.bindProxy(proxy);
        // A real control plane over a file: applied, rejected, applied.
        config = controller(configDir.resolve("shared"));
        admin = AdminServer.builder().bind("127.0.0.1", 0).prometheus(registry).proxy(proxy)
                .readiness(READY::get).config(config).rollback(config).compare(COMPARE).start();
    }

    /** The route of a VirtualService in vs.yaml sends to {@code subset} (YAML as a user writes it). */
    static String yaml(String subset) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews}
                spec:
                  hosts: [reviews.example.internal]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: 18081}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {http: 18082}, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews.example.internal
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews.example.internal]
                  http:
                  - route:
                    - destination: {host: reviews.example.internal, subset: SUBSET}
                """.replace("SUBSET", subset);
    }

    /** A controller over {@code dir}/vs.yaml that went through v1 (applied), a negative weight (rejected), v2. */
    static ConfigController controller(Path dir) throws IOException {
        Path file = Files.createDirectories(dir).resolve("vs.yaml");
        Files.writeString(file, yaml("v1"));
        ConfigController c = ConfigController.builder()
                .source(new FileConfigSource(List.of(file), FileConfigSource.DEFAULT_POLL_INTERVAL)).build();
        assertThat(c.start().outcome()).isEqualTo(ConfigOutcome.APPLIED);
        Files.writeString(file, yaml("v2") + "      weight: -1\n");
        assertThat(c.refresh()).extracting(e -> e.outcome()).containsExactly(ConfigOutcome.REJECTED);
        Files.writeString(file, yaml("v2"));
        assertThat(c.refresh()).extracting(e -> e.outcome()).containsExactly(ConfigOutcome.APPLIED);
        return c;
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (config != null) {
            config.close();
        }
        if (proxy != null) {
            proxy.shutdown(Duration.ofSeconds(1));
        }
        v1.close();
        v2.close();
    }

    static HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return send(method, path, "");
    }

    static HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        return JSON.readTree(r.body());
    }

    @Test
    void indexListsEveryEndpoint() throws Exception {
        HttpResponse<String> r = send("GET", "/");
        assertThat(r.statusCode()).isEqualTo(200);
        for (String p : List.of("/ready", "/healthz", "/stats/prometheus", "/metrics", "/config_dump", "/clusters",
                "/listeners", "/logging", "/config", "/rollback", "/compare", "/compare/reset", "/compare/export")) {
            assertThat(r.body()).contains(" " + p + ": ");
        }
        assertThat(json(send("GET", "/?format=json")).get("endpoints").has("/rollback")).isTrue();
        assertThat(admin.paths()).contains("/", "/ready", "/compare/export");
    }

    @Test
    void readyFollowsTheSupplierAndHealthzIsAlwaysOk() throws Exception {
        READY.set(false);
        HttpResponse<String> notReady = send("GET", "/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        READY.set(true);
        HttpResponse<String> ready = send("GET", "/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("LIVE\n");
        HttpResponse<String> head = send("HEAD", "/ready");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusScrapeOnBothPaths() throws Exception {
        HttpResponse<String> through = CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.port() + "/x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(through.statusCode()).isEqualTo(200);
        // The request's metrics are recorded when the exchange finishes, just after the client saw the response.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> registry.scrape().contains("istio_requests_total{"));
        for (String path : List.of("/stats/prometheus", "/metrics")) {
            HttpResponse<String> r = send("GET", path);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).contains("text/plain; version=0.0.4; charset=utf-8");
            assertThat(r.body()).contains("# TYPE istio_requests_total counter")
                    .contains("destination_version=\"v1\"")
                    .contains("shadowgate_config_version_info{version=\"sha256:admin0000000\"} 1");
        }
    }

    @Test
    void configDumpShowsListenersRoutesAndClusters() throws Exception {
        JsonNode d = json(send("GET", "/config_dump"));
        assertThat(d.get("version").asText()).isEqualTo("sha256:admin0000000");
        assertThat(d.get("sources").get(0).asText()).isEqualTo("vs.yaml");
        JsonNode listener = d.get("listeners").get(0);
        assertThat(listener.get("name").asText()).isEqualTo("127.0.0.1_0");
        assertThat(listener.get("gateways").get(0).asText()).isEqualTo("istio-system/gw");
        JsonNode route = listener.get("virtual_hosts").get(0).get("routes").get(0);
        assertThat(route.get("name").asText()).isEqualTo("reviews-route");
        assertThat(route.get("origin").get("key").asText()).isEqualTo("default/reviews#0");
        assertThat(route.get("origin").get("line").asInt()).isEqualTo(12);
        assertThat(route.get("match").asText()).isEqualTo("any request");
        JsonNode action = route.get("action");
        assertThat(action.get("type").asText()).isEqualTo("forward");
        assertThat(action.get("destinations").get(0).get("cluster").asText()).isEqualTo(c1.name());
        assertThat(action.get("destinations").get(0).get("weight").asInt()).isEqualTo(100);
        assertThat(action.get("destinations").get(0).get("request_headers").get(0).get("set").get("x-route")
                .asText()).isEqualTo("reviews");
        assertThat(action.get("mirrors").get(0).get("cluster").asText()).isEqualTo(c2.name());
        assertThat(action.get("mirrors").get(0).get("percentage").asDouble()).isEqualTo(50.0);
        assertThat(action.get("timeout").asText()).isEqualTo("3s");
        assertThat(action.get("retries").get("attempts").asInt()).isEqualTo(2);
        JsonNode clusters = d.get("clusters");
        assertThat(clusters).hasSize(2);
        JsonNode cv1 = clusters.get(0);
        assertThat(cv1.get("name").asText()).isEqualTo(c1.name());
        assertThat(cv1.get("endpoints").get(0).get("labels").get("version").asText()).isEqualTo("v1");
        assertThat(cv1.get("outlier_detection").get("consecutive_5xx").asInt()).isEqualTo(5);
        assertThat(cv1.get("connection_pool").get("max_connections").asLong()).isEqualTo(4294967295L);
        assertThat(cv1.get("load_balancer").get("simple").asText()).isEqualTo("LEAST_REQUEST");

        assertThat(json(send("GET", "/config_dump?resource=clusters"))).hasSize(2);
        assertThat(send("GET", "/config_dump?resource=secrets").statusCode()).isEqualTo(400);
    }

    @Test
    void clustersAsTextAndJson() throws Exception {
        HttpResponse<String> r = send("GET", "/clusters");
        assertThat(r.statusCode()).isEqualTo(200);
        String ep = c1.name() + "::127.0.0.1:" + v1.port();
        assertThat(r.body()).contains(ep + "::health_flags::healthy\n", ep + "::rq_active::0\n",
                ep + "::ejections::0\n", ep + "::region::eu-west\n", ep + "::labels::app=reviews,version=v1\n",
                c1.name() + "::default_priority::max_connections::4294967295\n", c1.name() + "::cx_active::",
                c2.name() + "::mirror_rq_active::0\n");
        JsonNode j = json(send("GET", "/clusters?format=json"));
        JsonNode first = j.get("cluster_statuses").get(0);
        assertThat(first.get("name").asText()).isEqualTo(c1.name());
        JsonNode host = first.get("host_statuses").get(0);
        assertThat(host.get("address").asText()).isEqualTo("127.0.0.1:" + v1.port());
        assertThat(host.get("health").asText()).isEqualTo("healthy");
        assertThat(host.get("labels").get("version").asText()).isEqualTo("v1");
        assertThat(host.get("requests_active").asInt()).isZero();
    }

    @Test
    void listenersAsTextAndJson() throws Exception {
        HttpResponse<String> r = send("GET", "/listeners");
        assertThat(r.body()).isEqualTo("127.0.0.1_0::127.0.0.1:" + proxy.port() + "\n");
        JsonNode j = json(send("GET", "/listeners?format=json")).get("listener_statuses").get(0);
        assertThat(j.get("name").asText()).isEqualTo("127.0.0.1_0");
        assertThat(j.get("port").asInt()).isEqualTo(proxy.port());
        assertThat(j.get("gateways").get(0).asText()).isEqualTo("istio-system/gw");
    }

    @Test
    void loggingListsAndChangesLevels() throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        LoggerFactory.getLogger("io.shadowgate.admintest.child");
        try {
            HttpResponse<String> list = send("GET", "/logging");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).startsWith("active loggers:\n").contains("  ROOT: info\n");

            HttpResponse<String> set = send("POST", "/logging?io.shadowgate.admintest=debug");
            assertThat(set.statusCode()).isEqualTo(200);
            assertThat(ctx.getLogger("io.shadowgate.admintest").getLevel()).isEqualTo(Level.DEBUG);
            assertThat(set.body()).contains("  io.shadowgate.admintest.child: debug (inherited)\n");

            assertThat(send("POST", "/logging?paths=io.shadowgate.admintest:warning").statusCode()).isEqualTo(200);
            assertThat(ctx.getLogger("io.shadowgate.admintest").getLevel()).isEqualTo(Level.WARN);

            JsonNode j = json(send("GET", "/logging?format=json"));
            assertThat(j.get("loggers").get("io.shadowgate.admintest").get("level").asText()).isEqualTo("warn");

            assertThat(send("POST", "/logging?level=trace").statusCode()).isEqualTo(200);
            assertThat(ctx.getLogger("ROOT").getLevel()).isEqualTo(Level.TRACE);
            assertThat(ctx.getLogger("io.shadowgate.admintest").getLevel()).isEqualTo(Level.TRACE);

            assertThat(send("POST", "/logging?level=loud").statusCode()).isEqualTo(400);
            assertThat(send("POST", "/logging").statusCode()).isEqualTo(400);
            assertThat(send("POST", "/logging?io.shadowgate.admintest=inherit").statusCode()).isEqualTo(200);
            assertThat(ctx.getLogger("io.shadowgate.admintest").getLevel()).isNull();
        } finally {
            ctx.getLogger("ROOT").setLevel(Level.INFO);
            ctx.getLogger("io.netty").setLevel(Level.INFO);
            ctx.getLogger("io.shadowgate.admintest").setLevel(null);
        }
    }

    @Test
    void configShowsVersionAndHistory() throws Exception {
        JsonNode j = json(send("GET", "/config"));
        assertThat(j.get("version").asText()).isEqualTo(config.current().version()).startsWith("sha256:");
        assertThat(j.get("number").asInt()).isEqualTo(2);
        assertThat(j.get("sources").get(0).asText()).endsWith("vs.yaml");
        assertThat(j.get("sources_match_serving").asBoolean()).isTrue();
        assertThat(j.get("drift").isNull()).isTrue();
        JsonNode versions = j.get("versions");
        assertThat(versions.size()).isEqualTo(2);
        assertThat(versions.get(0).get("number").asInt()).isEqualTo(2);
        assertThat(versions.get(0).get("parent").asInt()).isEqualTo(1);
        assertThat(versions.get(0).get("serving").asBoolean()).isTrue();
        assertThat(versions.get(0).get("changes").get(0).asText()).isEqualTo("modified VirtualService default/reviews");
        assertThat(j.get("applied_at").asText()).isNotEmpty();
        JsonNode h = j.get("history");
        assertThat(h.size()).isGreaterThanOrEqualTo(3);
        List<String> outcomes = new ArrayList<>();
        h.forEach(e -> outcomes.add(e.get("outcome").asText()));
        assertThat(outcomes).containsSubsequence("applied", "rejected", "applied");
        JsonNode rejected = h.get(outcomes.indexOf("rejected"));
        assertThat(rejected.get("messages").get(0).asText()).isEqualTo("rejected: 1 error(s); still serving #1 ("
                + versions.get(1).get("version").asText() + ")");
        assertThat(rejected.get("messages").get(1).asText()).contains("IST0106").contains("vs.yaml:29:15");
        assertThat(h.get(0).get("number").asInt()).isEqualTo(2);
        assertThat(h.get(0).get("from_number").asInt()).isEqualTo(1);
    }

    @Test
    void rollbackAnswers200Then409() throws Exception {
        // Its own control plane and admin server, so the shared one keeps its history for the other tests.
        try (ConfigController own = controller(configDir.resolve("rollback"));
             AdminServer a = AdminServer.builder().bind("127.0.0.1", 0).config(own).rollback(own).start()) {
            String old = own.versions().get(1).version();
            HttpResponse<String> ok = post(a, "/rollback");
            assertThat(ok.statusCode()).isEqualTo(200);
            JsonNode j = json(ok);
            assertThat(j.get("rolled_back").asBoolean()).isTrue();
            assertThat(j.get("to_version").asText()).isEqualTo(old);
            assertThat(j.get("to_number").asInt()).isEqualTo(1);
            assertThat(j.get("from_number").asInt()).isEqualTo(2);
            HttpResponse<String> none = post(a, "/rollback");
            assertThat(none.statusCode()).isEqualTo(409);
            assertThat(json(none).get("message").asText()).contains("nothing to roll back");
            assertThat(json(none).get("status").asText()).isEqualTo("start_of_history");
            HttpResponse<String> unknown = post(a, "/rollback?to=9");
            assertThat(unknown.statusCode()).isEqualTo(404);
            HttpResponse<String> to = post(a, "/rollback?to=2");
            assertThat(to.statusCode()).isEqualTo(200);
            assertThat(json(to).get("to_number").asInt()).isEqualTo(2);
            JsonNode status = JSON.readTree(CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + a.port() + "/config")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(status.get("number").asInt()).isEqualTo(2);
            assertThat(status.get("pinned_by_rollback").asBoolean()).isTrue();
        }
        assertThat(send("GET", "/rollback").statusCode()).isEqualTo(405);
    }

    static HttpResponse<String> post(AdminServer a, String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void compareReportResetAndExport() throws Exception {
        COMPARE.compared.set(7);
        JsonNode report = json(send("GET", "/compare"));
        assertThat(report.get("compared").asInt()).isEqualTo(7);
        assertThat(report.get("routes").get(0).get("route").asText()).isEqualTo("default/reviews#0");
        HttpResponse<String> export = send("GET", "/compare/export");
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("content-type")).contains("application/x-ndjson");
        List<String> lines = export.body().lines().toList();
        assertThat(lines).hasSize(2);
        for (String l : lines) {
            assertThat(JSON.readTree(l).get("path").asText()).startsWith("/api/products/");
        }
        assertThat(send("GET", "/compare/reset").statusCode()).isEqualTo(405);
        HttpResponse<String> reset = send("POST", "/compare/reset");
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(json(send("GET", "/compare")).get("compared").asInt()).isZero();
    }

    @Test
    void unknownPathsWrongMethodsAndLargeBodies() throws Exception {
        HttpResponse<String> missing = send("GET", "/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        HttpResponse<String> wrong = send("POST", "/ready");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("allow")).contains("GET");
        assertThat(send("DELETE", "/clusters").statusCode()).isEqualTo(405);
        assertThat(send("GET", "/clusters/").statusCode()).isEqualTo(200);
        HttpResponse<String> big = send("POST", "/logging", "x".repeat(AdminServer.DEFAULT_MAX_REQUEST_BYTES + 1));
        assertThat(big.statusCode()).isEqualTo(413);
        // The server still answers afterwards.
        assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void nonLoopbackNeedsTheExplicitFlag() {
        assertThatThrownBy(() -> AdminServer.builder().bind("0.0.0.0", 0).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a loopback address");
        try (AdminServer open = AdminServer.builder().bind("0.0.0.0:0").allowNonLoopback(true).start()) {
            assertThat(open.port()).isPositive();
            assertThat(open.paths()).containsExactly("/", "/ready", "/healthz", "/logging", "/ui/*");
        }
        assertThatThrownBy(() -> AdminServer.builder().bind("localhost")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bindParsesHostPortForms() {
        try (AdminServer a = AdminServer.builder().bind(":0").start()) {
            assertThat(a.address().getAddress().isLoopbackAddress()).isTrue();
        }
        try (AdminServer b = AdminServer.builder().bind("localhost:0").start()) {
            assertThat(b.address().getAddress().isLoopbackAddress()).isTrue();
        }
    }

    /** A comparison engine stand-in. */
    static final class FakeCompare implements CompareEndpoint {
        final AtomicInteger compared = new AtomicInteger();

        @Override
        public Object report() {
            return Map.of("compared", compared.get(),
                    "routes", List.of(Map.of("route", "default/reviews#0", "mismatches", 2)));
        }

        @Override
        public void reset() {
            compared.set(0);
        }

        @Override
        public void exportJsonLines(java.io.Writer out) throws IOException {
            out.write("{\"path\":\"/api/products/1\",\"field\":\"price\"}\n");
            out.write("{\"path\":\"/api/products/2\",\"field\":\"inStock\"}\n");
        }
    }
}

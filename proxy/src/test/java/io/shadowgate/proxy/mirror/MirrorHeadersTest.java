package io.shadowgate.proxy.mirror;

import static io.shadowgate.proxy.mirror.MirrorFixtures.cluster;
import static io.shadowgate.proxy.mirror.MirrorFixtures.dest;
import static io.shadowgate.proxy.mirror.MirrorFixtures.forward;
import static io.shadowgate.proxy.mirror.MirrorFixtures.mirrorAll;
import static io.shadowgate.proxy.mirror.MirrorFixtures.mirrorOptions;
import static io.shadowgate.proxy.mirror.MirrorFixtures.ops;
import static io.shadowgate.proxy.mirror.MirrorFixtures.options;
import static io.shadowgate.proxy.mirror.MirrorFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.proxy.options.ProxyOptions;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the copy carries: method, path after the route's rewrite, the primary's {@code x-request-id}, the route's
 * header operations, the marker header, the Host with or without {@code -shadow}, and the mirror-only options
 * (method filter, stripped headers, copy header operations) that never touch the primary.
 */
class MirrorHeadersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private TestBackend v1;
    private TestBackend v2;
    private ClusterConfig c1;
    private ClusterConfig c2;
    private final MirrorRecorder rec = new MirrorRecorder();

    @BeforeEach
    void backends() {
        v1 = TestBackend.start("v1");
        v2 = TestBackend.start("v2");
        c1 = cluster("v1", v1.port());
        c2 = cluster("v2", v2.port());
    }

    @AfterEach
    void close() {
        v1.close();
        v2.close();
    }

    private ProxyServer proxy(Function<ClusterConfig, ForwardAction> route, ProxyOptions options) {
        return ProxyServer.start(snapshot(route.apply(c1), c1, c2), options, rec, RandomSource.THREAD_LOCAL);
    }

    private static RawResponse send(ProxyServer proxy, String request) {
        try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
            client.send(request.getBytes(StandardCharsets.ISO_8859_1));
            RawResponse r = client.readResponse(TIMEOUT);
            assertThat(r.statusCode()).as(r.toString()).isEqualTo(200);
            assertThat(r.header("x-backend")).isEqualTo("v1");
            return r;
        }
    }

    private static RecordedRequest at(TestBackend backend, String id) {
        await().atMost(TIMEOUT).until(() -> backend.requests().stream()
                .anyMatch(r -> id.equals(r.header("x-request-id"))));
        List<RecordedRequest> all = backend.requests().stream()
                .filter(r -> id.equals(r.header("x-request-id"))).toList();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void copyHasMethodRewrittenPathRequestIdRouteHeadersAndMarker() {
        HeaderOps routeOps = ops(List.of("x-drop-by-route"), "x-route-op", "set-by-route");
        try (ProxyServer proxy = proxy(c -> forward(dest(c, routeOps), List.of(mirrorAll(c2)),
                MirrorFixtures.prefixRewrite("/api", "/v2api"), Duration.ZERO, MirrorOptions.DEFAULTS),
                options().build())) {
            send(proxy, "PUT /api/items?q=1&r=2 HTTP/1.1\r\nHost: app.example.com\r\nx-request-id: rid-1\r\n"
                    + "x-custom: keep\r\nx-drop-by-route: gone\r\nContent-Length: 3\r\n\r\nabc");
            RecordedRequest primary = at(v1, "rid-1");
            RecordedRequest mirror = at(v2, "rid-1");

            assertThat(mirror.method()).isEqualTo("PUT");
            assertThat(mirror.uri()).isEqualTo("/v2api/items?q=1&r=2").isEqualTo(primary.uri());
            assertThat(mirror.header("x-envoy-original-path")).isEqualTo("/api/items?q=1&r=2");
            assertThat(mirror.header("x-route-op")).isEqualTo("set-by-route");
            assertThat(mirror.header("x-drop-by-route")).isNull();
            assertThat(mirror.header("x-custom")).isEqualTo("keep");
            assertThat(mirror.header("host")).isEqualTo("app.example.com").isEqualTo(primary.header("host"));
            assertThat(mirror.header("x-shadowgate-mirror")).isEqualTo("true");
            assertThat(mirror.headers("x-shadowgate-mirror")).hasSize(1);
            assertThat(mirror.bodyPrefix()).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
            assertThat(primary.header("x-shadowgate-mirror")).isNull();
            assertThat(primary.header("x-envoy-internal")).isNull();
        }
    }

    @Test
    void generatedRequestIdIsSharedWithTheMirror() {
        try (ProxyServer proxy = proxy(c -> forward(dest(c), List.of(mirrorAll(c2))), options().build())) {
            send(proxy, "GET /no-id HTTP/1.1\r\nHost: app.example.com\r\n\r\n");
            await().atMost(TIMEOUT).until(() -> v2.requests().size() == 1);
            String id = v1.requests().get(0).header("x-request-id");
            assertThat(id).isNotBlank();
            assertThat(v2.requests().get(0).header("x-request-id")).isEqualTo(id);
            assertThat(rec.awaitOutcome(id, TIMEOUT)).isEqualTo("completed");
        }
    }

    /** Envoy's {@code shadowAppendedHost}: the suffix goes before the port. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "app.example.com:8080, app.example.com-shadow:8080",
            "app.example.com, app.example.com-shadow",
            "127.0.0.1:80, 127.0.0.1-shadow:80",
            "'[::1]:80', '[::1]-shadow:80'"})
    void shadowSuffixFromProxyOptions(String host, String shadowed) {
        try (ProxyServer proxy = proxy(c -> forward(dest(c), List.of(mirrorAll(c2))),
                options().shadowHostSuffix(true).build())) {
            send(proxy, "GET /h HTTP/1.1\r\nHost: " + host + "\r\nx-request-id: sfx\r\n\r\n");
            assertThat(at(v2, "sfx").header("host")).isEqualTo(shadowed);
            assertThat(at(v1, "sfx").header("host")).isEqualTo(host);
        }
    }

    @Test
    void noShadowSuffixByDefault() {
        try (ProxyServer proxy = proxy(c -> forward(dest(c), List.of(mirrorAll(c2))), options().build())) {
            send(proxy, "GET /h HTTP/1.1\r\nHost: app.example.com:8080\r\nx-request-id: nosfx\r\n\r\n");
            assertThat(at(v2, "nosfx").header("host")).isEqualTo("app.example.com:8080");
        }
    }

    @Test
    void shadowSuffixFromMirrorOptionsOverridesTheProxyDefault() {
        MirrorOptions on = mirrorOptions(Set.of(), Set.of(), HeaderOps.NONE, null, true);
        try (ProxyServer proxy = proxy(c -> forward(dest(c), List.of(mirrorAll(c2)), on), options().build())) {
            send(proxy, "GET /h HTTP/1.1\r\nHost: app.example.com:8080\r\nx-request-id: mo-on\r\n\r\n");
            assertThat(at(v2, "mo-on").header("host")).isEqualTo("app.example.com-shadow:8080");
            assertThat(at(v1, "mo-on").header("host")).isEqualTo("app.example.com:8080");
        }
        MirrorOptions off = mirrorOptions(Set.of(), Set.of(), HeaderOps.NONE, null, false);
        try (ProxyServer proxy = proxy(c -> forward(dest(c), List.of(mirrorAll(c2)), off),
                options().shadowHostSuffix(true).build())) {
            send(proxy, "GET /h HTTP/1.1\r\nHost: app.example.com:8080\r\nx-request-id: mo-off\r\n\r\n");
            assertThat(at(v2, "mo-off").header("host")).isEqualTo("app.example.com:8080");
        }
    }

    @Test
    void methodFilterSkipsOtherMethodsAndCountsThem() {
        MirrorOptions getHead = mirrorOptions(Set.of("GET", "HEAD"), Set.of(), HeaderOps.NONE, null, null);
        try (ProxyServer proxy = proxy(c -> forward(dest(c), List.of(mirrorAll(c2)), getHead), options().build())) {
            send(proxy, "GET /m HTTP/1.1\r\nHost: a\r\nx-request-id: m-get\r\n\r\n");
            send(proxy, "POST /m HTTP/1.1\r\nHost: a\r\nx-request-id: m-post\r\nContent-Length: 2\r\n\r\nhi");
            send(proxy, "DELETE /m HTTP/1.1\r\nHost: a\r\nx-request-id: m-delete\r\n\r\n");
            try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                client.send("HEAD /m HTTP/1.1\r\nHost: a\r\nx-request-id: m-head\r\n\r\n");
                assertThat(client.readResponse(TIMEOUT, true).statusCode()).isEqualTo(200);
            }
            assertThat(at(v2, "m-get").method()).isEqualTo("GET");
            assertThat(at(v2, "m-head").method()).isEqualTo("HEAD");
            assertThat(at(v1, "m-post").method()).isEqualTo("POST");
            assertThat(at(v1, "m-delete").method()).isEqualTo("DELETE");
            await().atMost(TIMEOUT).until(() -> proxy.mirrors().inFlight(c2.name()) == 0);
            assertThat(v2.requests()).extracting(RecordedRequest::method).containsExactlyInAnyOrder("GET", "HEAD");
            assertThat(rec.skips()).containsExactly(new MirrorRecorder.Skip(c2.name(), "skipped_method"),
                    new MirrorRecorder.Skip(c2.name(), "skipped_method"));
        }
    }

    @Test
    void strippedHeadersLeaveOnlyTheCopy() {
        MirrorOptions strip = mirrorOptions(Set.of(), Set.of("authorization", "cookie"), HeaderOps.NONE, null, null);
        try (ProxyServer proxy = proxy(c -> forward(dest(c), List.of(mirrorAll(c2)), strip), options().build())) {
            send(proxy, "GET /s HTTP/1.1\r\nHost: a\r\nx-request-id: strip\r\nAuthorization: Bearer secret\r\n"
                    + "Cookie: session=abc\r\nCookie: other=def\r\nx-keep: yes\r\n\r\n");
            RecordedRequest mirror = at(v2, "strip");
            RecordedRequest primary = at(v1, "strip");
            assertThat(mirror.header("authorization")).isNull();
            assertThat(mirror.headers("cookie")).isEmpty();
            assertThat(mirror.header("x-keep")).isEqualTo("yes");
            assertThat(primary.header("authorization")).isEqualTo("Bearer secret");
            assertThat(primary.headers("cookie")).containsExactly("session=abc", "other=def");
        }
    }

    @Test
    void copyHeaderOperationsApplyToTheCopyOnly() {
        HeaderOps copy = ops(List.of("x-secret"), "x-env", "shadow", "x-mode", "mirror");
        MirrorOptions mo = mirrorOptions(Set.of(), Set.of(), copy, null, null);
        try (ProxyServer proxy = proxy(c -> forward(dest(c), List.of(mirrorAll(c2)), mo), options().build())) {
            send(proxy, "GET /c HTTP/1.1\r\nHost: a\r\nx-request-id: copy\r\nx-secret: s3cr3t\r\nx-mode: live\r\n\r\n");
            RecordedRequest mirror = at(v2, "copy");
            RecordedRequest primary = at(v1, "copy");
            assertThat(mirror.header("x-secret")).isNull();
            assertThat(mirror.header("x-env")).isEqualTo("shadow");
            assertThat(mirror.headers("x-mode")).containsExactly("mirror");
            assertThat(primary.header("x-secret")).isEqualTo("s3cr3t");
            assertThat(primary.header("x-env")).isNull();
            assertThat(primary.headers("x-mode")).containsExactly("live");
        }
    }

    @Test
    void markerHeaderCanBeRenamedOrTurnedOff() {
        try (ProxyServer proxy = proxy(c -> forward(dest(c), List.of(mirrorAll(c2))),
                options().mirrorMarkerHeader("X-Is-Shadow").build())) {
            send(proxy, "GET /k HTTP/1.1\r\nHost: a\r\nx-request-id: renamed\r\n\r\n");
            RecordedRequest mirror = at(v2, "renamed");
            assertThat(mirror.header("x-is-shadow")).isEqualTo("true");
            assertThat(mirror.header("x-shadowgate-mirror")).isNull();
        }
        try (ProxyServer proxy = proxy(c -> forward(dest(c), List.of(mirrorAll(c2))),
                options().mirrorMarkerHeader(null).build())) {
            send(proxy, "GET /k HTTP/1.1\r\nHost: a\r\nx-request-id: unmarked\r\n\r\n");
            assertThat(at(v2, "unmarked").header("x-shadowgate-mirror")).isNull();
        }
    }
}

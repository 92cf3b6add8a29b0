package io.shadowgate.proxy.mirror;

import static io.shadowgate.proxy.mirror.MirrorFixtures.cluster;
import static io.shadowgate.proxy.mirror.MirrorFixtures.dest;
import static io.shadowgate.proxy.mirror.MirrorFixtures.forward;
import static io.shadowgate.proxy.mirror.MirrorFixtures.get;
import static io.shadowgate.proxy.mirror.MirrorFixtures.mirrorAll;
import static io.shadowgate.proxy.mirror.MirrorFixtures.mirrorToUnknown;
import static io.shadowgate.proxy.mirror.MirrorFixtures.options;
import static io.shadowgate.proxy.mirror.MirrorFixtures.pathPrefix;
import static io.shadowgate.proxy.mirror.MirrorFixtures.route;
import static io.shadowgate.proxy.mirror.MirrorFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.DirectResponseAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.RedirectAction;
import io.shadowgate.proxy.ProxyServer;
import io.shadowgate.proxy.runtime.RandomSource;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * When no mirror is sent: the mirror cluster does not exist (counted {@code unknown_cluster}, logged once, primary
 * unaffected), and — as in Envoy, where mirroring happens in the router after these checks — when the primary has
 * no healthy endpoint (503 UH) or no cluster (503 NC), for redirect and direct-response routes, and for CONNECT.
 */
class MirrorSkipTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void unknownMirrorClusterIsCountedAndLoggedOnce() {
        Logger logger = (Logger) LoggerFactory.getLogger(MirrorDispatcher.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            var unknown = mirrorToUnknown("no-such-subset");
            MirrorRecorder rec = new MirrorRecorder();
            var snap = snapshot(forward(dest(c1), List.of(unknown, mirrorAll(c2))), c1, c2);
            try (ProxyServer proxy = ProxyServer.start(snap, options().build(), rec, RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                for (int i = 0; i < 20; i++) {
                    RawResponse r = call(client, get("/u/" + i));
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.header("x-backend")).isEqualTo("v1");
                }
                assertThat(rec.skips()).hasSize(20)
                        .allMatch(s -> s.cluster().equals(unknown.cluster()) && s.reason().equals("unknown_cluster"));
                // The other mirror of the same route is unaffected.
                await().atMost(TIMEOUT).until(() -> v2.requests().size() == 20);
                List<ILoggingEvent> lines = appender.list.stream()
                        .filter(e -> e.getFormattedMessage().contains(unknown.cluster())).toList();
                assertThat(lines).hasSize(1);
                assertThat(lines.get(0).getLevel()).isEqualTo(Level.WARN);
            }
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void noMirrorForLocalRepliesUnhealthyOrMissingPrimaryAndConnect() {
        try (TestBackend v1 = TestBackend.start("v1"); TestBackend v2 = TestBackend.start("v2")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig c2 = cluster("v2", v2.port());
            ClusterConfig empty = cluster("empty");
            ClusterConfig absent = cluster("absent", v1.port());
            var routes = List.of(
                    route("uh", pathPrefix("/uh"), forward(dest(empty), List.of(mirrorAll(c2)))),
                    route("nc", pathPrefix("/nc"), forward(dest(absent), List.of(mirrorAll(c2)))),
                    route("redirect", pathPrefix("/redirect"), new RedirectAction("/elsewhere", null, null, null, 0,
                            null, null, 301, HeaderOps.NONE)),
                    route("direct", pathPrefix("/direct"), new DirectResponseAction(200,
                            "local".getBytes(StandardCharsets.UTF_8), HeaderOps.NONE)),
                    route("ok", pathPrefix("/"), forward(dest(c1), List.of(mirrorAll(c2)))));
            MirrorRecorder rec = new MirrorRecorder();
            // "absent" is routed to but not in the snapshot: Envoy's NC.
            var snap = snapshot(routes, c1, c2, empty);
            try (ProxyServer proxy = ProxyServer.start(snap, options().build(), rec, RandomSource.THREAD_LOCAL)) {
                // All on one keep-alive connection: a local answer to a complete (bodyless) request keeps it open.
                try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                    RawResponse uh = call(client, get("/uh"));
                    assertThat(uh.statusCode()).isEqualTo(503);
                    assertThat(uh.bodyText()).contains("no healthy upstream");
                    RawResponse nc = call(client, get("/nc"));
                    assertThat(nc.statusCode()).isEqualTo(503);
                    RawResponse redirect = call(client, get("/redirect"));
                    assertThat(redirect.statusCode()).isEqualTo(301);
                    assertThat(redirect.header("location")).endsWith("/elsewhere");
                    RawResponse direct = call(client, get("/direct"));
                    assertThat(direct.statusCode()).isEqualTo(200);
                    assertThat(direct.bodyText()).isEqualTo("local");
                    for (RawResponse r : List.of(uh, nc, redirect, direct)) {
                        assertThat(r.header("connection")).as("%s", r).isNull();
                        assertThat(r.closedByServer()).isFalse();
                    }
                }

                // CONNECT as a proxy client sends it (authority form), and in origin form, which would match the
                // forward route. Whether the gateway refuses it up front (400 today) or routes it, it is never
                // mirrored (Envoy never shadows CONNECT); only the absence of a mirror is asserted here.
                RawResponse connect = exchange(proxy, "CONNECT app.example.com:443 HTTP/1.1\r\n"
                        + "Host: app.example.com:443\r\n\r\n");
                assertThat(connect.statusCode()).isBetween(400, 599);
                try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                    client.send("CONNECT /tunnel HTTP/1.1\r\nHost: app.example.com\r\nx-request-id: connect\r\n\r\n");
                    client.readResponse(Duration.ofSeconds(2));
                }
                await().atMost(TIMEOUT).until(() -> proxy.activeRequests() == 0);

                // Control: the same mirror works on the forward route, so the absences above are meaningful.
                assertThat(exchange(proxy, get("/ok", "x-request-id: control")).statusCode()).isEqualTo(200);
                assertThat(rec.awaitOutcome("control", TIMEOUT)).isEqualTo("completed");
                await().atMost(TIMEOUT).until(() -> proxy.mirrors().inFlight(c2.name()) == 0);
                assertThat(v2.requests()).extracting(r -> r.header("x-request-id")).containsExactly("control");
                assertThat(rec.mirrors()).hasSize(1);
                assertThat(rec.skips()).isEmpty();
            }
        }
    }

    /** A mirror cluster that exists but has no endpoint: the mirror ends at once as {@code no_healthy_upstream}. */
    @Test
    void mirrorClusterWithoutEndpointsIsCountedAsNoHealthyUpstream() {
        try (TestBackend v1 = TestBackend.start("v1")) {
            ClusterConfig c1 = cluster("v1", v1.port());
            ClusterConfig empty = cluster("empty");
            MirrorRecorder rec = new MirrorRecorder();
            var snap = snapshot(forward(dest(c1), List.of(mirrorAll(empty))), c1, empty);
            try (ProxyServer proxy = ProxyServer.start(snap, options().build(), rec, RandomSource.THREAD_LOCAL);
                 RawHttpClient client = RawHttpClient.connect(proxy.port())) {
                for (int i = 0; i < 3; i++) {
                    RawResponse r = call(client, get("/e/" + i, "x-request-id: nh-" + i));
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(rec.awaitOutcome("nh-" + i, TIMEOUT)).isEqualTo("no_healthy_upstream");
                }
                assertThat(proxy.mirrors().inFlight(empty.name())).isZero();
            }
        }
    }

    private static RawResponse exchange(ProxyServer proxy, String request) {
        return RawHttpClient.exchange(proxy.port(), request, TIMEOUT);
    }

    private static RawResponse call(RawHttpClient client, String request) {
        client.send(request);
        return client.readResponse(TIMEOUT);
    }
}

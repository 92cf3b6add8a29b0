package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rewrites as the backend sees them: {@code rewrite.uri} replaces the matched prefix (or the whole path after an
 * exact match) and keeps the rest and the query, {@code x-envoy-original-path} carries the original {@code :path};
 * {@code uriRegexRewrite} substitutes with {@code \1} groups on the path without the query; {@code rewrite.authority}
 * becomes the upstream {@code Host}.
 */
class RewriteTest {

    private static TestBackend backend;
    private static YamlGateway gw;
    private static final HttpClient client = Http.client();

    @BeforeAll
    static void start() {
        backend = TestBackend.start("rw");
        gw = YamlGateway.start(Yaml.serviceEntry("rw", "rw.backends.internal", backend) + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: rw, namespace: default}
                spec:
                  hosts: [rw.example.com]
                  http:
                  - match: [{uri: {prefix: /api/v1}}]
                    rewrite: {uri: /v2}
                    route: [{destination: {host: rw.backends.internal}}]
                  - match: [{uri: {prefix: /Case/}, ignoreUriCase: true}]
                    rewrite: {uri: /lower/}
                    route: [{destination: {host: rw.backends.internal}}]
                  - match: [{uri: {exact: /old}}]
                    rewrite: {uri: /new/place}
                    route: [{destination: {host: rw.backends.internal}}]
                  - match: [{uri: {prefix: /users/}}]
                    rewrite:
                      uriRegexRewrite: {match: "^/users/([^/]+)/posts/([0-9]+)$", rewrite: "/p/\\\\2/u/\\\\1"}
                    route: [{destination: {host: rw.backends.internal}}]
                  - match: [{uri: {prefix: /host}}]
                    rewrite: {authority: internal.backend.example:9000}
                    route: [{destination: {host: rw.backends.internal}}]
                  - match: [{uri: {prefix: /both}}]
                    rewrite: {uri: /, authority: both.internal}
                    route: [{destination: {host: rw.backends.internal}}]
                  - match: [{uri: {prefix: /hdr-host}}]
                    headers: {request: {set: {host: via-header.internal}}}
                    route: [{destination: {host: rw.backends.internal}}]
                  - match: [{uri: {prefix: /dest-host}}]
                    route:
                    - destination: {host: rw.backends.internal}
                      headers: {request: {set: {":authority": via-destination.internal}}}
                  - match: [{uri: {prefix: /route-and-dest-host}}]
                    rewrite: {authority: route.internal}
                    route:
                    - destination: {host: rw.backends.internal}
                      headers: {request: {set: {":authority": ignored.internal}}}
                  - route: [{destination: {host: rw.backends.internal}}]
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    /** Sends {@code pathAndQuery} and returns what the backend received. */
    private static RecordedRequest upstream(String pathAndQuery) {
        HttpRequest req = Http.request(gw.port(), "rw.example.com", pathAndQuery).build();
        int before = backend.requests().size();
        HttpResponse<String> r = Http.send(client, req);
        assertThat(r.statusCode()).isEqualTo(200);
        List<RecordedRequest> all = backend.awaitRequests(before + 1, Duration.ofSeconds(5));
        RecordedRequest got = all.get(all.size() - 1);
        assertThat(got.header("x-request-id")).isEqualTo(Http.id(req));
        return got;
    }

    @Test
    void prefixRewriteKeepsTheRestAndTheQuery() {
        RecordedRequest r = upstream("/api/v1/items/7?sort=asc&x");
        assertThat(r.uri()).isEqualTo("/v2/items/7?sort=asc&x");
        assertThat(r.header("x-envoy-original-path")).isEqualTo("/api/v1/items/7?sort=asc&x");
        // A raw prefix: /api/v1beta also starts with /api/v1.
        assertThat(upstream("/api/v1beta").uri()).isEqualTo("/v2beta");
        assertThat(upstream("/api/v1").uri()).isEqualTo("/v2");
    }

    @Test
    void caseInsensitivePrefixIsReplacedWhateverItsCase() {
        assertThat(upstream("/CASE/Keep/This?Q=1").uri()).isEqualTo("/lower/Keep/This?Q=1");
    }

    @Test
    void exactMatchRewriteReplacesTheWholePath() {
        RecordedRequest r = upstream("/old?a=1");
        assertThat(r.uri()).isEqualTo("/new/place?a=1");
        assertThat(r.header("x-envoy-original-path")).isEqualTo("/old?a=1");
    }

    @Test
    void regexRewriteWithGroups() {
        RecordedRequest r = upstream("/users/bob/posts/42?draft=true");
        assertThat(r.uri()).isEqualTo("/p/42/u/bob?draft=true");
        assertThat(r.header("x-envoy-original-path")).isEqualTo("/users/bob/posts/42?draft=true");
        // No match of the rewrite regex: the path is unchanged and no original-path header is added.
        RecordedRequest unchanged = upstream("/users/bob/profile");
        assertThat(unchanged.uri()).isEqualTo("/users/bob/profile");
        assertThat(unchanged.header("x-envoy-original-path")).isNull();
    }

    @Test
    void authorityRewriteIsTheUpstreamHost() {
        RecordedRequest r = upstream("/host/x?y=1");
        assertThat(r.header("host")).isEqualTo("internal.backend.example:9000");
        assertThat(r.uri()).isEqualTo("/host/x?y=1");
        assertThat(r.header("x-envoy-original-path")).isNull();
        RecordedRequest both = upstream("/both/a");
        assertThat(both.header("host")).isEqualTo("both.internal");
        assertThat(both.uri()).isEqualTo("//a");
    }

    @Test
    void authorityFromHeaderOperations() {
        // set of host/:authority is a host rewrite (never a header named "host" added next to the real one).
        RecordedRequest viaHeader = upstream("/hdr-host");
        assertThat(viaHeader.headers("host")).containsExactly("via-header.internal");
        assertThat(upstream("/dest-host").headers("host")).containsExactly("via-destination.internal");
        // A route-level authority wins over a destination's.
        assertThat(upstream("/route-and-dest-host").headers("host")).containsExactly("route.internal");
    }

    @Test
    void withoutRewriteTheHostAndPathPassThrough() {
        RecordedRequest r = upstream("/plain/a%20b?q=a%20b");
        assertThat(r.header("host")).isEqualTo("rw.example.com");
        assertThat(r.uri()).isEqualTo("/plain/a%20b?q=a%20b");
        assertThat(r.header("x-envoy-original-path")).isNull();
        assertThat(r.headers("host")).hasSize(1);
    }
}

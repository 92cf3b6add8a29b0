package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.testkit.backend.RecordedRequest;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subsets selected by endpoint labels (inline ServiceEntry endpoints and WorkloadEntries picked by a
 * {@code workloadSelector}) and every load balancer of a DestinationRule, over real sockets. Each backend answers
 * {@code x-backend: <name>}, so the chosen endpoint is visible in every response.
 */
class SubsetAndLoadBalancerTest {

    private static TestBackend e1;
    private static TestBackend e2;
    private static TestBackend e3;
    private static TestBackend w1;
    private static TestBackend w2;
    private static TestBackend slow;
    private static YamlGateway gw;
    private static final HttpClient client = Http.client();

    /** A DestinationRule for {@code host} with {@code trafficPolicy}. */
    private static String dr(String name, String host, String trafficPolicy) {
        return """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: %s, namespace: default}
                spec:
                  host: %s
                  trafficPolicy: %s
                ---
                """.formatted(name, host, trafficPolicy);
    }

    /** A VirtualService {@code <name>.example.com} → {@code host}. */
    private static String vs(String name, String host) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: %1$s, namespace: default}
                spec:
                  hosts: [%1$s.example.com]
                  http: [{route: [{destination: {host: %2$s}}]}]
                ---
                """.formatted(name, host);
    }

    @BeforeAll
    static void start() {
        e1 = TestBackend.start("e1");
        e2 = TestBackend.start("e2");
        e3 = TestBackend.start("e3");
        w1 = TestBackend.start("w1");
        w2 = TestBackend.start("w2");
        slow = TestBackend.builder().name("slow").latency(Duration.ofMillis(2000)).start();
        StringBuilder y = new StringBuilder();
        // Subsets over inline endpoints: v1 = e1; v2 = e2 and e3 (round robin at subset level).
        y.append("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: sub, namespace: default}
                spec:
                  hosts: [sub.backends.internal]
                  location: MESH_INTERNAL
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: %d}, labels: {version: v1, app: sub}}
                  - {address: 127.0.0.1, ports: {http: %d}, labels: {version: v2, app: sub, track: stable}}
                  - {address: 127.0.0.1, ports: {http: %d}, labels: {version: v2, app: sub, track: canary}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: sub, namespace: default}
                spec:
                  host: sub.backends.internal
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}, trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}}
                  - {name: canary, labels: {version: v2, track: canary}}
                  - {name: all}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: sub, namespace: default}
                spec:
                  hosts: [sub.example.com]
                  http:
                  - {match: [{uri: {prefix: /v1}}], route: [{destination: {host: sub.backends.internal, subset: v1}}]}
                  - {match: [{uri: {prefix: /v2}}], route: [{destination: {host: sub.backends.internal, subset: v2}}]}
                  - {match: [{uri: {prefix: /canary}}], route: [{destination: {host: sub.backends.internal, subset: canary}}]}
                  - {route: [{destination: {host: sub.backends.internal, subset: all}}]}
                ---
                """.formatted(e1.port(), e2.port(), e3.port()));
        // WorkloadEntries selected by a ServiceEntry's workloadSelector; w-other is not selected.
        y.append("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: vm, namespace: default}
                spec:
                  hosts: [vm.backends.internal]
                  location: MESH_INTERNAL
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  workloadSelector: {labels: {app: vm}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: vm-1, namespace: default}
                spec: {address: 127.0.0.1, ports: {http: %d}, labels: {app: vm, version: w1}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: vm-2, namespace: default}
                spec: {address: 127.0.0.1, ports: {http: %d}, labels: {app: vm, version: w2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: other, namespace: default}
                spec: {address: 127.0.0.1, ports: {http: %d}, labels: {app: other, version: e1}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: vm, namespace: default}
                spec:
                  host: vm.backends.internal
                  subsets: [{name: w2, labels: {version: w2}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: vm, namespace: default}
                spec:
                  hosts: [vm.example.com]
                  http:
                  - {match: [{uri: {prefix: /w2}}], route: [{destination: {host: vm.backends.internal, subset: w2}}]}
                  - {route: [{destination: {host: vm.backends.internal}}]}
                ---
                """.formatted(w1.port(), w2.port(), e1.port()));
        // One service per load balancer over e1..e3.
        String[][] lbs = {
            {"rr", "{loadBalancer: {simple: ROUND_ROBIN}}"},
            {"rnd", "{loadBalancer: {simple: RANDOM}}"},
            {"hh", "{loadBalancer: {consistentHash: {httpHeaderName: x-user}}}"},
            {"hc", "{loadBalancer: {consistentHash: {httpCookie: {name: sticky, ttl: 60s}}}}"},
            {"hcp", "{loadBalancer: {consistentHash: {httpCookie: {name: session, path: /app, ttl: 0s}}}}"},
            {"hs", "{loadBalancer: {consistentHash: {useSourceIp: true}}}"},
            {"hq", "{loadBalancer: {consistentHash: {httpQueryParameterName: user}}}"},
        };
        for (String[] lb : lbs) {
            String host = lb[0] + ".backends.internal";
            y.append(Yaml.serviceEntry(lb[0], host, e1, e2, e3)).append(dr(lb[0], host, lb[1])).append(vs(lb[0], host));
        }
        // Least request (Istio's default when simple is unset) over a fast and a slow endpoint.
        y.append(Yaml.serviceEntry("lr", "lr.backends.internal", e1, e2, e3, slow))
                .append(dr("lr", "lr.backends.internal", "{loadBalancer: {simple: LEAST_REQUEST}}"))
                .append(vs("lr", "lr.backends.internal"));
        gw = YamlGateway.start(y.toString());
    }

    @AfterAll
    static void stop() {
        gw.close();
        for (TestBackend b : List.of(e1, e2, e3, w1, w2, slow)) {
            b.close();
        }
    }

    private static String backend(HttpRequest request) {
        HttpResponse<String> r = Http.send(client, request);
        assertThat(r.statusCode()).as(request.uri().toString()).isEqualTo(200);
        return r.headers().firstValue("x-backend").orElseThrow();
    }

    private static String backend(String host, String path, String... headers) {
        HttpRequest.Builder b = Http.request(gw.port(), host, path);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return backend(b.build());
    }

    private static List<String> backends(int n, String host, String path, String... headers) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(backend(host, path, headers));
        }
        return out;
    }

    // ------------------------------------------------------------------ subsets

    @Test
    void subsetsSelectEndpointsByLabels() {
        assertThat(backends(10, "sub.example.com", "/v1")).containsOnly("e1");
        assertThat(backends(10, "sub.example.com", "/canary")).containsOnly("e3");
        // Subset labels must be a subset of the endpoint's: v2 = e2 and e3, round robin from the subset's policy.
        List<String> v2 = backends(10, "sub.example.com", "/v2");
        assertThat(v2).containsOnly("e2", "e3");
        for (int i = 1; i < v2.size(); i++) {
            assertThat(v2.get(i)).as("round robin alternates: " + v2).isNotEqualTo(v2.get(i - 1));
        }
        // A subset without labels selects every endpoint.
        assertThat(new HashSet<>(backends(30, "sub.example.com", "/all"))).containsExactlyInAnyOrder("e1", "e2", "e3");
    }

    @Test
    void workloadEntriesSelectedByWorkloadSelector() {
        assertThat(backends(10, "vm.example.com", "/w2")).containsOnly("w2");
        // The WorkloadEntry labelled app: other is not an endpoint of the service.
        assertThat(new HashSet<>(backends(30, "vm.example.com", "/any"))).containsExactlyInAnyOrder("w1", "w2");
    }

    // ------------------------------------------------------------------ simple load balancers

    @Test
    void roundRobinAlternates() {
        List<String> seen = backends(30, "rr.example.com", "/");
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).as("round robin: " + seen).isNotEqualTo(seen.get(i - 1));
        }
        for (String e : List.of("e1", "e2", "e3")) {
            assertThat(seen.stream().filter(e::equals).count()).as(e + " in " + seen).isEqualTo(10);
        }
    }

    @Test
    void randomSpreads() {
        List<String> seen = backends(300, "rnd.example.com", "/");
        // Binomial(300, 1/3): mean 100, sd 8.2; at least 55 is more than 5 sd below the mean.
        for (String e : List.of("e1", "e2", "e3")) {
            assertThat(seen.stream().filter(e::equals).count()).as(e).isGreaterThanOrEqualTo(55);
        }
    }

    @Test
    void leastRequestPrefersTheIdleEndpoint() {
        // Envoy's LEAST_REQUEST (N_CHOICES, 2 choices, with replacement) over e1, e2, e3 and slow: while slow holds a
        // request and the fast endpoints hold none, slow wins a pick only when both samples are slow: 1/16 of the
        // picks, against 1/4 for a blind choice.
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        int before = slow.requests().size();
        for (int i = 0; i < 300 && slow.requests().size() == before; i++) {
            sendAndSettle(sent);
        }
        assertThat(slow.requests().size()).as("one request parked on the slow endpoint").isEqualTo(before + 1);
        int slowBefore = slow.requests().size();
        int n = 80;
        for (int i = 0; i < n; i++) {
            sendAndSettle(sent);
        }
        int toSlow = slow.requests().size() - slowBefore;
        Map<String, Integer> counts = new HashMap<>();
        for (CompletableFuture<HttpResponse<String>> f : sent) {
            HttpResponse<String> r = f.join();
            assertThat(r.statusCode()).isEqualTo(200);
            counts.merge(r.headers().firstValue("x-backend").orElseThrow(), 1, Integer::sum);
        }
        // Binomial(80, 1/16): mean 5, sd 2.2 → at most 12 (3.7 sd); a blind choice would send 20 ± 3.9 there.
        assertThat(toSlow).as("picks of the busy endpoint among " + n + ": " + counts).isLessThanOrEqualTo(12);
        assertThat(counts.get("slow")).isEqualTo(toSlow + 1);
    }

    /** Sends one request to the least-request service and waits until it finished or reached the slow backend. */
    private static void sendAndSettle(List<CompletableFuture<HttpResponse<String>>> sent) {
        int slowSeen = slow.requests().size();
        CompletableFuture<HttpResponse<String>> f = client.sendAsync(
                Http.request(gw.port(), "lr.example.com", "/lr").build(), HttpResponse.BodyHandlers.ofString());
        sent.add(f);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!f.isDone() && slow.requests().size() == slowSeen && System.nanoTime() < deadline) {
            sleep(1);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ consistent hash

    @Test
    void hashByHeaderSticks() {
        Set<String> used = new HashSet<>();
        for (int u = 0; u < 12; u++) {
            List<String> seen = backends(5, "hh.example.com", "/", "x-user", "user-" + u);
            assertThat(seen).as("user-" + u).containsOnly(seen.get(0));
            used.add(seen.get(0));
        }
        assertThat(used).as("12 keys over 3 endpoints").hasSizeGreaterThan(1);
    }

    @Test
    void hashByCookieGeneratesTheCookieAndSticks() {
        int before = e1.requests().size() + e2.requests().size() + e3.requests().size();
        HttpResponse<String> first = Http.send(client, Http.request(gw.port(), "hc.example.com", "/a/b").build());
        assertThat(first.statusCode()).isEqualTo(200);
        // Envoy's makeSetCookieValue: a quoted value, Max-Age from the ttl, no Path unless configured, HttpOnly.
        String setCookie = first.headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie).matches("sticky=\"[0-9a-f]{16}\"; Max-Age=60; HttpOnly");
        String quoted = setCookie.substring("sticky=".length(), setCookie.indexOf(';'));
        String value = quoted.substring(1, quoted.length() - 1);
        String firstBackend = first.headers().firstValue("x-backend").orElseThrow();
        // The generated cookie goes to the client only, never upstream.
        RecordedRequest up = upstreamOf(first);
        assertThat(up.header("cookie")).isNull();
        // Later requests present the cookie (as a browser does, quotes included, or without them): same endpoint.
        for (String cookie : List.of("sticky=" + quoted, "other=1; sticky=" + quoted, "sticky=" + value)) {
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> r = Http.send(client, Http.request(gw.port(), "hc.example.com", "/")
                        .header("Cookie", cookie).build());
                assertThat(r.headers().firstValue("x-backend")).as(cookie).hasValue(firstBackend);
                assertThat(r.headers().firstValue("set-cookie")).as("no new cookie once the client has one").isEmpty();
                assertThat(upstreamOf(r).header("cookie")).isEqualTo(cookie);
            }
        }
        // Without a cookie, one connection keeps getting the same cookie (Envoy seeds it with the connection's
        // addresses), so a client that ignores cookies still sticks for the life of its connection.
        try (RawHttpClient raw = RawHttpClient.connect(gw.port())) {
            String seen = null;
            for (int i = 0; i < 3; i++) {
                raw.send("GET / HTTP/1.1\r\nHost: hc.example.com\r\n\r\n");
                RawResponse r = raw.readResponse(Duration.ofSeconds(5));
                assertThat(r.statusCode()).isEqualTo(200);
                String c = r.header("set-cookie");
                assertThat(c).startsWith("sticky=\"");
                if (seen != null) {
                    assertThat(c).isEqualTo(seen);
                }
                seen = c;
            }
        }
        Set<String> used = new HashSet<>();
        for (int c = 0; c < 12; c++) {
            List<String> seen = backends(3, "hc.example.com", "/", "Cookie", "sticky=value-" + c);
            assertThat(seen).containsOnly(seen.get(0));
            used.add(seen.get(0));
        }
        assertThat(used).hasSizeGreaterThan(1);
        assertThat(e1.requests().size() + e2.requests().size() + e3.requests().size()).isGreaterThan(before);
    }

    @Test
    void generatedCookieWithPathAndNoTtlIsASessionCookie() {
        HttpResponse<String> r = Http.send(client, Http.request(gw.port(), "hcp.example.com", "/app/x").build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("set-cookie").orElseThrow())
                .matches("session=\"[0-9a-f]{16}\"; Path=/app; HttpOnly");
    }

    private static RecordedRequest upstreamOf(HttpResponse<String> r) {
        String id = Http.id(r.request());
        for (TestBackend b : List.of(e1, e2, e3)) {
            for (RecordedRequest q : b.requests()) {
                if (id.equals(q.header("x-request-id"))) {
                    return q;
                }
            }
        }
        throw new AssertionError("no backend saw " + id);
    }

    @Test
    void hashBySourceIpSticks() {
        // Every request comes from 127.0.0.1 (new connections each time): one endpoint.
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = Http.send(Http.client(), Http.request(gw.port(), "hs.example.com", "/").build());
            assertThat(r.statusCode()).isEqualTo(200);
            seen.add(r.headers().firstValue("x-backend").orElseThrow());
        }
        assertThat(seen).containsOnly(seen.get(0));
    }

    @Test
    void hashByQueryParameterSticks() {
        Set<String> used = new HashSet<>();
        for (int u = 0; u < 12; u++) {
            List<String> seen = backends(4, "hq.example.com", "/?x=1&user=u" + u);
            assertThat(seen).as("user u" + u).containsOnly(seen.get(0));
            used.add(seen.get(0));
        }
        assertThat(used).hasSizeGreaterThan(1);
    }
}

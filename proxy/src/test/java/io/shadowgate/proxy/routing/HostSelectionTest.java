package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.testkit.backend.TestBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Virtual-host selection over real sockets (Envoy's order): an exact domain before any wildcard, the longest (most
 * specific) suffix wildcard first, the port in {@code Host} ignored, case ignored, and no matching host is a 404 with
 * flag {@code NR} that no backend ever sees.
 */
class HostSelectionTest {

    private static TestBackend exact;
    private static TestBackend wild;
    private static TestBackend wildLong;
    private static YamlGateway gw;
    private static final HttpClient client = Http.client();

    @BeforeAll
    static void start() {
        exact = TestBackend.start("exact");
        wild = TestBackend.start("wild");
        wildLong = TestBackend.start("wildlong");
        String yaml = Yaml.serviceEntry("exact", "exact.backends.internal", exact)
                + Yaml.serviceEntry("wild", "wild.backends.internal", wild)
                + Yaml.serviceEntry("wildlong", "wildlong.backends.internal", wildLong)
                // The wildcard VirtualServices come first: resource order must not decide, specificity does.
                + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: wild, namespace: default}
                spec:
                  hosts: ["*.example.com"]
                  http: [{route: [{destination: {host: wild.backends.internal}}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: wildlong, namespace: default}
                spec:
                  hosts: ["*.api.example.com"]
                  http: [{route: [{destination: {host: wildlong.backends.internal}}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: exact, namespace: default}
                spec:
                  hosts: [exact.api.example.com]
                  http: [{route: [{destination: {host: exact.backends.internal}}]}]
                """;
        gw = YamlGateway.start(yaml);
    }

    @AfterAll
    static void stop() {
        gw.close();
        exact.close();
        wild.close();
        wildLong.close();
    }

    private String backendFor(String host) {
        HttpResponse<String> r = Http.send(client, Http.request(gw.port(), host, "/x").build());
        assertThat(r.statusCode()).as("status for Host " + host).isEqualTo(200);
        return r.headers().firstValue("x-backend").orElseThrow();
    }

    @Test
    void exactDomainBeatsEveryWildcard() {
        // exact.api.example.com also matches *.api.example.com and *.example.com.
        assertThat(backendFor("exact.api.example.com")).isEqualTo("exact");
    }

    @Test
    void mostSpecificWildcardFirst() {
        assertThat(backendFor("v1.api.example.com")).isEqualTo("wildlong");
        assertThat(backendFor("a.b.api.example.com")).isEqualTo("wildlong");
        assertThat(backendFor("www.example.com")).isEqualTo("wild");
        // "api.example.com" itself is not under "*.api.example.com" (the wildcard needs a label), only "*.example.com".
        assertThat(backendFor("api.example.com")).isEqualTo("wild");
    }

    @Test
    void portInHostIsIgnoredAndCaseToo() {
        assertThat(backendFor("exact.api.example.com:8080")).isEqualTo("exact");
        assertThat(backendFor("EXACT.Api.Example.COM")).isEqualTo("exact");
        assertThat(backendFor("v1.api.example.com:1")).isEqualTo("wildlong");
        assertThat(backendFor("www.example.com:65535")).isEqualTo("wild");
    }

    @Test
    void noMatchingHostIs404NrAndNothingIsForwarded() {
        int before = exact.requests().size() + wild.requests().size() + wildLong.requests().size();
        for (String host : new String[] {"example.com", "www.example.org", "exact.api.example.com.evil", "other"}) {
            HttpRequest req = Http.request(gw.port(), host, "/x").build();
            HttpResponse<String> r = Http.send(client, req);
            assertThat(r.statusCode()).as("status for Host " + host).isEqualTo(404);
            gw.assertFlags(Http.id(req), "NR");
        }
        assertThat(exact.requests().size() + wild.requests().size() + wildLong.requests().size()).isEqualTo(before);
    }
}

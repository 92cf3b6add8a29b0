package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.testkit.backend.TestBackend;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gateway mode with two HTTP server ports: {@code match.port} is applied per listener (a block whose port differs
 * is not emitted there), and a destination without {@code port} on a multi-port service takes the listener port
 * ({@code GetDestinationCluster} step 3), each port's {@code targetPort} leading to a different backend.
 */
class GatewayPortTest {

    private static TestBackend a;
    private static TestBackend b;
    private static int portA;
    private static int portB;
    private static YamlGateway gw;
    private static final HttpClient client = Http.client();

    @BeforeAll
    static void start() {
        a = TestBackend.start("a");
        b = TestBackend.start("b");
        portA = TestBackend.unusedPort();
        do {
            portB = TestBackend.unusedPort();
        } while (portB == portA);
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: edge, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - {port: {number: %1$d, name: http-a, protocol: HTTP}, hosts: ["*"], bind: 127.0.0.1}
                  - {port: {number: %2$d, name: http-b, protocol: HTTP}, hosts: ["*"], bind: 127.0.0.1}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: multi, namespace: default}
                spec:
                  hosts: [multi.backends.internal]
                  location: MESH_INTERNAL
                  ports:
                  - {number: %1$d, name: http-a, protocol: HTTP, targetPort: %3$d}
                  - {number: %2$d, name: http-b, protocol: HTTP, targetPort: %4$d}
                  resolution: STATIC
                  endpoints: [{address: 127.0.0.1}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ports, namespace: default}
                spec:
                  hosts: [app.example.com]
                  gateways: [edge]
                  http:
                  - match: [{port: %1$d, uri: {prefix: /port}}]
                    route: [{destination: {host: multi.backends.internal}}]
                    headers: {response: {set: {x-route: on-a}}}
                  - match: [{port: %2$d, uri: {prefix: /port}}]
                    route: [{destination: {host: multi.backends.internal}}]
                    headers: {response: {set: {x-route: on-b}}}
                  - match: [{port: %1$d, uri: {prefix: /pinned}}, {port: %2$d, uri: {prefix: /pinned}}]
                    route: [{destination: {host: multi.backends.internal, port: {number: %2$d}}}]
                    headers: {response: {set: {x-route: pinned}}}
                """.formatted(portA, portB, a.port(), b.port());
        gw = YamlGateway.start(yaml);
    }

    @AfterAll
    static void stop() {
        gw.close();
        a.close();
        b.close();
    }

    private static HttpResponse<String> get(int listener, String path) {
        HttpResponse<String> r = Http.send(client, Http.request(gw.port(listener), "app.example.com", path).build());
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    @Test
    void portMatchIsPerListenerAndTheListenerPortPicksTheServicePort() {
        HttpResponse<String> onA = get(portA, "/port");
        assertThat(onA.headers().firstValue("x-route")).hasValue("on-a");
        assertThat(onA.headers().firstValue("x-backend")).hasValue("a");
        HttpResponse<String> onB = get(portB, "/port/x");
        assertThat(onB.headers().firstValue("x-route")).hasValue("on-b");
        assertThat(onB.headers().firstValue("x-backend")).hasValue("b");
    }

    @Test
    void explicitDestinationPortWinsOverTheListenerPort() {
        for (int listener : new int[] {portA, portB}) {
            HttpResponse<String> r = get(listener, "/pinned");
            assertThat(r.headers().firstValue("x-route")).hasValue("pinned");
            assertThat(r.headers().firstValue("x-backend")).hasValue("b");
        }
    }

    @Test
    void nothingMatchesElsewhere() {
        HttpResponse<String> r = Http.send(client, Http.request(gw.port(portA), "app.example.com", "/other").build());
        assertThat(r.statusCode()).isEqualTo(404);
        HttpResponse<String> unknownHost = Http.send(client, Http.request(gw.port(portA), "nope.example.com", "/port")
                .build());
        assertThat(unknownHost.statusCode()).isEqualTo(404);
    }
}

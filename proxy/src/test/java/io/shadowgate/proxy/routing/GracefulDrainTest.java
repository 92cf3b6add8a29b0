package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link io.shadowgate.proxy.ProxyServer#shutdown(Duration)} while a slow request is in flight: new connections are
 * refused at once, an idle keep-alive connection is closed, and the in-flight request still completes (its response
 * says {@code Connection: close}).
 */
class GracefulDrainTest {

    @Test
    void inFlightRequestCompletesAndNewConnectionsAreRefused() throws Exception {
        try (TestBackend backend = TestBackend.builder().name("slow").latency(Duration.ofMillis(3000)).start()) {
            YamlGateway gw = YamlGateway.start(Yaml.serviceEntry("d", "d.backends.internal", backend) + """
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: d, namespace: default}
                    spec:
                      hosts: [d.example.com]
                      http: [{route: [{destination: {host: d.backends.internal}}]}]
                    """);
            int port = gw.port();
            RawHttpClient idle = RawHttpClient.connect(port);
            RawHttpClient busy = RawHttpClient.connect(port);
            CompletableFuture<Void> drained;
            try {
                // An idle keep-alive connection (one request done) and one with a request in flight.
                idle.send("GET /idle HTTP/1.1\r\nHost: d.example.com\r\nx-testkit-delay-ms: 0\r\n\r\n");
                assertThat(idle.readResponse(Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
                busy.send("GET /slow HTTP/1.1\r\nHost: d.example.com\r\n\r\n");
                backend.awaitRequests(2, Duration.ofSeconds(5));

                long t0 = System.nanoTime();
                drained = CompletableFuture.runAsync(() -> gw.server().shutdown(Duration.ofSeconds(5)));
                // Listeners close at once: a new connection is refused well before the slow response is due.
                assertThat(awaitRefused(port, Duration.ofSeconds(2))).as("new connections refused").isTrue();
                assertThat(idle.awaitServerClose(Duration.ofSeconds(2))).as("idle connection closed").isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2000));
                assertThat(drained).as("shutdown waits for the request in flight").isNotDone();

                RawResponse r = busy.readResponse(Duration.ofSeconds(5));
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.complete()).isTrue();
                assertThat(r.header("connection")).isEqualToIgnoringCase("close");
                assertThat(busy.awaitServerClose(Duration.ofSeconds(2))).isTrue();
                drained.get(5, TimeUnit.SECONDS);
                assertThat(gw.logs()).anySatisfy(l -> {
                    assertThat(l.path()).isEqualTo("/slow");
                    assertThat(l.status()).isEqualTo(200);
                    assertThat(l.flags()).isEqualTo("-");
                });
            } finally {
                idle.close();
                busy.close();
                gw.close();
            }
        }
    }

    /** Whether connecting to {@code port} is refused within {@code within}. */
    private static boolean awaitRefused(int port, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            } catch (IOException refused) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }
}

package io.shadowgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.cli.commands.GatewayOptions;
import io.shadowgate.cli.gateway.GatewayProcess;
import io.shadowgate.telemetry.tracing.TracingOptions;
import io.shadowgate.testkit.backend.TestBackend;
import io.shadowgate.testkit.client.RawHttpClient;
import io.shadowgate.testkit.client.RawResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The flags docs/observability.md names exist and do what it says: trace propagation formats, the spans' service
 * name, the mirror's sampled flag, the metrics' source namespace, and {@code --admin off}.
 */
class GatewayFlagsTest {

    @Test
    void tracingAndMetricsFlagsReachTheirSettings() {
        GatewayOptions o = CommandLine.populateCommand(new GatewayOptions(), "--tracing-propagation", "b3,tracecontext",
                "--tracing-service-name", "edge", "--tracing-mirror-sampled", "--metrics-namespace", "shop");
        TracingOptions t = o.tracingOptions();
        assertThat(t.propagation()).containsExactly(TracingOptions.Propagation.B3,
                TracingOptions.Propagation.TRACECONTEXT);
        assertThat(t.serviceName()).isEqualTo("edge");
        assertThat(t.mirrorSampledDownstream()).isTrue();
        assertThat(o.gatewayIdentity().namespace()).isEqualTo("shop");

        GatewayOptions defaults = CommandLine.populateCommand(new GatewayOptions());
        assertThat(defaults.tracingOptions().propagation()).containsExactly(TracingOptions.Propagation.TRACECONTEXT,
                TracingOptions.Propagation.B3MULTI, TracingOptions.Propagation.B3);
        assertThat(defaults.tracingOptions().serviceName()).isEqualTo("shadowgate");
        assertThat(defaults.tracingOptions().mirrorSampledDownstream()).isFalse();
    }

    @Test
    void adminOffServesWithoutAnAdminServer() throws Exception {
        try (TestBackend v1 = TestBackend.start("v1")) {
            String yaml = """
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: app}
                    spec:
                      hosts: [app.default.svc.cluster.local]
                      ports: [{number: 80, name: http, protocol: HTTP}]
                      resolution: STATIC
                      endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: app}
                    spec:
                      hosts: [app]
                      http:
                      - route: [{destination: {host: app}}]
                    """.formatted(v1.port());
            GatewayOptions options = CommandLine.populateCommand(new GatewayOptions(), "--listen", "127.0.0.1:0",
                    "--admin", "off", "--access-log", "off");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            GatewayProcess gateway = GatewayProcess.startFromString("admin-off.yaml", yaml, options.spec(),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(gateway).as("start-up errors: %s", err).isNotNull();
            try {
                assertThat(options.adminEnabled()).isFalse();
                assertThat(gateway.services().adminAddress()).isEqualTo("-");
                RawResponse r = RawHttpClient.exchange(gateway.proxy().port(),
                        "GET /x HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", Duration.ofSeconds(10));
                assertThat(r.statusCode()).isEqualTo(200);
            } finally {
                gateway.close();
            }
        }
    }
}

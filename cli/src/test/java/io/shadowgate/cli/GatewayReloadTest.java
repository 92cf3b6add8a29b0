package io.shadowgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowgate.cli.commands.GatewayOptions;
import io.shadowgate.cli.gateway.GatewayProcess;
import io.shadowgate.control.ConfigController;
import io.shadowgate.control.ConfigEvent;
import io.shadowgate.control.ConfigOutcome;
import io.shadowgate.proxy.runtime.Transport;
import io.shadowgate.testkit.backend.TestBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Hot reload on a running gateway with real backends: a blue-green switch every 500 ms under steady load fails no
 * request; a rejected change keeps the last good config serving and shows on the admin API; a rollback through the
 * admin API stays until the files change.
 */
class GatewayReloadTest {

    static TestBackend v1;
    static TestBackend v2;

    @TempDir
    Path dir;
    Path file;
    GatewayProcess gateway;
    final ByteArrayOutputStream startErrors = new ByteArrayOutputStream();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void backends() {
        v1 = TestBackend.start("v1");
        v2 = TestBackend.start("v2");
    }

    @AfterAll
    static void stopBackends() {
        v1.close();
        v2.close();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Host app.example.internal with v1 and v2 endpoints; everything sent to {@code subset}. */
    static String config(String subset, String extra) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: app}
                spec:
                  hosts: [app.example.internal]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: V1}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {http: V2}, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: app}
                spec:
                  host: app.example.internal
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: app}
                spec:
                  hosts: [127.0.0.1]
                  http:
                  - route:
                    - destination: {host: app.example.internal, subset: SUBSET}
                EXTRA""".replace("V1", String.valueOf(v1.port())).replace("V2", String.valueOf(v2.port()))
                .replace("SUBSET", subset).replace("EXTRA", extra);
    }

    static GatewayOptions options() {
        return CommandLine.populateCommand(new GatewayOptions(), "--listen", "127.0.0.1:0",
                "--admin", "127.0.0.1:0", "--access-log", "off", "--tracing-exporter", "none",
                "--drain-timeout", "1s", "--no-compare");
    }

    void start(String subset) throws IOException {
        file = Files.writeString(dir.resolve("app.yaml"), config(subset, ""));
        gateway = GatewayProcess.startFromFiles(List.of(file), options().spec(), new PrintStream(startErrors, true,
                StandardCharsets.UTF_8));
        assertThat(gateway).as(startErrors.toString(StandardCharsets.UTF_8)).isNotNull();
    }

    URI proxy(String path) {
        return URI.create("http://127.0.0.1:" + gateway.proxy().port() + path);
    }

    URI admin(String path) {
        return URI.create("http://" + gateway.services().adminAddress() + path);
    }

    /** The backend that answered a GET through the gateway. */
    String backend() throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(proxy("/")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("x-backend").orElse("?");
    }

    @Test
    void startUpRunsTheSameValidation() throws IOException {
        // An upper-case port name: the compiler could serve it, istiod's validation (and so `run`) rejects it.
        file = Files.writeString(dir.resolve("app.yaml"), config("v1", "").replace("name: http,", "name: Http,"));
        gateway = GatewayProcess.startFromFiles(List.of(file), options().spec(), new PrintStream(startErrors, true,
                StandardCharsets.UTF_8));
        assertThat(gateway).isNull();
        assertThat(startErrors.toString(StandardCharsets.UTF_8))
                .contains(file + ":6:30: error IST0106 ServiceEntry default/app spec.ports[0].name: port name \"Http\"")
                .contains("the configuration has errors; nothing was started");
    }

    @Test
    void blueGreenSwitchEvery500msUnderLoadFailsNoRequest() throws Exception {
        start("v1");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        Map<String, AtomicLong> byBackend = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(proxy("/load"))
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            failures.add("status " + r.statusCode() + ": " + r.body());
                        } else {
                            ok.incrementAndGet();
                            byBackend.computeIfAbsent(r.headers().firstValue("x-backend").orElse("?"),
                                    k -> new AtomicLong()).incrementAndGet();
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load-" + t);
            th.start();
            load.add(th);
        }
        ConfigController config = gateway.config();
        int switches = 20; // 10 s at one reload every 500 ms
        for (int i = 0; i < switches; i++) {
            long began = System.nanoTime();
            String target = i % 2 == 0 ? "v2" : "v1";
            Files.writeString(file, config(target, ""));
            List<ConfigEvent> o = config.refresh();
            assertThat(o).extracting(ConfigEvent::outcome).as("%s", o).containsExactly(ConfigOutcome.APPLIED);
            // Once the switch is applied, every new request goes to the new subset.
            for (int k = 0; k < 10; k++) {
                assertThat(backend()).as("switch %d to %s, probe %d", i, target, k).isEqualTo(target);
            }
            long left = 500 - Duration.ofNanos(System.nanoTime() - began).toMillis();
            if (left > 0) {
                Thread.sleep(left);
            }
        }
        running.set(false);
        for (Thread th : load) {
            th.join(10_000);
        }
        assertThat(failures).as("failed requests during %d reloads", switches).isEmpty();
        assertThat(ok.get()).isGreaterThan(200);
        assertThat(byBackend.keySet()).containsExactlyInAnyOrder("v1", "v2");
        assertThat(config.state().rejections()).isZero();
    }

    @Test
    void rejectedChangeKeepsServingAndShowsOnTheAdminApi() throws Exception {
        start("v1");
        assertThat(backend()).isEqualTo("v1");
        // The watcher finds the change; validation rejects it (istiod would: a negative weight).
        Files.writeString(file, config("v2", "      weight: -1\n"));
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.config().state().rejections() == 1);
        assertThat(backend()).isEqualTo("v1");

        HttpResponse<String> status = client.send(HttpRequest.newBuilder(admin("/config")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode doc = new ObjectMapper().readTree(status.body());
        JsonNode last = doc.get("history").get(0);
        assertThat(last.get("outcome").asText()).isEqualTo("rejected");
        assertThat(last.get("messages").toString()).contains("IST0106").contains("spec.http[0].route[0].weight")
                .contains(file + ":29:15");
        assertThat(doc.get("version").asText()).isEqualTo(gateway.proxy().snapshot().version());
        String metrics = client.send(HttpRequest.newBuilder(admin("/stats/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("shadowgate_config_reloads_total\\{[^}]*result=\"rejected\"[^}]*} 1");
    }

    @Test
    void adminRollbackStaysUntilTheFilesChange() throws Exception {
        start("v1");
        Files.writeString(file, config("v2", ""));
        await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(backend()));

        HttpResponse<String> r = client.send(HttpRequest.newBuilder(admin("/rollback"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(r.body()).get("rolled_back").asBoolean()).isTrue();
        assertThat(backend()).isEqualTo("v1");
        // Several watcher polls later (every 500 ms) the unchanged files have not undone it.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> "v1".equals(backend()));

        Files.writeString(file, config("v2", "    timeout: 5s\n"));
        await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(backend()));
        assertThat(gateway.config().history().get(0).outcome()).isEqualTo(ConfigOutcome.APPLIED);
    }

    @Test
    void transportOptionIsCheckedAndNioServes() throws Exception {
        file = Files.writeString(dir.resolve("app.yaml"), config("v1", ""));
        GatewayOptions bad = options();
        bad.transport = "kqueue";
        assertThat(GatewayProcess.startFromFiles(List.of(file), bad.spec(), new PrintStream(startErrors, true,
                StandardCharsets.UTF_8))).isNull();
        assertThat(startErrors.toString(StandardCharsets.UTF_8)).contains("unknown transport 'kqueue'");
        GatewayOptions nio = options();
        nio.transport = "nio";
        try {
            gateway = GatewayProcess.startFromFiles(List.of(file), nio.spec(), new PrintStream(startErrors, true,
                    StandardCharsets.UTF_8));
            assertThat(gateway).isNotNull();
            assertThat(Transport.best()).isEqualTo(Transport.NIO);
            assertThat(backend()).isEqualTo("v1");
        } finally {
            Transport.prefer("auto");
        }
    }
}

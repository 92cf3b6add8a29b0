package io.shadowgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowgate.cli.commands.GatewayOptions;
import io.shadowgate.cli.gateway.GatewayProcess;
import io.shadowgate.cli.gateway.GatewaySpec;
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
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Reloads and rollbacks that cannot hurt, on a running gateway with real backends, through the real admin API, the
 * {@code shadowgate rollback} and {@code status} commands and the proxy: a typo is rejected while the last good
 * config keeps serving; rollback steps back one version each time, then answers 409; {@code --to} picks a version;
 * a {@code touch} or a save without changes neither reloads nor undoes a rollback; new content after a rollback
 * applies; {@code /config}, {@code status} and {@code report} say when the files differ from what is serving.
 */
class ConfigSafetyTest {

    static TestBackend v1;
    static TestBackend v2;
    static TestBackend v3;

    @TempDir
    Path dir;
    Path file;
    GatewayProcess gateway;
    final ByteArrayOutputStream startErrors = new ByteArrayOutputStream();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void backends() {
        v1 = TestBackend.start("v1");
        v2 = TestBackend.start("v2");
        v3 = TestBackend.start("v3");
    }

    @AfterAll
    static void stopBackends() {
        v1.close();
        v2.close();
        v3.close();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Three versions of one host; everything goes to {@code subset}, and 100% is mirrored to {@code mirror}. */
    static String config(String subset, String routeExtra) {
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
                  - {address: 127.0.0.1, ports: {http: V3}, labels: {version: v3}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: app}
                spec:
                  host: app.example.internal
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                  - {name: v3, labels: {version: v3}}
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
                .replace("V3", String.valueOf(v3.port())).replace("SUBSET", subset).replace("EXTRA", routeExtra);
    }

    static String config(String subset) {
        return config(subset, "");
    }

    GatewaySpec spec(String... extra) {
        List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
                "--access-log", "off", "--tracing-exporter", "none", "--drain-timeout", "1s", "--no-compare"));
        args.addAll(List.of(extra));
        // Polled every 50 ms, so "many polls later" is quick.
        return CommandLine.populateCommand(new GatewayOptions(), args.toArray(String[]::new)).spec()
                .withPollInterval(Duration.ofMillis(50));
    }

    void start(String content, String... flags) throws IOException {
        file = Files.writeString(dir.resolve("app.yaml"), content);
        gateway = GatewayProcess.startFromFiles(List.of(file), spec(flags), new PrintStream(startErrors, true,
                StandardCharsets.UTF_8));
        assertThat(gateway).as(startErrors.toString(StandardCharsets.UTF_8)).isNotNull();
    }

    String adminAddress() {
        return gateway.services().adminAddress();
    }

    /** The backend that answered a GET through the gateway. */
    String backend() throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.proxy().port() + "/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("x-backend").orElse("?");
    }

    JsonNode config() throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://" + adminAddress()
                + "/config")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    HttpResponse<String> rollback(String query) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://" + adminAddress() + "/rollback" + query))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Writes {@code content} and waits until {@code expected} answers. */
    void change(String content, String expected) throws IOException {
        Files.writeString(file, content);
        await().atMost(Duration.ofSeconds(10)).until(() -> expected.equals(backend()));
    }

    @Test
    void aTypoIsRejectedAndTheLastGoodConfigKeepsServing() throws Exception {
        start(config("v1"));
        // "5O" (letter O) where a number belongs: rejected as a whole, the mirror is not switched on at 100%.
        Files.writeString(file, config("v2", "    mirror: {host: app.example.internal, subset: v3}\n"
                + "    mirrorPercentage: {value: 5O}\n"));
        await().atMost(Duration.ofSeconds(10)).until(() -> config().get("rejections").asInt() == 1);
        for (int i = 0; i < 20; i++) {
            assertThat(backend()).isEqualTo("v1");
        }
        assertThat(v3.requests()).as("no mirror was applied").isEmpty();
        JsonNode c = config();
        assertThat(c.get("number").asInt()).isEqualTo(1);
        assertThat(c.get("sources_match_serving").asBoolean()).isFalse();
        assertThat(c.get("drift").asText()).contains("rejected").contains("still serving #1");
        JsonNode last = c.get("history").get(0);
        assertThat(last.get("outcome").asText()).isEqualTo("rejected");
        assertThat(last.get("messages").toString()).contains("spec.http[0].mirrorPercentage.value")
                .contains(file + ":32:");
        // The fix applies as version 2.
        change(config("v2"), "v2");
        assertThat(config().get("number").asInt()).isEqualTo(2);
        assertThat(config().get("sources_match_serving").asBoolean()).isTrue();
    }

    @Test
    void applyWithErrorsAppliesAndSaysSo() throws Exception {
        // An upper-case port name: istiod rejects it; with the flag it serves anyway, and says so everywhere.
        start(config("v1").replace("name: http,", "name: Http,").replace("{http: ", "{Http: "),
                "--apply-with-errors");
        assertThat(startErrors.toString(StandardCharsets.UTF_8)).contains("error IST0106")
                .contains("applied WITH 4 ERROR(S) because the gateway runs with --apply-with-errors");
        assertThat(backend()).isEqualTo("v1");
        JsonNode c = config();
        assertThat(c.get("error_policy").asText()).isEqualTo("apply");
        assertThat(c.get("versions").get(0).get("outcome").asText()).isEqualTo("applied_with_errors");
    }

    @Test
    void rollbackStepsBackOneVersionEachTimeThen409() throws Exception {
        start(config("v1"));
        change(config("v2"), "v2");
        change(config("v3"), "v3");
        assertThat(config().get("number").asInt()).isEqualTo(3);

        // The CLI command, then the admin API: one step each time, never toggling.
        Cli first = Cli.run("rollback", "--admin", adminAddress());
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(JSON.readTree(first.out()).get("to_number").asInt()).isEqualTo(2);
        assertThat(backend()).isEqualTo("v2");
        HttpResponse<String> second = rollback("");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(second.body()).get("to_number").asInt()).isEqualTo(1);
        assertThat(backend()).isEqualTo("v1");
        HttpResponse<String> third = rollback("");
        assertThat(third.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(third.body()).get("message").asText()).contains("nothing to roll back to");
        Cli refused = Cli.run("rollback", "--admin", adminAddress());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(backend()).isEqualTo("v1");

        JsonNode c = config();
        assertThat(c.get("pinned_by_rollback").asBoolean()).isTrue();
        List<String> outcomes = new ArrayList<>();
        c.get("history").forEach(e -> outcomes.add(e.get("outcome").asText() + " #" + e.get("number").asInt()));
        assertThat(outcomes).containsExactly("rolled_back #1", "rolled_back #2", "applied #3", "applied #2",
                "applied #1");
    }

    @Test
    void rollbackToPicksAVersion() throws Exception {
        start(config("v1"));
        change(config("v2"), "v2");
        change(config("v3"), "v3");
        String firstHash = config().get("versions").get(2).get("version").asText();

        Cli to = Cli.run("rollback", "--admin", adminAddress(), "--to", "1");
        assertThat(to.exitCode()).as(to.out() + to.err()).isZero();
        assertThat(backend()).isEqualTo("v1");
        Cli byHash = Cli.run("rollback", "--admin", adminAddress(), "--to",
                config().get("versions").get(1).get("version").asText());
        assertThat(byHash.exitCode()).isZero();
        assertThat(backend()).isEqualTo("v2");
        Cli unknown = Cli.run("rollback", "--admin", adminAddress(), "--to", "#42");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.out()).contains("no version '#42'");
        assertThat(rollback("?to=" + firstHash.substring(0, 12)).statusCode()).isEqualTo(200);
        assertThat(backend()).isEqualTo("v1");
    }

    @Test
    void touchDoesNotReloadNorUndoARollbackButNewContentApplies() throws Exception {
        start(config("v1"));
        change(config("v2"), "v2");
        assertThat(rollback("").statusCode()).isEqualTo(200);
        assertThat(backend()).isEqualTo("v1");
        int events = config().get("history").size();

        // touch, then an editor saving the same bytes: many polls later, nothing happened.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        Files.writeString(file, config("v2"));
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).until(() -> "v1".equals(backend()));
        JsonNode c = config();
        assertThat(c.get("history").size()).isEqualTo(events);
        assertThat(c.get("number").asInt()).isEqualTo(1);
        // ... and every view says the files differ from what is serving.
        assertThat(c.get("sources_match_serving").asBoolean()).isFalse();
        assertThat(c.get("drift").asText()).isEqualTo("rolled back to #1 (" + c.get("version").asText()
                + "), but the sources hold #2 (" + c.get("versions").get(0).get("version").asText()
                + "); it stays until their content changes");
        Cli status = Cli.run("status", "--admin", adminAddress());
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("serving: #1").contains("(rolled back)")
                .contains("config files: DIFFER from what is serving: rolled back to #1")
                .contains("* #1").contains("modified VirtualService default/app");
        Cli report = Cli.run("report", "--admin", adminAddress());
        assertThat(report.exitCode()).isZero();
        assertThat(report.out()).contains("config files: DIFFER from what is serving");

        // New content applies, on top of the rolled-back version.
        change(config("v3"), "v3");
        c = config();
        assertThat(c.get("number").asInt()).isEqualTo(3);
        assertThat(c.get("versions").get(0).get("parent").asInt()).isEqualTo(1);
        assertThat(c.get("sources_match_serving").asBoolean()).isTrue();
        assertThat(c.get("pinned_by_rollback").asBoolean()).isFalse();
        assertThat(Cli.run("status", "--admin", adminAddress()).out())
                .contains("config files: match what is serving");
    }

    @Test
    void anEmptyDirectoryIsServedWithAWarning() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        gateway = GatewayProcess.startFromFiles(List.of(empty), spec(), new PrintStream(startErrors, true,
                StandardCharsets.UTF_8));
        assertThat(gateway).isNotNull();
        assertThat(startErrors.toString(StandardCharsets.UTF_8)).contains("shadowgate: warning: no Istio resources "
                + "in the sources (no .yaml or .yml files): nothing is routed, every request gets 404 NR");
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.proxy().port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(config().get("history").get(0).get("messages").get(0).asText()).contains("no Istio resources");
    }
}

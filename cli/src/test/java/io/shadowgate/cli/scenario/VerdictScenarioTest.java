package io.shadowgate.cli.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowgate.cli.commands.GatewayOptions;
import io.shadowgate.cli.gateway.GatewayProcess;
import io.shadowgate.testkit.scenario.Scenario;
import io.shadowgate.testkit.scenario.ScenarioService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The verdict's scenario suite: the fixture service ({@link ScenarioService}, v1 and v2) behind the real gateway over
 * sockets, one route per {@link Scenario}, every request mirrored to v2 and sampled a second time to v1, then the
 * report read from the admin API's {@code /compare}. For each seed and scenario: the verdict must be the expected one,
 * the fields it calls different exactly the planted ones (recall, and no noise reported), an error-rate or latency
 * regression recognised as such. The outcome must not depend on timing: the planted effects are far above the
 * tolerances, the noise far below the thresholds, and each seed plants its rare bugs on other requests.
 *
 * <p>Settings used (documented in {@code docs/compare.md}): PASS after 300 comparisons and no minimum time (the
 * defaults, 1,000 and 60 s, would only make the suite longer), every safe request sampled (no rate cap).
 */
class VerdictScenarioTest {

    private static final long[] SEEDS = {11, 12, 13};
    /**
     * Requests per scenario: a verdict that fails is sticky, so the failing scenarios need only enough to fail (they
     * do within 20–150 requests); the healthy one enough to pass (300 comparisons); the rare bug (4% of requests)
     * enough to be significant among every field tested.
     */
    private static int requests(Scenario s) {
        return switch (s) {
            case HEALTHY -> 350;
            case RARE_PRICE_BUG -> 700;
            case MORE_ERRORS -> 400;
            default -> 200;
        };
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome of one scenario under one seed. */
    private record Result(long seed, Scenario scenario, String verdict, Set<String> different, boolean errorRegression,
            boolean latencyRegression, long compared, long samples, long verdictAfter, String line) {

        String expectedVerdict() {
            return scenario.cause() == Scenario.Cause.NONE ? "PASS" : "FAIL";
        }

        boolean agrees() {
            return verdict.equals(expectedVerdict()) && different.equals(scenario.plantedFields())
                    && errorRegression == (scenario.cause() == Scenario.Cause.ERRORS)
                    && latencyRegression == (scenario.cause() == Scenario.Cause.LATENCY);
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES) // normally well under a minute; generous for a loaded machine
    void everyPlantedDifferenceIsFoundNoNoiseIsReportedAndEveryVerdictIsRightForEverySeed() throws Exception {
        List<Result> results = new ArrayList<>();
        for (long seed : SEEDS) {
            results.addAll(run(seed));
        }
        System.out.println(summary(results));
        for (Result r : results) {
            assertThat(r.compared()).as("%s seed %d: compared", r.scenario(), r.seed())
                    .isEqualTo(requests(r.scenario()));
            assertThat(r.verdict()).as("%s seed %d: %s", r.scenario(), r.seed(), r.line())
                    .isEqualTo(r.expectedVerdict());
            assertThat(r.different()).as("%s seed %d: fields called different (%s)", r.scenario(), r.seed(), r.line())
                    .isEqualTo(r.scenario().plantedFields())
                    .doesNotContainAnyElementsOf(Scenario.NOISE);
            assertThat(r.errorRegression()).as("%s seed %d: error regression (%s)", r.scenario(), r.seed(), r.line())
                    .isEqualTo(r.scenario().cause() == Scenario.Cause.ERRORS);
            assertThat(r.latencyRegression()).as("%s seed %d: latency regression (%s)", r.scenario(), r.seed(),
                    r.line()).isEqualTo(r.scenario().cause() == Scenario.Cause.LATENCY);
            if (r.scenario().cause() == Scenario.Cause.LATENCY) {
                assertThat(r.line()).as("the verdict says how much slower").containsPattern("p95 .* ms → .* ms");
            }
            if (r.scenario().cause() == Scenario.Cause.ERRORS) {
                assertThat(r.line()).as("the verdict gives the error rates with intervals")
                        .containsPattern("errors v2 [0-9.]+% \\[[0-9.]+%–[0-9.]+%\\] vs v1");
            }
        }
    }

    private static List<Result> run(long seed) throws Exception {
        try (ScenarioService v1 = ScenarioService.start("v1", seed, Clock.systemUTC());
             ScenarioService v2 = ScenarioService.start("v2", seed, Clock.systemUTC())) {
            GatewayOptions options = CommandLine.populateCommand(new GatewayOptions(), "--listen", "127.0.0.1:0",
                    "--admin", "127.0.0.1:0", "--access-log", "off", "--tracing-exporter", "none",
                    "--drain-timeout", "1s", "--compare-min-requests", "300", "--compare-min-duration", "0s",
                    "--compare-noise-samples", "100", "--compare-noise-samples-per-second", "100000");
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            GatewayProcess gateway = GatewayProcess.startFromString("scenarios", config(v1.port(), v2.port()),
                    options.spec(),
                    new PrintStream(errors, true, StandardCharsets.UTF_8));
            assertThat(gateway).as(errors.toString(StandardCharsets.UTF_8)).isNotNull();
            try {
                long t0 = System.nanoTime();
                int sent = send(gateway.proxy().port());
                long t1 = System.nanoTime();
                gateway.services().awaitComparisons(sent, Duration.ofSeconds(90));
                System.out.printf("seed %d: %d requests in %d ms, compared after %d ms more%n", seed, sent,
                        (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
                HttpClient client = HttpClient.newHttpClient();
                String body = client.send(HttpRequest.newBuilder(URI.create("http://"
                                + gateway.services().adminAddress() + "/compare")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                return results(seed, JSON.readTree(body));
            } finally {
                gateway.close();
            }
        }
    }

    /** Every scenario's items 0..N-1, interleaved, a few at a time; every answer must be v1's 200. */
    private static int send(int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore inFlight = new Semaphore(6);
        AtomicInteger ok = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        int sent = 0;
        for (int i = 0; i < requests(Scenario.RARE_PRICE_BUG); i++) {
            for (Scenario s : Scenario.values()) {
                if (i >= requests(s)) {
                    continue;
                }
                inFlight.acquire();
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + s.path(i)))
                        .timeout(Duration.ofSeconds(20)).GET().build();
                all.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                    inFlight.release();
                    if (e == null && r.statusCode() == 200) {
                        ok.incrementAndGet();
                    }
                }));
                sent++;
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        assertThat(ok.get()).as("v1 answered every request").isEqualTo(sent);
        return sent;
    }

    private static List<Result> results(long seed, JsonNode report) {
        List<Result> out = new ArrayList<>();
        for (Scenario s : Scenario.values()) {
            JsonNode route = null;
            for (JsonNode r : report.get("routes")) {
                if (r.get("route").asText().endsWith(" " + s.segment())) {
                    route = r;
                }
            }
            assertThat(route).as("route of %s in %s", s, report).isNotNull();
            Set<String> different = new TreeSet<>();
            for (JsonNode f : route.get("fields")) {
                if ("DIFFERENT".equals(f.get("decision").asText())) {
                    different.add(f.get("path").asText());
                }
            }
            JsonNode latency = route.get("latency");
            out.add(new Result(seed, s, route.get("verdict").asText(), different,
                    route.get("errors").get("regression").asBoolean(),
                    latency != null && !latency.isNull() && latency.get("regression").asBoolean(),
                    route.get("compared").asLong(), route.get("noiseSamples").asLong(),
                    route.get("verdictAfterRequests").asLong(), route.get("verdictLine").asText()));
        }
        return out;
    }

    /** The table recorded in docs/compare.md. */
    private static String summary(List<Result> results) {
        StringBuilder sb = new StringBuilder("\nscenario suite, seeds ").append(java.util.Arrays.toString(SEEDS))
                .append('\n');
        sb.append(String.format(Locale.ROOT, "%-16s %-46s %-8s %-9s %-15s %-9s %-16s %s%n", "scenario", "planted",
                "expected", "requests", "verdicts", "agreement", "requests→verdict", "v1-vs-v1 samples"));
        int planted = 0;
        int found = 0;
        int noiseReported = 0;
        int agree = 0;
        for (Scenario s : Scenario.values()) {
            List<String> verdicts = new ArrayList<>();
            List<String> after = new ArrayList<>();
            List<String> samples = new ArrayList<>();
            int ok = 0;
            for (Result r : results) {
                if (r.scenario() != s) {
                    continue;
                }
                verdicts.add(r.verdict());
                after.add(r.verdict().equals("INSUFFICIENT_DATA") ? "-" : Long.toString(r.verdictAfter()));
                samples.add(Long.toString(r.samples()));
                ok += r.agrees() ? 1 : 0;
                agree += r.agrees() ? 1 : 0;
                for (String f : s.plantedFields()) {
                    planted++;
                    found += r.different().contains(f) ? 1 : 0;
                }
                for (String f : r.different()) {
                    noiseReported += s.plantedFields().contains(f) ? 0 : 1;
                }
            }
            sb.append(String.format(Locale.ROOT, "%-16s %-46s %-8s %-9d %-15s %-9s %-16s %s%n", s.segment(),
                    s.description(), s.cause() == Scenario.Cause.NONE ? "PASS" : "FAIL", requests(s),
                    String.join(",", verdicts),
                    ok + "/" + verdicts.size(), String.join(",", after), String.join(",", samples)));
        }
        for (Result r : results) {
            if (!r.agrees()) {
                sb.append("disagrees: ").append(r.scenario()).append(" seed ").append(r.seed()).append(": ")
                        .append(r.different()).append(" — ").append(r.line()).append('\n');
            }
        }
        sb.append(String.format(Locale.ROOT, "planted fields found %d/%d; fields wrongly called different %d; "
                + "verdicts agreeing %d/%d%n", found, planted, noiseReported, agree, results.size()));
        return sb.toString();
    }

    private static String config(int v1Port, int v2Port) {
        StringBuilder routes = new StringBuilder();
        for (Scenario s : Scenario.values()) {
            routes.append("""
                      - name: %1$s
                        match:
                        - uri: {prefix: /s/%1$s/}
                        route:
                        - destination: {host: scenario.example.internal, subset: v1}
                        mirror: {host: scenario.example.internal, subset: v2}
                        mirrorPercentage: {value: 100.0}
                    """.formatted(s.segment()));
        }
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: scenario}
                spec:
                  hosts: [scenario.example.internal]
                  location: MESH_INTERNAL
                  ports:
                  - {number: 80, name: http, protocol: HTTP}
                  resolution: STATIC
                  endpoints:
                  - address: 127.0.0.1
                    ports: {http: %d}
                    labels: {version: v1}
                  - address: 127.0.0.1
                    ports: {http: %d}
                    labels: {version: v2}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: scenario}
                spec:
                  host: scenario.example.internal
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: scenario}
                spec:
                  hosts: [127.0.0.1]
                  http:
                """.formatted(v1Port, v2Port) + routes;
    }
}

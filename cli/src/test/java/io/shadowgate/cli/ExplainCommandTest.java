package io.shadowgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shadowgate explain}: routing and why earlier routes did not match, weights, mirrors, listeners. */
class ExplainCommandTest {

    static final String MESH = ValidateCommandTest.SERVICE + """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - name: jason
                match: [{headers: {end-user: {exact: jason}}}]
                route: [{destination: {host: reviews, subset: v2}}]
              - name: canary
                match: [{uri: {prefix: /api}}]
                rewrite: {uri: /v1}
                timeout: 2s
                retries: {attempts: 3, retryOn: "5xx,connect-failure", perTryTimeout: 500ms}
                fault: {delay: {fixedDelay: 1s, percentage: {value: 10}}}
                headers:
                  request:
                    set: {x-canary: "true"}
                route:
                - destination: {host: reviews, subset: v1}
                  weight: 90
                - destination: {host: reviews, subset: v2}
                  weight: 10
                mirror: {host: reviews, subset: v2}
                mirrorPercentage: {value: 50}
              - name: moved
                match: [{uri: {prefix: /old}}]
                redirect: {uri: /new, redirectCode: 302}
              - name: teapot
                directResponse: {status: 418, body: {string: "short and stout"}}
            """;

    static final String GATEWAYS = ValidateCommandTest.SERVICE + """
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw-a}
            spec:
              selector: {istio: a}
              servers: [{port: {number: 8080, name: http, protocol: HTTP}, hosts: ["*"]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw-b}
            spec:
              selector: {istio: b}
              servers: [{port: {number: 9090, name: http, protocol: HTTP}, hosts: ["*"]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: on-a}
            spec:
              hosts: [shop.example.com]
              gateways: [gw-a]
              http: [{route: [{destination: {host: reviews, subset: v1}}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: on-b}
            spec:
              hosts: [shop.example.com]
              gateways: [gw-b]
              http: [{route: [{destination: {host: reviews, subset: v2}}]}]
            """;

    @TempDir
    Path dir;
    Path mesh;
    Path gateways;

    @BeforeEach
    void write() throws IOException {
        mesh = Files.writeString(dir.resolve("mesh.yaml"), MESH);
        gateways = Files.writeString(dir.resolve("gateways.yaml"), GATEWAYS);
    }

    @Test
    void showsTheMatchingRouteAndWhyEarlierOnesDidNot() {
        Cli r = Cli.run("explain", "-f", mesh.toString(), "GET", "http://reviews:8080/api/items?x=1",
                "-H", "end-user: bob");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("Listener:     0.0.0.0_8080 (mesh")
                .contains("Virtual host: reviews.default.svc.cluster.local:8080")
                .contains("#0  VirtualService default/reviews http[0] match[0] \"jason\"  " + mesh + ":27")
                .contains("no match: header end-user exact \"jason\"")
                .contains("#1  VirtualService default/reviews http[1] match[0] \"canary\"")
                .contains("MATCH: uri prefix \"/api\"")
                .contains("Rewrite:      path /api/items?x=1 -> /v1/items?x=1")
                .contains("set x-canary: true")
                .contains("Timeout:      2s")
                .contains("Retries:      3 on 5xx,connect-failure, per try 500ms")
                .contains("Fault:        delay 1s for 10%")
                .contains("(the pick depends on the request's random value; pass --seed N to see one)")
                .contains("outbound|80|v2|reviews.default.svc.cluster.local  50%")
                .contains("Mirrors:      (pass --seed N");
        assertThat(r.out()).doesNotContain("#2");
    }

    @Test
    void seedPicksTheWeightedDestinationAndDecidesTheMirror() {
        Cli v1 = Cli.run("explain", "-f", mesh.toString(), "--seed", "42", "GET", "http://reviews:8080/api");
        assertThat(v1.out())
                .contains("-> outbound|80|v1|reviews.default.svc.cluster.local  weight 90 = 90%  [0, 90)")
                .contains("picked by seed 42: 42 % 100 = 42 -> outbound|80|v1|reviews.default.svc.cluster.local")
                .contains("-> mirrored (42 % 1000000 = 42 < 500000)")
                .contains("Cluster outbound|80|v1|reviews.default.svc.cluster.local")
                .contains("10.0.0.11:80  {version=v1}");
        Cli v2 = Cli.run("explain", "-f", mesh.toString(), "--seed", "999999", "GET", "http://reviews:8080/api");
        assertThat(v2.out())
                .contains("picked by seed 999999: 999999 % 100 = 99 -> outbound|80|v2|reviews.default.svc.cluster.local")
                .contains("-> not mirrored (999999 % 1000000 = 999999 >= 500000)")
                .contains("10.0.0.12:80  {version=v2}")
                .doesNotContain("10.0.0.11");
    }

    @Test
    void jsonOutput() throws IOException {
        Cli r = Cli.run("explain", "-f", mesh.toString(), "--seed", "95", "-o", "json", "POST",
                "http://reviews:8080/api/x");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.at("/request/method").asText()).isEqualTo("POST");
        assertThat(doc.at("/listener/port").asInt()).isEqualTo(8080);
        assertThat(doc.at("/routes/0/matched").asBoolean()).isFalse();
        assertThat(doc.at("/routes/0/mismatch").asText()).contains("end-user");
        assertThat(doc.at("/route/name").asText()).isEqualTo("canary");
        assertThat(doc.at("/route/virtualService").asText()).isEqualTo("default/reviews");
        assertThat(doc.at("/result").asText()).isEqualTo("forward");
        assertThat(doc.at("/forward/totalWeight").asInt()).isEqualTo(100);
        assertThat(doc.at("/forward/destinations/1/percent").asDouble()).isEqualTo(10.0);
        assertThat(doc.at("/forward/picked").asText()).isEqualTo("outbound|80|v2|reviews.default.svc.cluster.local");
        assertThat(doc.at("/forward/mirrors/0/percent").asDouble()).isEqualTo(50.0);
        assertThat(doc.at("/forward/mirrors/0/sampled").asBoolean()).isTrue();
        assertThat(doc.at("/forward/rewrite/rewrittenPath").asText()).isEqualTo("/v1/x");
        assertThat(doc.at("/forward/timeout").asText()).isEqualTo("2s");
        assertThat(doc.at("/forward/retries/attempts").asInt()).isEqualTo(3);
        assertThat(doc.at("/clusters/0/name").asText()).isEqualTo("outbound|80|v2|reviews.default.svc.cluster.local");
        assertThat(doc.at("/clusters/0/endpoints/0/address").asText()).isEqualTo("10.0.0.12");
        assertThat(doc.at("/clusters/0/loadBalancer").asText()).isEqualTo("LEAST_REQUEST");
    }

    @Test
    void redirectDirectResponseAndNoRoute() throws IOException {
        Cli redirect = Cli.run("explain", "-f", mesh.toString(), "GET", "http://reviews:8080/old/page?q=1");
        assertThat(redirect.out()).contains("Action:       redirect 302 to http://reviews:8080/new?q=1");
        Cli direct = Cli.run("explain", "-f", mesh.toString(), "GET", "http://reviews:8080/other");
        assertThat(direct.out()).contains("#3  VirtualService default/reviews http[3] \"teapot\"")
                .contains("Action:       direct response 418 with a 15-byte body");
        Cli none = Cli.run("explain", "-f", mesh.toString(), "-o", "json", "GET", "http://ratings:8080/");
        JsonNode doc = new ObjectMapper().readTree(none.out());
        assertThat(doc.at("/result").asText()).isEqualTo("notFound");
        assertThat(doc.at("/status").asInt()).isEqualTo(404);
    }

    @Test
    void listenerIsTheUrlPortElseTheGatewayElseTheOnlyOne() {
        Cli byPort = Cli.run("explain", "-f", gateways.toString(), "GET", "http://shop.example.com:9090/");
        assertThat(byPort.out()).contains("Listener:     0.0.0.0_9090 (gateways default/gw-b)")
                .contains("VirtualService default/on-b").contains("outbound|80|v2|");
        Cli byGateway = Cli.run("explain", "-f", gateways.toString(), "--gateway", "gw-a", "GET",
                "http://shop.example.com/");
        assertThat(byGateway.exitCode()).isZero();
        assertThat(byGateway.out()).contains("Listener:     0.0.0.0_8080 (gateways default/gw-a)")
                .contains("VirtualService default/on-a");
        Cli ambiguous = Cli.run("explain", "-f", gateways.toString(), "GET", "http://shop.example.com/");
        assertThat(ambiguous.exitCode()).isEqualTo(2);
        assertThat(ambiguous.err()).contains("no listener takes port 80").contains("--gateway");
        Cli onlyOne = Cli.run("explain", "-f", mesh.toString(), "GET", "http://reviews:8080/api");
        assertThat(onlyOne.out()).contains("0.0.0.0_8080");
    }

    @Test
    void invalidConfigExitsOneAndMissingFileTwo() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), MESH.replace("weight: 90", "weight: -90"));
        Cli r = Cli.run("explain", "-f", bad.toString(), "GET", "http://reviews:8080/api");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("the configuration has errors").contains("IST0106")
                .contains("spec.http[1].route[0].weight");
        assertThat(Cli.run("explain", "-f", dir.resolve("none.yaml").toString(), "GET", "http://x/").exitCode())
                .isEqualTo(2);
        assertThat(Cli.run("explain", "-f", mesh.toString(), "GET", "reviews/api").exitCode()).isEqualTo(2);
    }
}

package io.shadowgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shadowgate validate}: messages, JSON, exit codes 0/1/2 and {@code --strict}. */
class ValidateCommandTest {

    static final String SERVICE = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: reviews}
            spec:
              hosts: [reviews.default.svc.cluster.local]
              ports: [{number: 80, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints:
              - {address: 10.0.0.11, labels: {version: v1}}
              - {address: 10.0.0.12, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
            """;

    static final String GOOD_VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews, subset: v1}
                mirror: {host: reviews, subset: v2}
                mirrorPercentage: {value: 10}
            """;

    @TempDir
    Path dir;

    Path write(String name, String yaml) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void validConfigExitsZero() throws IOException {
        Path svc = write("svc.yaml", SERVICE);
        Path vs = write("vs.yaml", GOOD_VS);
        Cli r = Cli.run("validate", "-f", svc.toString(), "-f", vs.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("No validation issues found: 3 resources in 2 files.");
    }

    @Test
    void directoryInputIsRead() throws IOException {
        write("a.yaml", SERVICE);
        write("b.yml", GOOD_VS);
        write("notes.txt", "not yaml");
        Cli r = Cli.run("validate", "-f", dir.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("3 resources in 2 files");
    }

    @Test
    void errorsExitOneWithLocationCodeResourceFieldAndAdvice() throws IOException {
        Path p = write("bad.yaml", SERVICE + """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: shop}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews.default.svc.cluster.local, subset: v1}
                      weight: -5
                    mirror: {host: reviews.default.svc.cluster.local, subset: v2}
                    mirrors:
                    - destination: {host: reviews.default.svc.cluster.local, subset: v2}
                """);
        Cli r = Cli.run("validate", "-f", p.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains(p + ":29:15: error IST0106 VirtualService shop/reviews "
                + "spec.http[0].route[0].weight: weight -5 is negative (expected: >= 0)");
        assertThat(r.out()).contains(p + ":31:5: error IST0106 VirtualService shop/reviews spec.http[0].mirrors: "
                + "mirror and mirrors cannot both be set; move the mirror");
        assertThat(r.out()).contains("2 errors, 0 warnings").contains("the configuration is rejected");
        // In reading order.
        assertThat(r.out().indexOf(":29:15:")).isLessThan(r.out().indexOf(":31:5:"));
    }

    @Test
    void unknownFieldIsAnErrorWithASuggestion() throws IOException {
        Path p = write("vs.yaml", SERVICE + "---\n" + GOOD_VS.replace("mirrorPercentage", "mirrorPercentge"));
        Cli r = Cli.run("validate", "-f", p.toString());
        assertThat(r.exitCode()).as("a typo would mirror everything: rejected as Kubernetes rejects it").isEqualTo(1);
        assertThat(r.out()).containsPattern(Pattern.quote(p.toString()) + ":\\d+:\\d+: error SG0002 "
                + "VirtualService default/reviews spec.http\\[0\\]\\.mirrorPercentge: unknown field "
                + "\"mirrorPercentge\" in HTTPRoute; did you mean mirrorPercentage\\?");
        assertThat(r.out()).contains("the configuration is rejected");
    }

    @Test
    void aMissingSubsetIsAnErrorWithTheIstioctlCode() throws IOException {
        Path p = write("vs.yaml", SERVICE + "---\n" + GOOD_VS.replace("subset: v2", "subset: v3"));
        Cli r = Cli.run("validate", "-f", p.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).containsPattern(Pattern.quote(p.toString()) + ":\\d+:\\d+: error IST0101 "
                + "VirtualService default/reviews spec.http\\[0\\]\\.mirror\\.subset: "
                + "Referenced mirror\\+subset in destinationrule not found");
    }

    @Test
    void anHttpsGatewayServerIsAWarningNamingThePortAndStrictFailsOnIt() throws IOException {
        String gateway = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw}
                spec:
                  servers:
                  - port: {number: 8080, name: http, protocol: HTTP}
                    hosts: ["*"]
                  - port: {number: 8443, name: https, protocol: HTTPS}
                    hosts: ["*"]
                    tls: {mode: SIMPLE, credentialName: cert}
                """;
        Path p = write("gw.yaml", SERVICE + "---\n" + gateway + "---\n"
                + GOOD_VS.replace("hosts: [reviews]", "hosts: [reviews]\n  gateways: [gw]"));
        Cli lenient = Cli.run("validate", "-f", p.toString());
        assertThat(lenient.exitCode()).as(lenient.out()).isZero();
        assertThat(lenient.out()).contains("warning SG0012 Gateway default/gw spec.servers[1].port.protocol: "
                + "port 8443 (HTTPS) is not served");
        assertThat(Cli.run("validate", "--strict", "-f", p.toString()).exitCode()).isEqualTo(1);

        Path only = write("tls-only.yaml", SERVICE + "---\n" + gateway.replace(
                "  - port: {number: 8080, name: http, protocol: HTTP}\n    hosts: [\"*\"]\n", ""));
        Cli nothing = Cli.run("validate", "-f", only.toString());
        assertThat(nothing.exitCode()).as("a gateway that would listen on nothing").isEqualTo(1);
        assertThat(nothing.out()).contains("error SG0015").contains("listen on no port");
    }

    @Test
    void jsonOutputForMachines() throws IOException {
        Path p = write("bad.yaml", SERVICE + "---\n" + GOOD_VS.replace("value: 10", "value: 110"));
        Cli r = Cli.run("validate", "-o", "json", "-f", p.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("valid").asBoolean()).isFalse();
        assertThat(doc.get("errors").asInt()).isEqualTo(1);
        assertThat(doc.get("warnings").asInt()).isZero();
        assertThat(doc.get("resources").asInt()).isEqualTo(3);
        assertThat(doc.get("files").get(0).asText()).isEqualTo(p.toString());
        JsonNode d = doc.get("diagnostics").get(0);
        assertThat(d.get("file").asText()).isEqualTo(p.toString());
        assertThat(d.get("line").asInt()).isEqualTo(30);
        assertThat(d.get("column").asInt()).isEqualTo(31);
        assertThat(d.get("severity").asText()).isEqualTo("error");
        assertThat(d.get("code").asText()).isEqualTo("IST0106");
        assertThat(d.get("kind").asText()).isEqualTo("VirtualService");
        assertThat(d.get("namespace").asText()).isEqualTo("default");
        assertThat(d.get("name").asText()).isEqualTo("reviews");
        assertThat(d.get("field").asText()).isEqualTo("spec.http[0].mirrorPercentage.value");
        assertThat(d.get("message").asText()).contains("110").contains("0..100");
    }

    @Test
    void yamlSyntaxErrorExitsOne() throws IOException {
        Path p = write("broken.yaml", "apiVersion: networking.istio.io/v1\nkind: VirtualService\nspec: [\n");
        Cli r = Cli.run("validate", "-f", p.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("error SG0001");
    }

    @Test
    void missingPathExitsTwo() {
        Cli r = Cli.run("validate", "-f", dir.resolve("nope.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("nope.yaml: no such file or directory");
        Cli json = Cli.run("validate", "-o", "json", "-f", dir.resolve("nope.yaml").toString());
        assertThat(json.exitCode()).isEqualTo(2);
        assertThat(json.out()).contains("\"valid\" : false").contains("no such file or directory");
    }
}

package io.shadowgate.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.model.HTTPRoute;
import io.shadowgate.config.model.Resource;
import io.shadowgate.config.model.SourceLocation;
import io.shadowgate.config.model.VirtualService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private final ConfigLoader loader = new ConfigLoader();

    private static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
              namespace: shop
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination:
                    host: reviews
                    subset: v1
                  weight: 80
                - destination:
                    host: reviews
                    subset: v2
                  weight: "20"
            """;

    @Test
    void wrongTypeIsReportedAtItsFileLineAndColumn() {
        LoadResult r = loader.loadString("vs.yaml", VS);
        assertThat(r.hasErrors()).isTrue();
        Diagnostic d = r.errors().get(0);
        assertThat(d.code()).isEqualTo("SG0004");
        assertThat(d.field()).isEqualTo("spec.http[0].route[1].weight");
        assertThat(d.file()).isEqualTo("vs.yaml");
        assertThat(d.line()).isEqualTo(17);
        assertThat(d.column()).isEqualTo(15);
        assertThat(d.message()).contains("expected an integer").contains("\"20\"").contains("remove the quotes");
        assertThat(d.format()).startsWith("vs.yaml:17:15: error SG0004 VirtualService shop/reviews "
                + "spec.http[0].route[1].weight: ");
        // A document with type errors is not bound.
        assertThat(r.resources()).isEmpty();
    }

    @Test
    void bindsAndRecordsLocationsOfEveryField() {
        LoadResult r = loader.loadString("vs.yaml", VS.replace("\"20\"", "20"));
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.resources()).hasSize(1);
        Resource<?> res = r.resources().get(0);
        assertThat(res.kind()).isEqualTo("VirtualService");
        assertThat(res.key()).isEqualTo("shop/reviews");
        assertThat(res.location()).isEqualTo(new SourceLocation("vs.yaml", 1, 1));
        assertThat(res.locations().at("spec.http[0].route[1].weight")).isEqualTo(new SourceLocation("vs.yaml", 17, 15));
        assertThat(res.locations().keyAt("spec.http[0].route[1].weight").column()).isEqualTo(7);
        // An unset field resolves to its nearest written ancestor.
        assertThat(res.locations().at("spec.http[0].route[1].destination.port.number").line()).isEqualTo(14);
        VirtualService vs = res.specAs(VirtualService.class);
        assertThat(vs.http().get(0).route().get(1).weight()).isEqualTo(20);
    }

    @Test
    void unknownFieldsAreErrorsWithNearestName() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: a}
                spec:
                  hosts: [a]
                  htp: []
                  http:
                  - route: [{destination: {host: a}}]
                    mirrorPercnt: {value: 5}
                    mirror_percentage: {value: 5}
                    retrys: {attempts: 1}
                    xyzzy: 1
                """;
        LoadResult r = loader.loadString("a.yaml", yaml);
        assertThat(r.hasErrors()).as("Kubernetes rejects unknown fields; so does the loader").isTrue();
        assertThat(r.resources()).as("still bound, so that references to it do not add errors").hasSize(1);
        List<Diagnostic> w = r.diagnostics();
        assertThat(w).allMatch(d -> d.severity() == Severity.ERROR && d.code().equals("SG0002"));
        assertThat(w).extracting(Diagnostic::message).containsExactly(
                "unknown field \"htp\" in VirtualService; did you mean http?",
                "unknown field \"mirrorPercnt\" in HTTPRoute; did you mean mirrorPercentage?",
                "unknown field \"mirror_percentage\" in HTTPRoute; did you mean mirrorPercentage?",
                "unknown field \"retrys\" in HTTPRoute; did you mean retries?",
                "unknown field \"xyzzy\" in HTTPRoute");
        assertThat(w.get(1).line()).isEqualTo(9);
        assertThat(w.get(1).column()).isEqualTo(5);
        assertThat(w.get(1).field()).isEqualTo("spec.http[0].mirrorPercnt");
    }

    @Test
    void mirrorPercentAliasAndDeprecation() {
        String yaml = """
                apiVersion: networking.istio.io/v1beta1
                kind: VirtualService
                metadata: {name: a}
                spec:
                  hosts: [a]
                  http:
                  - route: [{destination: {host: a}}]
                    mirror: {host: b}
                    mirror_percent: 30
                """;
        LoadResult r = loader.loadString("a.yaml", yaml);
        assertThat(r.hasErrors()).isFalse();
        HTTPRoute h = r.resources().get(0).specAs(VirtualService.class).http().get(0);
        assertThat(h.mirrorPercent()).isEqualTo(30L);
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly("SG0010");
        assertThat(r.diagnostics().get(0).message()).contains("use mirrorPercentage");
    }

    @Test
    void multiDocumentFilesSkipEmptyDocumentsAndOtherKinds() {
        String yaml = """
                ---
                # only a comment
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: svc}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: se}
                spec:
                  hosts: [a.example.com]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: DNS
                ---
                apiVersion: networking.istio.io/v2
                kind: DestinationRule
                metadata: {name: dr}
                spec: {host: a.example.com}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: ap}
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: DestinationRule
                metadata: {name: dr, namespace: prod}
                spec: {host: a.example.com}
                """;
        LoadResult r = loader.loadString("multi.yaml", yaml);
        assertThat(r.errors()).as(r.diagnostics().toString()).isEmpty();
        assertThat(r.resources()).extracting(Resource::kind).containsExactly("ServiceEntry", "DestinationRule");
        assertThat(r.resources().get(0).namespace()).isEqualTo("default");
        assertThat(r.resources().get(1).namespace()).isEqualTo("prod");
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly("SG0003", "SG0003", "SG0003");
        assertThat(r.diagnostics().get(0).message()).contains("kind Service");
        assertThat(r.diagnostics().get(0).line()).isEqualTo(5);
        assertThat(r.diagnostics().get(1).message()).contains("apiVersion networking.istio.io/v2");
        assertThat(r.diagnostics().get(2).message()).contains("kind AuthorizationPolicy");
    }

    @Test
    void syntaxErrorsKeepEarlierDocuments() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: we}
                spec: {address: 10.0.0.1}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: bad
                   namespace: x
                """;
        LoadResult r = loader.loadString("s.yaml", yaml);
        assertThat(r.resources()).hasSize(1);
        assertThat(r.errors()).hasSize(1);
        Diagnostic d = r.errors().get(0);
        assertThat(d.code()).isEqualTo("SG0001");
        assertThat(d.line()).isEqualTo(10);
        assertThat(d.column()).isGreaterThan(0);
        assertThat(d.message()).startsWith("YAML syntax error: ").doesNotContain("in 'reader'");
    }

    @Test
    void indentationErrorsSayWhereAndWhatToChangeNotTheParsersText() {
        // A key indented one space less than its siblings, as when a line is pasted from elsewhere.
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                 http:
                  - route: [{destination: {host: reviews}}]
                """;
        Diagnostic d = loader.loadString("i.yaml", yaml).errors().get(0);
        assertThat(d.format()).startsWith("i.yaml:6:");
        assertThat(d.message()).isEqualTo("YAML syntax error: this line is indented differently from the keys "
                + "before it; give every key of one mapping the same indentation (spaces), and indent a nested "
                + "mapping further than its parent key");
        Diagnostic tooFar = loader.loadString("j.yaml", "metadata:\n  name: a\n   labels: {}\n").errors().get(0);
        assertThat(tooFar.line()).isEqualTo(3);
        assertThat(tooFar.message()).contains("indented further than its siblings")
                .doesNotContain("mapping values are not allowed");
        Diagnostic brace = loader.loadString("k.yaml", "spec: {ports: {http: 9\n  labels: {}\n").errors().get(0);
        assertThat(brace.message()).contains("'{...}' mapping is not closed").doesNotContain("flow mapping");
    }

    @Test
    void duplicateKeysAreErrors() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: we}
                spec:
                  address: 10.0.0.1
                  address: 10.0.0.2
                """;
        LoadResult r = loader.loadString("d.yaml", yaml);
        assertThat(r.errors()).extracting(Diagnostic::code).containsExactly("SG0001");
        assertThat(r.errors().get(0).line()).isEqualTo(6);
        assertThat(r.errors().get(0).message()).contains("duplicate key \"address\"").contains("line 5");
    }

    @Test
    void missingRequiredFieldsAreErrors() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: empty}
                spec:
                  hosts: [a]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: nohost}
                spec:
                  hosts: [a]
                  http:
                  - route: [{destination: {subset: v1}}]
                    mirror: {port: {number: 80}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: dr}
                spec:
                  subsets: [{labels: {v: "1"}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: se}
                spec: {ports: [{number: 80}]}
                ---
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw}
                spec: {}
                ---
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw2}
                spec:
                  servers: [{hosts: ["*"]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {}
                spec:
                  servers: [{hosts: ["*"], port: {number: 80, protocol: HTTP, name: http}}]
                """;
        LoadResult r = loader.loadString("req.yaml", yaml);
        assertThat(r.errors()).allMatch(d -> d.code().equals("SG0005"));
        assertThat(r.errors()).extracting(Diagnostic::field).containsExactly(
                "spec",
                "spec.http[0].route[0].destination.host",
                "spec.http[0].mirror.host",
                "spec.host",
                "spec.subsets[0].name",
                "spec.hosts",
                "spec.servers",
                "spec.servers[0].port",
                "metadata.name");
        assertThat(r.errors().get(1).line()).isEqualTo(13);
    }

    @Test
    void metadataTypesAreChecked() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: we
                  labels: {version: 2}
                  uid: 1234
                  resourceVersion: "77"
                spec: {address: 10.0.0.1}
                """;
        LoadResult r = loader.loadString("m.yaml", yaml);
        assertThat(r.errors()).extracting(Diagnostic::field).containsExactly("metadata.labels.version");
        assertThat(r.errors().get(0).message()).contains("quote it");
    }

    @Test
    void annotationPathsAreQuoted() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: we
                  annotations:
                    shadowgate.io/compare: "true"
                spec: {address: 10.0.0.1}
                """;
        LoadResult r = loader.loadString("m.yaml", yaml);
        Resource<?> res = r.resources().get(0);
        assertThat(res.meta().annotations()).containsEntry("shadowgate.io/compare", "true");
        assertThat(res.locations().at("metadata.annotations[\"shadowgate.io/compare\"]").line()).isEqualTo(6);
    }

    @Test
    void directoriesAreReadRecursivelyInNameOrderSkippingConfigMapInternals(@TempDir Path dir) throws IOException {
        String se = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %s}
                spec:
                  hosts: [%s.example.com]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: DNS
                """;
        // A ConfigMap mount: ..2024_x/ holds the data, ..data -> ..2024_x, and visible names link into ..data.
        Path ts = Files.createDirectory(dir.resolve("..2024_01_01_00_00_00.000000001"));
        Files.writeString(ts.resolve("b.yaml"), se.formatted("b", "b"), StandardCharsets.UTF_8);
        Files.writeString(ts.resolve("a.yml"), se.formatted("a", "a"), StandardCharsets.UTF_8);
        Files.createSymbolicLink(dir.resolve("..data"), ts.getFileName());
        Files.createSymbolicLink(dir.resolve("b.yaml"), Path.of("..data/b.yaml"));
        Files.createSymbolicLink(dir.resolve("a.yml"), Path.of("..data/a.yml"));
        Path sub = Files.createDirectory(dir.resolve("c"));
        Files.writeString(sub.resolve("c.yaml"), se.formatted("c", "c"), StandardCharsets.UTF_8);
        Files.writeString(sub.resolve("notes.txt"), "not yaml", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(".hidden.yaml"), se.formatted("h", "h"), StandardCharsets.UTF_8);

        LoadResult r = loader.load(List.of(dir));
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.resources()).extracting(Resource::name).containsExactly("a", "b", "c");
        assertThat(r.sources()).hasSize(3);
        assertThat(r.resources().get(0).file()).endsWith("a.yml");
    }

    @Test
    void explicitFilesAndMissingPaths(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("config.txt");
        Files.writeString(f, "apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: w}\n"
                + "spec: {address: 10.0.0.9}\n", StandardCharsets.UTF_8);
        LoadResult r = loader.load(List.of(f, dir.resolve("missing.yaml")));
        assertThat(r.resources()).hasSize(1);
        assertThat(r.errors()).extracting(Diagnostic::code).containsExactly("SG0006");
    }

    @Test
    void nonMappingDocumentsAreErrors() {
        LoadResult r = loader.loadString("x.yaml", "- a\n- b\n");
        assertThat(r.errors()).extracting(Diagnostic::code).containsExactly("SG0004");
    }
}

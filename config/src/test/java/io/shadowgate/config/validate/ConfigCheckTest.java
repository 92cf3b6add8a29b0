package io.shadowgate.config.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.diagnostics.DiagnosticCodes;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.load.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The merged check: loader, validator and compiler findings, once each, with snapshot only when error-free. */
class ConfigCheckTest {

    private static final String BASE = """
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
            ---
            """;

    static CompileResult check(String yaml) {
        return ConfigCheck.check(new ConfigLoader().loadString("test.yaml", yaml), CompileOptions.defaults());
    }

    static List<Diagnostic> notInfo(CompileResult r) {
        return r.diagnostics().stream().filter(d -> d.severity() != Severity.INFO).toList();
    }

    @Test
    void theClassicMirrorExampleIsCleanAndCompiles() {
        CompileResult r = check(BASE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: v1}
                      weight: 100
                    mirror: {host: reviews, subset: v2}
                    mirrorPercentage: {value: 100.0}
                """);
        assertThat(notInfo(r)).isEmpty();
        assertThat(r.snapshot()).isNotNull();
    }

    @Test
    void unknownFieldIsAnErrorShownWithTheNearestKnownName() {
        CompileResult r = check(BASE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: v1}
                    mirror: {host: reviews, subset: v2}
                    mirrorPercnt: {value: 10}
                """);
        Diagnostic d = r.diagnostics().stream().filter(x -> x.code().equals("SG0002")).findFirst().orElseThrow();
        assertThat(d.severity()).isEqualTo(Severity.ERROR);
        assertThat(d.message()).contains("mirrorPercnt").contains("did you mean mirrorPercentage?");
        assertThat(d.field()).isEqualTo("spec.http[0].mirrorPercnt");
        assertThat(d.line()).isEqualTo(30);
        assertThat(d.column()).isEqualTo(5);
        assertThat(d.format()).startsWith("test.yaml:30:5: error SG0002 VirtualService default/reviews "
                + "spec.http[0].mirrorPercnt: ");
        assertThat(r.snapshot()).as("a typo is not served (it would mirror 100%)").isNull();
    }

    @Test
    void aProblemFoundByValidatorAndCompilerIsReportedOnce() {
        CompileResult r = check(BASE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: v1}
                      weight: -1
                    mirror: {host: reviews, subset: v2}
                    mirrors:
                    - destination: {host: reviews, subset: v2}
                """);
        assertThat(r.snapshot()).isNull();
        assertThat(r.errors()).extracting(Diagnostic::field)
                .containsExactlyInAnyOrder("spec.http[0].route[0].weight", "spec.http[0].mirrors");
        assertThat(r.errors()).allSatisfy(d -> assertThat(d.code()).isEqualTo("IST0106"));
        Diagnostic weight = r.errors().stream().filter(d -> d.field().endsWith("weight")).findFirst().orElseThrow();
        assertThat(weight.line()).isEqualTo(29);
        assertThat(weight.column()).isEqualTo(15);
    }

    @Test
    void whatOnlyIstiodRejectsAlsoRejectsTheSnapshot() {
        // The compiler translates regex "*" on a header as "present"; istiod's webhook rejects it outside
        // withoutHeaders, so a configuration Istio would not accept is not served either.
        CompileResult r = check(BASE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - match: [{headers: {x-user: {regex: "*"}}}]
                    route: [{destination: {host: reviews, subset: v1}}]
                """);
        assertThat(r.snapshot()).isNull();
        assertThat(r.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("IST0106");
            assertThat(d.field()).isEqualTo("spec.http[0].match[0].headers.x-user.regex");
            assertThat(d.message()).contains("not valid RE2");
        });
    }

    @Test
    void warningsAreKeptInTheSnapshot() {
        CompileResult r = check(BASE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route: [{destination: {host: reviews, subset: v1}}]
                  - route: [{destination: {host: reviews, subset: v2}}]
                """);
        assertThat(r.snapshot()).isNotNull();
        assertThat(r.snapshot().diagnostics()).anySatisfy(d -> {
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.code()).isEqualTo("IST0130");
            assertThat(d.field()).isEqualTo("spec.http[1]");
        });
    }

    @Test
    void aMissingSubsetIsAnErrorAsInIstioctlAnalyze() {
        // istioctl analyze rates IST0101 Error; served, every request would get 503 NC.
        CompileResult r = check(BASE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route: [{destination: {host: reviews, subset: v3}}]
                """);
        assertThat(r.snapshot()).isNull();
        assertThat(r.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("IST0101");
            assertThat(d.field()).isEqualTo("spec.http[0].route[0].destination.subset");
            assertThat(d.format()).startsWith("test.yaml:27:");
            assertThat(d.message()).contains("v3");
        });
    }

    @Test
    void aMissingMirrorSubsetIsAnError() {
        CompileResult r = check(BASE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route: [{destination: {host: reviews, subset: v1}}]
                    mirror: {host: reviews, subset: v3}
                """);
        assertThat(r.snapshot()).isNull();
        assertThat(r.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("IST0101");
            assertThat(d.field()).isEqualTo("spec.http[0].mirror.subset");
            assertThat(d.line()).isEqualTo(28);
            assertThat(d.message()).contains("mirror+subset").contains("v3");
        });
    }

    @Test
    void aMisspeltMirrorPercentageIsRejectedWithFileAndLine() {
        CompileResult r = check(BASE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route: [{destination: {host: reviews, subset: v1}}]
                    mirror: {host: reviews, subset: v2}
                    mirrorPercentge: {value: 50}
                """);
        assertThat(r.snapshot()).isNull();
        assertThat(r.errors()).singleElement().satisfies(d -> assertThat(d.format()).isEqualTo(
                "test.yaml:29:5: error SG0002 VirtualService default/reviews spec.http[0].mirrorPercentge: "
                        + "unknown field \"mirrorPercentge\" in HTTPRoute; did you mean mirrorPercentage?"));
    }

    @Test
    void everyAnalysisCodeHasTheLevelIstioctlGivesIt() {
        // pkg/config/analysis/msg/messages.yaml; IST0131 is Info there and a warning here (istiod's webhook level).
        assertThat(DiagnosticCodes.severity("IST0101")).isEqualTo(Severity.ERROR);
        assertThat(DiagnosticCodes.severity("IST0106")).isEqualTo(Severity.ERROR);
        assertThat(DiagnosticCodes.severity("IST0109")).isEqualTo(Severity.ERROR);
        assertThat(DiagnosticCodes.severity("IST0112")).isEqualTo(Severity.ERROR);
        assertThat(DiagnosticCodes.severity("IST0130")).isEqualTo(Severity.WARNING);
        assertThat(DiagnosticCodes.severity("IST0131")).isEqualTo(Severity.WARNING);
        assertThat(DiagnosticCodes.severity("IST0132")).isEqualTo(Severity.WARNING);
        assertThat(DiagnosticCodes.severity("IST0133")).isEqualTo(Severity.WARNING);
        assertThat(DiagnosticCodes.severity("IST0134")).isEqualTo(Severity.WARNING);
        assertThat(DiagnosticCodes.severity("IST0145")).isEqualTo(Severity.ERROR);
        assertThat(DiagnosticCodes.severity("IST0173")).isEqualTo(Severity.ERROR);
        assertThat(DiagnosticCodes.severity("SG0002")).isEqualTo(Severity.ERROR);
    }

    @Test
    void yamlSyntaxErrorIsAnError() {
        CompileResult r = check("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x\n");
        assertThat(r.snapshot()).isNull();
        assertThat(r.errors()).anySatisfy(d -> assertThat(d.code()).isEqualTo("SG0001"));
    }

    @Test
    void inSourceOrderSortsByFileThenLine() {
        Diagnostic a = new Diagnostic(Severity.ERROR, "X", "m", "b.yaml", 3, 1, null, null, null, null);
        Diagnostic b = new Diagnostic(Severity.WARNING, "X", "m", "a.yaml", 9, 1, null, null, null, null);
        Diagnostic c = new Diagnostic(Severity.WARNING, "X", "m", "a.yaml", 2, 7, null, null, null, null);
        Diagnostic d = new Diagnostic(Severity.ERROR, "X", "m", null, 0, 0, null, null, null, null);
        assertThat(ConfigCheck.inSourceOrder(List.of(a, b, c, d), List.of("a.yaml", "b.yaml")))
                .containsExactly(d, c, b, a);
    }
}

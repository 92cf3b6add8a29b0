package io.shadowgate.config.compile;

import static io.shadowgate.config.compile.TestConfigs.compile;
import static io.shadowgate.config.compile.TestConfigs.forward;
import static io.shadowgate.config.compile.TestConfigs.route;
import static io.shadowgate.config.compile.TestConfigs.withCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.config.snapshot.SimpleRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AnnotationsTest {

    private static String vs(String annotations) {
        return MirrorCompileTest.SERVICES + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: app
                  annotations:
                """ + annotations.indent(4) + """
                spec:
                  hosts: [app]
                  http:
                  - route: [{destination: {host: app}}]
                    mirror: {host: shadow}
                """;
    }

    @Test
    void everyAnnotationParses() {
        CompileResult r = compile(vs("""
                shadowgate.io/mirror-methods: "get, HEAD"
                shadowgate.io/mirror-strip-headers: "Authorization,cookie"
                shadowgate.io/mirror-set-headers: "x-shadow=true, x-id=%REQ(x-request-id)%"
                shadowgate.io/mirror-remove-headers: "x-a,X-B"
                shadowgate.io/mirror-sample-key: "header:X-User-Id"
                shadowgate.io/shadow-host-suffix: "true"
                shadowgate.io/mirror-max-inflight: "100"
                shadowgate.io/mirror-timeout: "2s"
                shadowgate.io/mirror-max-body-bytes: "10485760"
                shadowgate.io/compare: "true"
                shadowgate.io/noise-samples-per-second: "2.5"
                shadowgate.io/noise-sample-methods: "get,post"
                other.io/ignored: "x"
                """));
        assertThat(r.diagnostics()).isEmpty();
        ForwardAction a = forward(route(r.snapshot(), "http://app/"));
        MirrorOptions o = a.mirrorOptions();
        assertThat(o.methods()).containsExactlyInAnyOrder("GET", "HEAD");
        assertThat(o.allowsMethod("POST")).isFalse();
        assertThat(o.stripHeaders()).containsExactlyInAnyOrder("authorization", "cookie");
        HeaderOps.Stage stage = o.copyHeaders().stages().get(0);
        assertThat(stage.remove()).containsExactly("x-a", "x-b");
        assertThat(stage.set()).extracting(HeaderOps.Entry::name).containsExactly("x-id", "x-shadow");
        assertThat(stage.set().get(0).value().render(SimpleRequest.builder().header("x-request-id", "r1").build()))
                .isEqualTo("r1");
        assertThat(o.sampleKey()).isEqualTo(new MirrorOptions.SampleKey("header", "x-user-id"));
        assertThat(o.shadowHostSuffix()).isTrue();
        assertThat(o.maxInFlight()).isEqualTo(100);
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.maxBufferedBytes()).isEqualTo(10485760L);
        assertThat(a.compare()).isTrue();
        assertThat(o.noiseSamplesPerSecond()).isEqualTo(2.5);
        assertThat(o.noiseSampleMethods()).containsExactlyInAnyOrder("GET", "POST");
        assertThat(o.allowsNoiseSample("POST")).isTrue();
        assertThat(o.allowsNoiseSample("HEAD")).isFalse();
    }

    @Test
    void noAnnotationsMeansDefaults() {
        ForwardAction a = forward(route(compile(vs("{}")).snapshot(), "http://app/"));
        assertThat(a.mirrorOptions()).isSameAs(MirrorOptions.DEFAULTS);
        assertThat(a.compare()).isNull();
        // Noise samples: only methods safe to repeat unless the route names others.
        assertThat(MirrorOptions.DEFAULTS.noiseSamplesPerSecond()).isNull();
        assertThat(MirrorOptions.DEFAULTS.allowsNoiseSample("GET")).isTrue();
        assertThat(MirrorOptions.DEFAULTS.allowsNoiseSample("OPTIONS")).isTrue();
        assertThat(MirrorOptions.DEFAULTS.allowsNoiseSample("POST")).isFalse();
        assertThat(MirrorOptions.DEFAULTS.allowsNoiseSample("DELETE")).isFalse();
    }

    @Test
    void badValuesAreErrorsNamingTheAnnotation() {
        CompileResult r = compile(vs("""
                shadowgate.io/mirror-sample-key: "body:x"
                shadowgate.io/shadow-host-suffix: "yes"
                shadowgate.io/mirror-max-inflight: "0"
                shadowgate.io/mirror-timeout: "2 seconds"
                shadowgate.io/mirror-max-body-bytes: "10MB"
                shadowgate.io/mirror-set-headers: "novalue"
                shadowgate.io/compare: "TRUE"
                shadowgate.io/noise-samples-per-second: "-1"
                shadowgate.io/noise-sample-methods: "GET,(bad)"
                """));
        assertThat(r.snapshot()).isNull();
        assertThat(r.errors()).allMatch(d -> d.code().equals("SG0008"));
        assertThat(r.errors()).extracting(Diagnostic::field).containsExactly(
                "metadata.annotations[\"shadowgate.io/mirror-set-headers\"]",
                "metadata.annotations[\"shadowgate.io/mirror-sample-key\"]",
                "metadata.annotations[\"shadowgate.io/shadow-host-suffix\"]",
                "metadata.annotations[\"shadowgate.io/mirror-max-inflight\"]",
                "metadata.annotations[\"shadowgate.io/mirror-timeout\"]",
                "metadata.annotations[\"shadowgate.io/mirror-max-body-bytes\"]",
                "metadata.annotations[\"shadowgate.io/compare\"]",
                "metadata.annotations[\"shadowgate.io/noise-samples-per-second\"]",
                "metadata.annotations[\"shadowgate.io/noise-sample-methods\"]");
        assertThat(r.errors().get(1).message()).startsWith("annotation shadowgate.io/mirror-sample-key: ");
        assertThat(r.errors().get(1).line()).isGreaterThan(0);
    }

    @Test
    void unknownAnnotationsWarnWithSuggestion() {
        CompileResult r = compile(vs("shadowgate.io/mirror-method: GET"));
        assertThat(r.errors()).isEmpty();
        assertThat(withCode(r.diagnostics(), "SG0009")).extracting(Diagnostic::message)
                .containsExactly("unknown annotation shadowgate.io/mirror-method (ignored); did you mean "
                        + "shadowgate.io/mirror-methods?");
    }

    @Test
    void compareIgnoreCarriesPointersAndHeadersInTheSnapshot() {
        CompileResult r = compile(vs("""
                shadowgate.io/compare-ignore: "/generatedAt, /items/*/price, header:X-Build-Id"
                """));
        assertThat(r.diagnostics()).isEmpty();
        var ignore = forward(route(r.snapshot(), "http://app/")).mirrorOptions().compareIgnore();
        assertThat(ignore.pointers()).containsExactly("/generatedAt", "/items/*/price");
        assertThat(ignore.headers()).containsExactly("x-build-id");
    }

    @Test
    void aBadCompareIgnoreEntryIsAnError() {
        CompileResult r = compile(vs("""
                shadowgate.io/compare-ignore: "generatedAt"
                """));
        assertThat(r.snapshot()).isNull();
        assertThat(withCode(r.diagnostics(), "SG0008")).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("shadowgate.io/compare-ignore")
                        .contains("\"generatedAt\"").contains("JSON pointer"));
    }
}

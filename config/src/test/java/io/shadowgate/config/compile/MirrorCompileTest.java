package io.shadowgate.config.compile;

import static io.shadowgate.config.compile.TestConfigs.compile;
import static io.shadowgate.config.compile.TestConfigs.forward;
import static io.shadowgate.config.compile.TestConfigs.route;
import static io.shadowgate.config.compile.TestConfigs.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.snapshot.MirrorPolicy;
import io.shadowgate.config.snapshot.RedirectAction;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MirrorCompileTest {

    static final String SERVICES = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: svc}
            spec:
              hosts: [app.default.svc.cluster.local, shadow.default.svc.cluster.local]
              ports: [{number: 80, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints: [{address: 10.0.0.1, labels: {version: v1}}, {address: 10.0.0.2, labels: {version: v2}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: shadow}
            spec:
              host: shadow
              subsets: [{name: v2, labels: {version: v2}}]
            ---
            """;

    private static String vs(String ruleExtra) {
        return SERVICES + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: app}
                spec:
                  hosts: [app]
                  http:
                  - route: [{destination: {host: app}}]
                """ + ruleExtra.indent(4);
    }

    private static List<MirrorPolicy> mirrors(String ruleExtra) {
        RoutingSnapshot s = snapshot(vs(ruleExtra));
        return forward(route(s, "http://app/")).mirrors();
    }

    @ParameterizedTest(name = "{0} -> {1}/{2}")
    @CsvSource(delimiter = '|', value = {
            "mirror: {host: shadow}                                                | 100     | 100",
            "mirror: {host: shadow}\\nmirrorPercentage: {value: 50}                 | 500000  | 1000000",
            "mirror: {host: shadow}\\nmirrorPercent: 50                             | 50      | 100",
            "mirror: {host: shadow}\\nmirrorPercentage: {value: 0.57}               | 5699    | 1000000",
            "mirror: {host: shadow}\\nmirrorPercentage: {value: 100}                | 1000000 | 1000000",
            "mirror: {host: shadow}\\nmirrorPercentage: {value: 0.00005}            | 0       | 1000000",
            "mirror: {host: shadow}\\nmirrorPercentage: {value: 10}\\nmirrorPercent: 90 | 100000 | 1000000",
    })
    void percentageTable(String extra, int numerator, int denominator) {
        List<MirrorPolicy> m = mirrors(extra.replace("\\n", "\n"));
        assertThat(m).hasSize(1);
        assertThat(m.get(0).numerator()).isEqualTo(numerator);
        assertThat(m.get(0).denominator()).isEqualTo(denominator);
        assertThat(m.get(0).cluster()).isEqualTo("outbound|80||shadow.default.svc.cluster.local");
        assertThat(m.get(0).host()).isEqualTo("shadow.default.svc.cluster.local");
        assertThat(m.get(0).port()).isEqualTo(80);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mirror: {host: shadow}\\nmirrorPercentage: {value: 0}",
            "mirror: {host: shadow}\\nmirrorPercentage: {}",
            "mirror: {host: shadow}\\nmirrorPercent: 0",
            "mirror: {host: shadow}\\nmirrorPercentage: {value: 0}\\nmirrorPercent: 50",
            "mirrorPercentage: {value: 50}",
    })
    void noPolicy(String extra) {
        CompileResult r = compile(vs(extra.replace("\\n", "\n")));
        assertThat(r.errors()).isEmpty();
        assertThat(forward(route(r.snapshot(), "http://app/")).mirrors()).isEmpty();
    }

    @Test
    void truncationMatchesGoUint32() {
        assertThat(RouteCompiler.perMillion(0.57)).isEqualTo(5699);
        assertThat(RouteCompiler.perMillion(1.13)).isEqualTo(11299);
        assertThat(RouteCompiler.perMillion(0.07)).isEqualTo(700);
        assertThat(RouteCompiler.perMillion(50)).isEqualTo(500000);
        assertThat(RouteCompiler.perMillion(0.0001)).isEqualTo(1);
        assertThat(RouteCompiler.perMillion(0.00005)).isEqualTo(0);
        assertThat(RouteCompiler.perMillion(100)).isEqualTo(1_000_000);
        assertThat(RouteCompiler.perMillion(-1)).isEqualTo(0);
    }

    @Test
    void mirrorsEachWithItsOwnPercentage() {
        List<MirrorPolicy> m = mirrors("""
                mirrors:
                - destination: {host: shadow, subset: v2}
                  percentage: {value: 10}
                - destination: {host: shadow}
                - destination: {host: shadow}
                  percentage: {value: 0}
                - destination: {host: app}
                  percentage: {value: 0.57}
                mirrorPercentage: {value: 1}
                """);
        assertThat(m).extracting(MirrorPolicy::cluster).containsExactly(
                "outbound|80|v2|shadow.default.svc.cluster.local", "outbound|80||shadow.default.svc.cluster.local",
                "outbound|80||app.default.svc.cluster.local");
        assertThat(m).extracting(MirrorPolicy::numerator).containsExactly(100000, 100, 5699);
        assertThat(m).extracting(MirrorPolicy::denominator).containsExactly(1000000, 100, 1000000);
        assertThat(m.get(0).subset()).isEqualTo("v2");
    }

    @Test
    void mirrorAndMirrorsTogetherIsAnError() {
        CompileResult r = compile(vs("mirror: {host: shadow}\nmirrors: [{destination: {host: shadow}}]"));
        assertThat(r.snapshot()).isNull();
        assertThat(r.errors()).extracting(Diagnostic::field).containsExactly("spec.http[0].mirrors");
    }

    @Test
    void outOfRangePercentagesAreErrors() {
        assertThat(compile(vs("mirror: {host: shadow}\nmirrorPercentage: {value: 100.5}")).errors())
                .extracting(Diagnostic::field).containsExactly("spec.http[0].mirrorPercentage.value");
        assertThat(compile(vs("mirror: {host: shadow}\nmirrorPercent: 101")).errors())
                .extracting(Diagnostic::field).containsExactly("spec.http[0].mirrorPercent");
        assertThat(compile(vs("mirrors: [{destination: {host: shadow}, percentage: {value: -1}}]")).errors())
                .extracting(Diagnostic::field).containsExactly("spec.http[0].mirrors[0].percentage.value");
    }

    @Test
    void unknownMirrorHostOrSubsetStillNamesAClusterAndWarns() {
        CompileResult r = compile(vs("mirrors: [{destination: {host: nowhere.example.com}}, "
                + "{destination: {host: shadow, subset: v9}}]"));
        assertThat(r.errors()).isEmpty();
        List<MirrorPolicy> m = forward(route(r.snapshot(), "http://app/")).mirrors();
        assertThat(m).extracting(MirrorPolicy::cluster).containsExactly("outbound|8080||nowhere.example.com",
                "outbound|80|v9|shadow.default.svc.cluster.local");
        assertThat(r.snapshot().cluster(m.get(0).cluster())).isNull();
        List<Diagnostic> w = TestConfigs.withCode(r.diagnostics(), "IST0101");
        assertThat(w).extracting(Diagnostic::field).containsExactly("spec.http[0].mirrors[0].destination.host",
                "spec.http[0].mirrors[1].destination.subset");
        assertThat(w.get(0).message()).contains("mirrored requests to it are dropped");
    }

    @Test
    void onlyForwardRoutesGetMirrors() {
        String yaml = SERVICES + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: app}
                spec:
                  hosts: [app]
                  http:
                  - match: [{uri: {prefix: /old}}]
                    redirect: {uri: /new}
                    mirror: {host: shadow}
                  - directResponse: {status: 503}
                    mirror: {host: shadow}
                """;
        RoutingSnapshot s = snapshot(yaml);
        RouteConfig r = route(s, "http://app/old");
        assertThat(r.action()).isInstanceOf(RedirectAction.class);
    }
}

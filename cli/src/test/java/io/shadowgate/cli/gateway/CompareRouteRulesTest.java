package io.shadowgate.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.compare.settings.CompareSettings;
import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.validate.ConfigCheck;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The {@code shadowgate.io/compare-ignore} annotation reaches the comparison's per-route settings and follows
 * reloads: added with the configuration, gone when the annotation is removed, without a restart.
 */
class CompareRouteRulesTest {

    private static RoutingSnapshot compile(String annotations) {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews}
                spec:
                  hosts: [reviews.default.svc.cluster.local]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: 9081}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {http: 9082}, labels: {version: v2}}
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
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                  annotations: {%s}
                spec:
                  hosts: [reviews]
                  http:
                  - name: primary
                    route: [{destination: {host: reviews, subset: v1}}]
                    mirror: {host: reviews, subset: v2}
                """.formatted(annotations);
        CompileResult r = ConfigCheck.check(new ConfigLoader().loadString("reviews.yaml", yaml),
                CompileOptions.defaults());
        assertThat(r.errors()).isEmpty();
        return r.snapshot();
    }

    @Test
    void ignoreRulesFollowTheServingSnapshot() {
        AtomicReference<RoutingSnapshot> serving = new AtomicReference<>(
                compile("shadowgate.io/compare-ignore: \"/price, header:x-build\""));
        CompareRouteRules rules = new CompareRouteRules();
        CompareSettings settings = CompareSettings.builder().routeOverrides(rules::overrides).build();
        rules.bind(serving::get, settings);

        // The route key as CompareBridge builds it: the rule's origin, then its name.
        var annotated = settings.settingsFor("default/reviews#0 primary").ignoreRules();
        assertThat(annotated.ignoresJson(List.of("price"))).isTrue();
        assertThat(annotated.ignoresJson(List.of("name"))).isFalse();
        assertThat(annotated.ignoresHeader("x-build")).isTrue();
        assertThat(annotated.ignoresHeader("date")).as("the global defaults stay").isTrue();

        // A reload without the annotation: the next comparison checks /price again.
        serving.set(compile(""));
        rules.refresh();
        var reloaded = settings.settingsFor("default/reviews#0 primary").ignoreRules();
        assertThat(reloaded.ignoresJson(List.of("price"))).isFalse();
        assertThat(reloaded.ignoresHeader("x-build")).isFalse();
    }
}

package io.shadowgate.config.compile;

import static io.shadowgate.config.compile.TestConfigs.compile;
import static io.shadowgate.config.compile.TestConfigs.forward;
import static io.shadowgate.config.compile.TestConfigs.route;
import static io.shadowgate.config.compile.TestConfigs.withCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.model.HTTPMatchRequest;
import io.shadowgate.config.model.StringMatch;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.SimpleRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DelegationTest {

    private static final String YAML = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: svcs, namespace: team}
            spec:
              hosts: [orders.team.svc.cluster.local, orders-v2.team.svc.cluster.local, shadow.front.svc.cluster.local]
              ports: [{number: 80, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints: [{address: 10.0.0.1}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: root
              namespace: front
              annotations: {shadowgate.io/compare: "true", shadowgate.io/mirror-methods: GET}
            spec:
              hosts: [shop.example.com]
              http:
              - name: orders
                match: [{uri: {prefix: /orders}}]
                timeout: 3s
                mirror: {host: shadow}
                mirrorPercentage: {value: 25}
                headers: {request: {set: {x-root: "1"}}}
                delegate: {name: orders, namespace: team}
              - match: [{uri: {prefix: /missing}}]
                delegate: {name: nope}
              - directResponse: {status: 404}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: orders
              namespace: team
              annotations: {shadowgate.io/compare: "false"}
            spec:
              http:
              - name: v2
                match: [{uri: {prefix: /orders/v2}, headers: {x-beta: {exact: "1"}}}]
                timeout: 1s
                route: [{destination: {host: orders-v2}}]
              - match: [{uri: {prefix: /elsewhere}}]
                route: [{destination: {host: orders}}]
              - route: [{destination: {host: orders}}]
            """;

    @Test
    void delegateRulesAreInlinedWithInheritanceAndMergedMatches() {
        CompileResult r = compile(YAML);
        assertThat(r.errors()).isEmpty();
        RoutingSnapshot s = r.snapshot();
        List<RouteConfig> routes = s.listener(8080).routes().virtualHosts().get(0).routes();
        // The /elsewhere rule conflicts with the root's /orders prefix and is skipped.
        assertThat(routes).extracting(RouteConfig::name).containsExactly("orders-v2", "orders", null);
        RouteConfig v2 = routes.get(0);
        assertThat(v2.origin().delegate()).isEqualTo("team/orders");
        assertThat(v2.origin().name()).isEqualTo("root");
        assertThat(v2.origin().httpIndex()).isEqualTo(0);
        assertThat(v2.matcher().describe()).isEqualTo("uri prefix \"/orders/v2\" and header x-beta exact \"1\"");
        ForwardAction a = forward(v2);
        assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(a.destinations().get(0).cluster()).isEqualTo("outbound|80||orders-v2.team.svc.cluster.local");
        // Inherited mirror, resolved in the root's namespace; inherited headers.
        assertThat(a.mirrors()).hasSize(1);
        assertThat(a.mirrors().get(0).cluster()).isEqualTo("outbound|80||shadow.front.svc.cluster.local");
        assertThat(a.mirrors().get(0).numerator()).isEqualTo(250000);
        assertThat(a.destinations().get(0).requestHeaders().stages().get(0).set()).extracting(e -> e.name())
                .containsExactly("x-root");
        // Annotations: the delegate's override the root's key by key.
        assertThat(a.compare()).isFalse();
        assertThat(a.mirrorOptions().methods()).containsExactly("GET");
        // The match-less delegate rule takes the root's match.
        RouteConfig rest = routes.get(1);
        assertThat(rest.matcher().describe()).isEqualTo("uri prefix \"/orders\"");
        assertThat(forward(rest).timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(forward(route(s, SimpleRequest.builder().authority("shop.example.com").path("/orders/1").build(),
                8080)).destinations().get(0).host()).isEqualTo("orders.team.svc.cluster.local");
        assertThat(withCode(r.diagnostics(), "IST0101")).extracting(Diagnostic::message)
                .anyMatch(m -> m.contains("front/nope not found"));
        assertThat(withCode(r.diagnostics(), "SG0014")).extracting(Diagnostic::name).containsExactly("orders");
    }

    @Test
    void conflictRules() {
        StringMatch prefix = new StringMatch(null, "/a", null);
        assertThat(Delegation.conflict(prefix, new StringMatch(null, "/a/b", null))).isFalse();
        assertThat(Delegation.conflict(prefix, new StringMatch(null, "/b", null))).isTrue();
        assertThat(Delegation.conflict(prefix, new StringMatch("/a/x", null, null))).isFalse();
        assertThat(Delegation.conflict(prefix, new StringMatch(null, null, "/a.*"))).isTrue();
        assertThat(Delegation.conflict(new StringMatch("/x", null, null), new StringMatch("/x", null, null))).isFalse();
        assertThat(Delegation.conflict(new StringMatch("/x", null, null), new StringMatch(null, "/x", null))).isTrue();
        assertThat(Delegation.conflict(null, prefix)).isFalse();
        HTTPMatchRequest root = new HTTPMatchRequest("r", prefix, null, null, null, Map.of("a", prefix), null, null,
                null, null, null, null, null, null);
        HTTPMatchRequest leaf = new HTTPMatchRequest("l", null, null, null, null, Map.of("b", prefix), null, null,
                null, 80L, null, null, null, null);
        HTTPMatchRequest merged = Delegation.mergeMatch(root, leaf);
        assertThat(merged.name()).isEqualTo("r-l");
        assertThat(merged.uri()).isEqualTo(prefix);
        assertThat(merged.headers()).containsOnlyKeys("a", "b");
        assertThat(merged.port()).isEqualTo(80L);
    }

    @Test
    void nestedDelegationIsAnError() {
        String yaml = YAML.replace("- route: [{destination: {host: orders}}]", "- delegate: {name: deeper}");
        CompileResult r = compile(yaml);
        assertThat(r.errors()).extracting(Diagnostic::message).anyMatch(m -> m.contains("cannot delegate again"));
    }
}

package io.shadowgate.config.compile;

import static io.shadowgate.config.compile.TestConfigs.compile;
import static io.shadowgate.config.compile.TestConfigs.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.model.ConnectionPoolSettings;
import io.shadowgate.config.model.LoadBalancerSettings;
import io.shadowgate.config.model.OutlierDetection;
import io.shadowgate.config.model.PortSelector;
import io.shadowgate.config.model.TrafficPolicy;
import io.shadowgate.config.snapshot.ClusterConfig;
import io.shadowgate.config.snapshot.ConnectionPoolConfig;
import io.shadowgate.config.snapshot.EndpointConfig;
import io.shadowgate.config.snapshot.LoadBalancerConfig;
import io.shadowgate.config.snapshot.OutlierConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterCompileTest {

    static final String LEGACY = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: legacy-svc, namespace: shop}
            spec:
              hosts: [legacy.example.internal]
              location: MESH_INTERNAL
              ports:
              - {number: 80, name: http, protocol: HTTP}
              - {number: 9090, name: admin, protocol: HTTP, targetPort: 19090}
              resolution: STATIC
              endpoints:
              - {address: 10.0.0.11, labels: {version: v1}}
              - {address: 10.0.0.12, labels: {version: v2, track: canary}, ports: {http: 8080}, weight: 3,
                 locality: eu/west/a}
            ---
            """;

    private static final String DR = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: legacy-svc, namespace: shop}
            spec:
              host: legacy.example.internal
              trafficPolicy:
                loadBalancer: {simple: ROUND_ROBIN}
                connectionPool:
                  tcp: {maxConnections: 100, connectTimeout: 2s}
                  http: {http1MaxPendingRequests: 10, maxRequestsPerConnection: 5, idleTimeout: 30s}
                outlierDetection: {consecutive5xxErrors: 3}
                portLevelSettings:
                - port: {number: 9090}
                  loadBalancer: {simple: RANDOM}
              subsets:
              - name: v1
                labels: {version: v1}
              - name: v2
                labels: {version: v2}
                trafficPolicy:
                  loadBalancer:
                    consistentHash: {httpHeaderName: X-User}
              - name: all
            """;

    @Test
    void clustersPerPortAndSubsetWithSelectedEndpoints() {
        RoutingSnapshot s = snapshot(LEGACY + DR);
        assertThat(s.clusters().keySet()).containsExactlyInAnyOrder(
                "outbound|80||legacy.example.internal", "outbound|80|v1|legacy.example.internal",
                "outbound|80|v2|legacy.example.internal", "outbound|80|all|legacy.example.internal",
                "outbound|9090||legacy.example.internal", "outbound|9090|v1|legacy.example.internal",
                "outbound|9090|v2|legacy.example.internal", "outbound|9090|all|legacy.example.internal");
        ClusterConfig all80 = s.cluster("outbound|80||legacy.example.internal");
        assertThat(all80.namespace()).isEqualTo("shop");
        assertThat(all80.portName()).isEqualTo("http");
        assertThat(all80.protocol()).isEqualTo("HTTP");
        assertThat(all80.resolution()).isEqualTo("STATIC");
        assertThat(all80.subset()).isNull();
        // Endpoint port: ports[name] > targetPort > service port.
        assertThat(all80.endpoints()).extracting(EndpointConfig::address, EndpointConfig::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.0.0.11", 80),
                        org.assertj.core.groups.Tuple.tuple("10.0.0.12", 8080));
        assertThat(s.cluster("outbound|9090||legacy.example.internal").endpoints()).extracting(EndpointConfig::port)
                .containsExactly(19090, 19090);
        EndpointConfig e = all80.endpoints().get(1);
        assertThat(e.weight()).isEqualTo(3);
        assertThat(e.locality()).isEqualTo("eu/west/a");
        assertThat(e.labels()).containsEntry("track", "canary");
        assertThat(e.source()).isEqualTo("ServiceEntry shop/legacy-svc");
        assertThat(all80.endpoints().get(0).weight()).isEqualTo(1);
        // Subset labels must be a subset of the endpoint labels; no labels select all.
        assertThat(s.cluster("outbound|80|v1|legacy.example.internal").endpoints()).extracting(EndpointConfig::address)
                .containsExactly("10.0.0.11");
        assertThat(s.cluster("outbound|80|v2|legacy.example.internal").endpoints()).extracting(EndpointConfig::address)
                .containsExactly("10.0.0.12");
        assertThat(s.cluster("outbound|80|all|legacy.example.internal").endpoints()).hasSize(2);
    }

    @Test
    void policiesMergeWithIstioPrecedence() {
        RoutingSnapshot s = snapshot(LEGACY + DR);
        ClusterConfig c80 = s.cluster("outbound|80||legacy.example.internal");
        assertThat(c80.loadBalancer()).isEqualTo(new LoadBalancerConfig("ROUND_ROBIN", null));
        assertThat(c80.connectionPool()).isEqualTo(new ConnectionPoolConfig(100, Duration.ofSeconds(2), 10,
                Integer.MAX_VALUE, 5, Integer.MAX_VALUE, Duration.ofSeconds(30)));
        assertThat(c80.outlier()).isEqualTo(new OutlierConfig(3, 0, Duration.ofSeconds(10), Duration.ofSeconds(30),
                10, 0));
        // The port-level entry replaces the rule level: unset fields fall back to defaults, not to the rule.
        ClusterConfig c9090 = s.cluster("outbound|9090||legacy.example.internal");
        assertThat(c9090.loadBalancer().simple()).isEqualTo("RANDOM");
        assertThat(c9090.connectionPool()).isEqualTo(ConnectionPoolConfig.DEFAULT);
        assertThat(c9090.outlier()).isNull();
        // The subset's loadBalancer replaces the rule's; its other fields keep the rule's.
        ClusterConfig v2 = s.cluster("outbound|80|v2|legacy.example.internal");
        assertThat(v2.loadBalancer().hash()).isEqualTo(new LoadBalancerConfig.HashPolicy("header", "x-user", null,
                null, false, 1024));
        assertThat(v2.connectionPool().maxConnections()).isEqualTo(100);
        assertThat(v2.outlier().consecutive5xx()).isEqualTo(3);
        // On port 9090 the subset policy (not port-level) overrides lb only; the rule's port entry gave the rest.
        ClusterConfig v2p = s.cluster("outbound|9090|v2|legacy.example.internal");
        assertThat(v2p.loadBalancer().hash()).isNotNull();
        assertThat(v2p.connectionPool()).isEqualTo(ConnectionPoolConfig.DEFAULT);
        ClusterConfig v1 = s.cluster("outbound|80|v1|legacy.example.internal");
        assertThat(v1.loadBalancer().simple()).isEqualTo("ROUND_ROBIN");
    }

    private static TrafficPolicy policy(String lb, Integer maxConn, Integer c5xx,
                                        List<TrafficPolicy.PortTrafficPolicy> ports) {
        return new TrafficPolicy(lb == null ? null : new LoadBalancerSettings(lb, null, null, null, null, null),
                maxConn == null ? null : new ConnectionPoolSettings(
                        new ConnectionPoolSettings.TCPSettings(maxConn, null, null, null, null), null),
                c5xx == null ? null : new OutlierDetection(null, null, null, c5xx, null, null, null, null, null),
                null, ports, null, null, null);
    }

    private static TrafficPolicy.PortTrafficPolicy port(long number, String lb, Integer maxConn) {
        return new TrafficPolicy.PortTrafficPolicy(new PortSelector(number),
                lb == null ? null : new LoadBalancerSettings(lb, null, null, null, null, null),
                maxConn == null ? null : new ConnectionPoolSettings(
                        new ConnectionPoolSettings.TCPSettings(maxConn, null, null, null, null), null), null, null);
    }

    @Test
    void mergePrecedenceSubsetPortThenSubsetThenRulePortThenRule() {
        TrafficPolicy rule = policy("ROUND_ROBIN", 10, 7, List.of(port(80, "RANDOM", null)));
        TrafficPolicy subset = policy(null, 20, null, List.of(port(81, "PASSTHROUGH", null)));
        // Port 80: rule-port replaces everything (pool/outlier gone), then subset sets the pool.
        DestinationRules.Effective e80 = DestinationRules.effective(rule, subset, 80);
        assertThat(e80.loadBalancer().simple()).isEqualTo("RANDOM");
        assertThat(e80.connectionPool().tcp().maxConnections()).isEqualTo(20);
        assertThat(e80.outlierDetection()).isNull();
        // Port 81: the subset's port entry matched: all four replaced, even with nulls.
        DestinationRules.Effective e81 = DestinationRules.effective(rule, subset, 81);
        assertThat(e81.loadBalancer().simple()).isEqualTo("PASSTHROUGH");
        assertThat(e81.connectionPool()).isNull();
        assertThat(e81.outlierDetection()).isNull();
        // Port 82: no port entries: rule, with the subset's non-null fields on top.
        DestinationRules.Effective e82 = DestinationRules.effective(rule, subset, 82);
        assertThat(e82.loadBalancer().simple()).isEqualTo("ROUND_ROBIN");
        assertThat(e82.connectionPool().tcp().maxConnections()).isEqualTo(20);
        assertThat(e82.outlierDetection().consecutive5xxErrors()).isEqualTo(7);
        assertThat(DestinationRules.effective(null, subset, 82).connectionPool().tcp().maxConnections()).isEqualTo(20);
        assertThat(DestinationRules.effective(rule, null, 80).loadBalancer().simple()).isEqualTo("RANDOM");
        assertThat(DestinationRules.effective(null, null, 80)).isNull();
    }

    @Test
    void defaultsAndLoadBalancerMapping() {
        assertThat(DestinationRules.loadBalancer(null)).isEqualTo(LoadBalancerConfig.DEFAULT);
        assertThat(DestinationRules.loadBalancer(new LoadBalancerSettings("LEAST_CONN", null, null, null, null, null)))
                .isEqualTo(LoadBalancerConfig.DEFAULT);
        assertThat(DestinationRules.loadBalancer(new LoadBalancerSettings("UNSPECIFIED", null, null, null, null, null))
                .simple()).isEqualTo("LEAST_REQUEST");
        assertThat(DestinationRules.connectionPool(null)).isEqualTo(ConnectionPoolConfig.DEFAULT);
        assertThat(DestinationRules.outlier(null)).isNull();
        assertThat(DestinationRules.outlier(new OutlierDetection(null, null, null, null, null, null, null, null, null)))
                .isEqualTo(new OutlierConfig(5, 0, Duration.ofSeconds(10), Duration.ofSeconds(30), 10, 0));
        assertThat(DestinationRules.outlier(new OutlierDetection(null, null, 2, 0, "5s", "1m", 50, 20, 9)))
                .isEqualTo(new OutlierConfig(9, 2, Duration.ofSeconds(5), Duration.ofMinutes(1), 50, 20));
    }

    @Test
    void consistentHashSources() {
        String yaml = LEGACY + """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: d, namespace: shop}
                spec:
                  host: legacy.example.internal
                  subsets:
                  - name: cookie
                    trafficPolicy:
                      loadBalancer:
                        consistentHash:
                          httpCookie: {name: session, path: /, ttl: 1h}
                          maglev: {tableSize: 1021}
                  - name: ip
                    trafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true}}}
                  - name: query
                    trafficPolicy: {loadBalancer: {consistentHash: {httpQueryParameterName: user, minimumRingSize: 64}}}
                """;
        CompileResult r = compile(yaml);
        assertThat(r.errors()).isEmpty();
        RoutingSnapshot s = r.snapshot();
        assertThat(s.cluster("outbound|80|cookie|legacy.example.internal").loadBalancer().hash()).isEqualTo(
                new LoadBalancerConfig.HashPolicy("cookie", "session", "/", Duration.ofHours(1), true, 1021));
        assertThat(s.cluster("outbound|80|ip|legacy.example.internal").loadBalancer().hash().source())
                .isEqualTo("sourceIp");
        assertThat(s.cluster("outbound|80|query|legacy.example.internal").loadBalancer().hash()).isEqualTo(
                new LoadBalancerConfig.HashPolicy("query", "user", null, null, false, 64));
        // minimumRingSize at that level is deprecated.
        assertThat(r.diagnostics()).extracting(Diagnostic::code).contains("SG0010");
    }

    @Test
    void severalRulesForOneHostAreMerged() {
        String yaml = LEGACY + """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: first, namespace: shop}
                spec:
                  host: legacy.example.internal
                  trafficPolicy: {loadBalancer: {simple: RANDOM}}
                  subsets: [{name: v1, labels: {version: v1}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: second, namespace: other}
                spec:
                  host: legacy.example.internal
                  trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
                  subsets: [{name: v1, labels: {version: v2}}, {name: v2, labels: {version: v2}}]
                """;
        CompileResult r = compile(yaml);
        RoutingSnapshot s = r.snapshot();
        assertThat(s.cluster("outbound|80||legacy.example.internal").loadBalancer().simple()).isEqualTo("RANDOM");
        assertThat(s.cluster("outbound|80|v1|legacy.example.internal").endpoints()).extracting(EndpointConfig::address)
                .containsExactly("10.0.0.11");
        assertThat(s.cluster("outbound|80|v2|legacy.example.internal")).isNotNull();
        assertThat(TestConfigs.withCode(r.diagnostics(), "SG0013")).extracting(Diagnostic::field)
                .containsExactly("spec.trafficPolicy", "spec.subsets[0].name");
    }

    @Test
    void workloadSelectorPicksWorkloadEntriesOfTheNamespace() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: details, namespace: vm}
                spec:
                  hosts: [details.vm.svc.cluster.local]
                  ports: [{number: 8080, name: http, protocol: HTTP, targetPort: 9080}]
                  resolution: STATIC
                  workloadSelector: {labels: {app: details}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: details-1, namespace: vm}
                spec: {address: 10.1.0.1, labels: {app: details, version: v1}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: details-2, namespace: vm}
                spec: {address: 10.1.0.2, labels: {app: details, version: v2}, ports: {http: 7070}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: details-3, namespace: elsewhere}
                spec: {address: 10.1.0.3, labels: {app: details}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: other, namespace: vm}
                spec: {address: 10.1.0.4, labels: {app: other}}
                """;
        RoutingSnapshot s = snapshot(yaml);
        List<EndpointConfig> eps = s.cluster("outbound|8080||details.vm.svc.cluster.local").endpoints();
        assertThat(eps).extracting(EndpointConfig::address).containsExactly("10.1.0.1", "10.1.0.2");
        assertThat(eps).extracting(EndpointConfig::port).containsExactly(9080, 7070);
        assertThat(eps.get(0).source()).isEqualTo("WorkloadEntry vm/details-1");
    }

    @Test
    void dnsResolutionWithoutEndpointsResolvesTheHost() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ext}
                spec:
                  hosts: [api.example.com, "*.wild.example.com"]
                  location: MESH_EXTERNAL
                  ports: [{number: 443, name: https, protocol: HTTPS}, {number: 80, name: http, protocol: HTTP, targetPort: 8080}]
                  resolution: DNS
                """;
        CompileResult r = compile(yaml);
        RoutingSnapshot s = r.snapshot();
        ClusterConfig c = s.cluster("outbound|80||api.example.com");
        assertThat(c.resolution()).isEqualTo("DNS");
        assertThat(c.endpoints()).extracting(EndpointConfig::address, EndpointConfig::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("api.example.com", 8080));
        assertThat(s.cluster("outbound|80||*.wild.example.com").endpoints()).isEmpty();
        assertThat(TestConfigs.withCode(r.diagnostics(), "SG0012")).isNotEmpty();
    }

    @Test
    void serviceEntryValidation() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: bad}
                spec:
                  hosts: [bad.example.com]
                  ports: [{number: 80, name: http, protocol: HTTP}, {number: 80, name: http2, protocol: HTTP}]
                  resolution: STATIC
                  endpoints: [{address: not-an-ip.example.com}, {address: 10.0.0.1, ports: {nope: 81}}]
                """;
        CompileResult r = compile(yaml);
        assertThat(r.snapshot()).isNull();
        assertThat(r.errors()).extracting(Diagnostic::field).containsExactly("spec.ports[1].number",
                "spec.endpoints[0].address", "spec.endpoints[1].ports");
    }

    @Test
    void invalidDestinationRuleValuesAreErrors() {
        String yaml = LEGACY + """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: d, namespace: shop}
                spec:
                  host: legacy.example.internal
                  trafficPolicy:
                    loadBalancer: {simple: FASTEST}
                    connectionPool: {tcp: {connectTimeout: 10 seconds}}
                    outlierDetection: {maxEjectionPercent: 150}
                  subsets: [{name: V1}, {name: a}, {name: a}]
                """;
        CompileResult r = compile(yaml);
        assertThat(r.errors()).extracting(Diagnostic::field).containsExactly(
                "spec.trafficPolicy.loadBalancer.simple", "spec.trafficPolicy.connectionPool.tcp.connectTimeout",
                "spec.trafficPolicy.outlierDetection.maxEjectionPercent", "spec.subsets[0].name",
                "spec.subsets[2].name");
    }
}

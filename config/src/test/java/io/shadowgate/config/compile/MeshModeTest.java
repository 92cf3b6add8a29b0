package io.shadowgate.config.compile;

import static io.shadowgate.config.compile.TestConfigs.forward;
import static io.shadowgate.config.compile.TestConfigs.route;
import static io.shadowgate.config.compile.TestConfigs.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.SimpleRequest;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import org.junit.jupiter.api.Test;

class MeshModeTest {

    private static final String YAML = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: a, namespace: apps}
            spec:
              hosts: [a.apps.svc.cluster.local]
              ports: [{number: 9000, name: http, protocol: HTTP}, {number: 8080, name: http-alt, protocol: HTTP}]
              resolution: STATIC
              endpoints: [{address: 10.0.0.1}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: b, namespace: apps}
            spec:
              hosts: [b.example.com]
              ports: [{number: 9000, name: http, protocol: HTTP}, {number: 9001, name: http2, protocol: HTTP2}]
              resolution: DNS
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: tcp, namespace: apps}
            spec:
              hosts: [db.example.com]
              ports: [{number: 5432, name: tcp, protocol: TCP}]
              resolution: DNS
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: claimed, namespace: apps}
            spec:
              hosts: [c.wild.example.com]
              ports: [{number: 80, name: http, protocol: HTTP}]
              resolution: DNS
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: wild, namespace: apps}
            spec:
              hosts: ["*.wild.example.com"]
              http: [{directResponse: {status: 200}}]
            """;

    @Test
    void defaultRoutesForUnclaimedServiceEntryHosts() {
        RoutingSnapshot s = snapshot(YAML);
        // a has the listener port 8080: that one is chosen.
        ForwardAction a = forward(route(s, "http://a.apps:8080/"));
        assertThat(a.destinations().get(0).cluster()).isEqualTo("outbound|8080||a.apps.svc.cluster.local");
        assertThat(a.retries()).isEqualTo(io.shadowgate.config.snapshot.RetryConfig.ISTIO_DEFAULT);
        RouteConfig r = route(s, "http://a/");
        assertThat(r.name()).isEqualTo("default");
        assertThat(r.origin().name()).isEqualTo("a");
        assertThat(r.origin().httpIndex()).isEqualTo(-1);
        // b has neither: its first port.
        assertThat(forward(route(s, "http://b.example.com/")).destinations().get(0).cluster())
                .isEqualTo("outbound|9000||b.example.com");
        // TCP-only services get no HTTP route; hosts claimed by a wildcard VirtualService keep the VirtualService.
        assertThat(route(s, "http://db.example.com/")).isNull();
        assertThat(route(s, "http://c.wild.example.com/").origin().name()).isEqualTo("wild");
        assertThat(s.listener(8080).routes().virtualHosts()).extracting(VirtualHostConfig::name)
                .containsExactly("*.wild.example.com:8080", "a.apps.svc.cluster.local:8080", "b.example.com:8080");
    }

    @Test
    void listenerAddressComesFromOptions() {
        RoutingSnapshot s = SnapshotCompiler.compile(TestConfigs.load(YAML), TestConfigs.OPTIONS.withListen("127.0.0.1",
                9000)).snapshot();
        assertThat(s.listener(9000).name()).isEqualTo("127.0.0.1_9000");
        assertThat(forward(s.listener(9000).routes().route(SimpleRequest.builder().authority("a").listenerPort(9000)
                .build())).destinations().get(0).cluster()).isEqualTo("outbound|9000||a.apps.svc.cluster.local");
    }
}

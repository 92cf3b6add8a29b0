package io.shadowgate.config.compile;

import static io.shadowgate.config.compile.TestConfigs.compile;
import static io.shadowgate.config.compile.TestConfigs.forward;
import static io.shadowgate.config.compile.TestConfigs.route;
import static io.shadowgate.config.compile.TestConfigs.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.HeaderOps;
import io.shadowgate.config.snapshot.SimpleRequest;
import io.shadowgate.config.snapshot.WeightedDestination;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderOpsCompileTest {

    /** Applies ops the way the proxy must: per stage, removals, then sets, then adds. */
    static Map<String, List<String>> apply(HeaderOps ops, Map<String, List<String>> headers) {
        Map<String, List<String>> h = new LinkedHashMap<>(headers);
        SimpleRequest r = SimpleRequest.builder().build();
        for (HeaderOps.Stage s : ops.stages()) {
            s.remove().forEach(h::remove);
            s.set().forEach(e -> h.put(e.name(), new ArrayList<>(List.of(e.value().render(r)))));
            s.add().forEach(e -> h.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e.value().render(r)));
        }
        return h;
    }

    private static String yaml(String route) {
        return MirrorCompileTest.SERVICES + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: app}
                spec:
                  hosts: [app]
                  http:
                """ + route.indent(2);
    }

    @Test
    void singleDestinationLetsTheDestinationSetWin() {
        ForwardAction a = forward(route(snapshot(yaml("""
                - headers:
                    request:
                      set: {X-Both: route, x-route: r}
                      add: {x-added: route}
                      remove: [x-dest-sets-it]
                    response:
                      set: {x-resp: route}
                  route:
                  - destination: {host: app}
                    headers:
                      request:
                        set: {x-both: dest, x-dest-sets-it: d}
                        add: {x-added: dest}
                        remove: [x-route]
                      response:
                        set: {x-resp: dest}
                """)), "http://app/"));
        WeightedDestination d = a.destinations().get(0);
        assertThat(d.requestHeaders().stages()).hasSize(2);
        // Envoy: all removals first, then route entries, then destination entries.
        assertThat(d.requestHeaders().stages().get(0).remove()).containsExactly("x-dest-sets-it", "x-route");
        Map<String, List<String>> out = apply(d.requestHeaders(), Map.of("x-route", List.of("old")));
        assertThat(out).containsEntry("x-both", List.of("dest"))
                .containsEntry("x-route", List.of("r"))
                .containsEntry("x-dest-sets-it", List.of("d"))
                .containsEntry("x-added", List.of("route", "dest"));
        assertThat(apply(d.responseHeaders(), Map.of())).containsEntry("x-resp", List.of("dest"));
    }

    @Test
    void weightedDestinationsLetTheRouteSetWin() {
        ForwardAction a = forward(route(snapshot(yaml("""
                - headers:
                    request:
                      set: {x-both: route}
                    response:
                      set: {x-resp: route}
                  route:
                  - destination: {host: app}
                    weight: 60
                    headers:
                      request: {set: {x-both: dest, x-only-dest: d}}
                      response: {set: {x-resp: dest}}
                  - destination: {host: shadow}
                    weight: 40
                """)), "http://app/"));
        assertThat(a.totalWeight()).isEqualTo(100);
        WeightedDestination d = a.destinations().get(0);
        Map<String, List<String>> out = apply(d.requestHeaders(), Map.of());
        assertThat(out).containsEntry("x-both", List.of("route")).containsEntry("x-only-dest", List.of("d"));
        assertThat(apply(d.responseHeaders(), Map.of())).containsEntry("x-resp", List.of("route"));
        assertThat(apply(a.destinations().get(1).requestHeaders(), Map.of())).containsOnlyKeys("x-both");
    }

    @Test
    void authorityOpsBecomeHostRewrites() {
        ForwardAction single = forward(route(snapshot(yaml("""
                - headers:
                    request:
                      add: {":authority": added.example.com}
                      set: {Host: set.example.com, ":path": /x}
                      remove: [host, x-gone]
                  route:
                  - destination: {host: app}
                    headers: {request: {set: {host: dest.example.com}}}
                """)), "http://app/"));
        WeightedDestination d = single.destinations().get(0);
        // set wins over add; the route-level authority wins over the destination's.
        assertThat(d.hostRewrite()).isEqualTo("set.example.com");
        HeaderOps.Stage first = d.requestHeaders().stages().get(0);
        assertThat(first.remove()).containsExactly("x-gone");
        assertThat(first.set()).isEmpty();
        assertThat(d.requestHeaders().stages()).hasSize(1);

        ForwardAction destOnly = forward(route(snapshot(yaml("""
                - route:
                  - destination: {host: app}
                    headers: {request: {set: {host: dest.example.com}}}
                """)), "http://app/"));
        assertThat(destOnly.destinations().get(0).hostRewrite()).isEqualTo("dest.example.com");

        ForwardAction weighted = forward(route(snapshot(yaml("""
                - rewrite: {authority: rw.example.com}
                  route:
                  - destination: {host: app}
                    weight: 1
                    headers: {request: {set: {host: dest.example.com}}}
                  - destination: {host: shadow}
                    weight: 1
                    headers: {request: {set: {host: other.example.com}}}
                """)), "http://app/"));
        assertThat(weighted.destinations()).extracting(WeightedDestination::hostRewrite)
                .containsExactly("rw.example.com", "rw.example.com");
        assertThat(weighted.rewrite().authority()).isEqualTo("rw.example.com");
    }

    @Test
    void authorityInTwoPlacesIsAnError() {
        CompileResult r = compile(yaml("""
                - rewrite: {authority: a.example.com}
                  headers: {request: {set: {host: b.example.com}}}
                  route: [{destination: {host: app}}]
                """));
        assertThat(r.errors()).extracting(Diagnostic::field).containsExactly("spec.http[0].rewrite.authority");
    }

    @Test
    void opsAreLowerCasedAndSorted() {
        ForwardAction a = forward(route(snapshot(yaml("""
                - headers:
                    request:
                      set: {X-B: "2", X-A: "1", x-c: "3"}
                  route: [{destination: {host: app}}]
                """)), "http://app/"));
        assertThat(a.destinations().get(0).requestHeaders().stages().get(0).set()).extracting(HeaderOps.Entry::name)
                .containsExactly("x-a", "x-b", "x-c");
    }

    @Test
    void formatStringsRenderPerRequestAndBadOnesAreErrors() {
        ForwardAction a = forward(route(snapshot(yaml("""
                - headers:
                    request:
                      set:
                        x-client: "%DOWNSTREAM_REMOTE_ADDRESS%"
                        x-ip: "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%"
                        x-echo: "id=%REQ(X-Request-Id)%; 100%%"
                        x-proto: "%PROTOCOL%"
                        x-start: "%START_TIME%"
                        x-start-s: "%START_TIME(%s.%3f)%"
                        x-alt: "%REQ(x-missing?:authority)%"
                        x-short: "%REQ(x-request-id):3%"
                  route: [{destination: {host: app}}]
                """)), "http://app/"));
        SimpleRequest r = SimpleRequest.builder().authority("app:80").remoteAddress("10.1.2.3").remotePort(5555)
                .header("x-request-id", "abc-123").startTimeMillis(1_700_000_000_123L).build();
        Map<String, String> v = new LinkedHashMap<>();
        a.destinations().get(0).requestHeaders().stages().get(0).set()
                .forEach(e -> v.put(e.name(), e.value().render(r)));
        assertThat(v).containsEntry("x-client", "10.1.2.3:5555").containsEntry("x-ip", "10.1.2.3")
                .containsEntry("x-echo", "id=abc-123; 100%").containsEntry("x-proto", "HTTP/1.1")
                .containsEntry("x-start", "2023-11-14T22:13:20.123Z").containsEntry("x-start-s", "1700000000.123")
                .containsEntry("x-alt", "app:80").containsEntry("x-short", "abc");
        assertThat(a.destinations().get(0).requestHeaders().stages().get(0).set()).filteredOn(e -> e.name()
                .equals("x-echo")).extracting(e -> e.value().source()).containsExactly("id=%REQ(X-Request-Id)%; 100%%");
        SimpleRequest v6 = SimpleRequest.builder().remoteAddress("::1").remotePort(80).build();
        assertThat(HeaderFormat.parse("%DOWNSTREAM_REMOTE_ADDRESS%").render(v6)).isEqualTo("[::1]:80");

        CompileResult bad = compile(yaml("""
                - headers:
                    request:
                      set: {x-a: "%UPSTREAM_METADATA(a)%", x-b: "50%", x-c: "%REQ%"}
                  route: [{destination: {host: app}}]
                """));
        assertThat(bad.errors()).extracting(Diagnostic::field).containsExactlyInAnyOrder(
                "spec.http[0].headers.request.set.x-a", "spec.http[0].headers.request.set.x-b",
                "spec.http[0].headers.request.set.x-c");
        assertThat(bad.errors()).extracting(Diagnostic::message).anyMatch(m -> m.contains("unsupported variable"))
                .anyMatch(m -> m.contains("unescaped %"));
    }
}

package io.shadowgate.config.compile;

import static io.shadowgate.config.compile.TestConfigs.compile;
import static io.shadowgate.config.compile.TestConfigs.forward;
import static io.shadowgate.config.compile.TestConfigs.route;
import static io.shadowgate.config.compile.TestConfigs.withCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.diagnostics.Severity;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.RedirectAction;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.SimpleRequest;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import org.junit.jupiter.api.Test;

class GatewayCompileTest {

    private static final String BASE = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: web, namespace: shop}
            spec:
              hosts: [web.shop.svc.cluster.local]
              ports: [{number: 8000, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints: [{address: 10.0.0.1}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: public, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["shop/*.example.com", "*/api.example.com"]
              - port: {number: 8081, name: http-alt, protocol: HTTP}
                bind: 127.0.0.1
                hosts: ["*"]
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: ["*"]
                tls: {mode: SIMPLE, credentialName: cert}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: local, namespace: shop}
            spec:
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["./local.example.com"]
              - port: {number: 8443, name: redirect, protocol: HTTP}
                hosts: ["*"]
                tls: {httpsRedirect: true}
            ---
            """;

    private static String vs(String ns, String name, String hosts, String gateways, String extra) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: %s, namespace: %s}
                spec:
                  hosts: %s
                  gateways: %s
                  http:
                  - route: [{destination: {host: web.shop.svc.cluster.local}}]
                %s---
                """.formatted(name, ns, hosts, gateways, extra);
    }

    @Test
    void listenersPerPortAndBinding() {
        CompileResult r = compile(BASE
                + vs("shop", "www", "[www.example.com, \"*.example.com\"]", "[istio-system/public]", "")
                + vs("shop", "local", "[local.example.com]", "[local]", "")
                + vs("other", "api", "[api.example.com, www.example.com]", "[istio-system/public]", "")
                + vs("shop", "wild", "[\"*\"]", "[istio-system/public, local]", ""));
        assertThat(r.errors()).isEmpty();
        RoutingSnapshot s = r.snapshot();
        assertThat(s.listeners()).extracting(ListenerConfig::port).containsExactly(80, 8081, 8443);
        ListenerConfig l80 = s.listener(80);
        assertThat(l80.name()).isEqualTo("0.0.0.0_80");
        assertThat(l80.gateways()).containsExactly("istio-system/public", "shop/local");
        assertThat(s.listener(8081).bindHost()).isEqualTo("127.0.0.1");
        // Virtual hosts are the intersections of VirtualService hosts and server hosts.
        // shop/www's "*.example.com" also intersects the server host api.example.com.
        assertThat(l80.routes().virtualHosts()).extracting(VirtualHostConfig::name).containsExactly(
                "www.example.com:80", "*.example.com:80", "api.example.com:80", "local.example.com:80");
        // other/api gets api.example.com (*/ allows any namespace), after shop/www's routes for it, but not
        // www.example.com, which the server only accepts from namespace shop.
        assertThat(l80.routes().virtualHosts().get(2).routes()).extracting(rc -> rc.origin().name())
                .containsExactly("www", "api", "wild");
        assertThat(origin(route(s, SimpleRequest.builder().authority("www.example.com").build(), 80)))
                .isEqualTo("shop/www");
        assertThat(origin(route(s, SimpleRequest.builder().authority("x.example.com").build(), 80)))
                .isEqualTo("shop/www");
        assertThat(origin(route(s, SimpleRequest.builder().authority("api.example.com:80").build(), 80)))
                .isEqualTo("shop/www");
        assertThat(origin(route(s, SimpleRequest.builder().authority("local.example.com").build(), 80)))
                .isEqualTo("shop/local");
        // "*" on a "*" server: a catch-all virtual host on port 8081.
        assertThat(origin(route(s, SimpleRequest.builder().authority("anything").build(), 8081)))
                .isEqualTo("shop/wild");
        // "*" intersects the server host *.example.com (not www.example.com, which no server lists): the
        // *.example.com virtual host merges both VirtualServices' routes in resource order.
        assertThat(l80.routes().virtualHosts().get(0).routes()).extracting(rc -> rc.origin().name())
                .containsExactly("www");
        assertThat(l80.routes().virtualHosts().get(1).routes()).extracting(rc -> rc.origin().name())
                .containsExactly("www", "wild");
        assertThat(forward(route(s, SimpleRequest.builder().authority("www.example.com").build(), 80))
                .destinations().get(0).cluster()).isEqualTo("outbound|8000||web.shop.svc.cluster.local");
        // HTTPS is not served, and a warning names the port (validate --strict fails on it).
        assertThat(r.diagnostics()).anySatisfy(d -> {
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.code()).isEqualTo("SG0012");
            assertThat(d.message()).startsWith("port 443 (HTTPS) is not served: TLS termination is not supported yet");
        });
        assertThat(s.listener(443)).isNull();
    }

    @Test
    void httpsRedirectServersRedirectEverything() {
        RoutingSnapshot s = compile(BASE + vs("shop", "local", "[local.example.com]", "[local]", "")).snapshot();
        RouteConfig rc = route(s, SimpleRequest.builder().authority("local.example.com").path("/a?b").build(), 8443);
        RedirectAction a = (RedirectAction) rc.action();
        assertThat(a.location(SimpleRequest.builder().url("http://local.example.com:8443/a?b").build()))
                .isEqualTo("https://local.example.com/a?b");
        assertThat(rc.origin().name()).isEqualTo("local");
    }

    @Test
    void missingGatewaysAndUnmatchedHostsAreReported() {
        String strict = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: strict, namespace: shop}
                spec:
                  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [strict.example.com]}]
                ---
                """;
        CompileResult r = compile(BASE + strict
                + vs("shop", "ghost", "[www.example.com]", "[istio-system/nope]", "")
                + vs("shop", "nomatch", "[other.org]", "[strict]", "")
                + vs("shop", "meshonly", "[www.example.com]", "[mesh]", ""));
        assertThat(withCode(r.diagnostics(), "IST0101")).extracting(Diagnostic::name).containsExactly("ghost");
        assertThat(withCode(r.diagnostics(), "IST0132")).extracting(Diagnostic::name).containsExactly("nomatch");
        assertThat(r.diagnostics()).anyMatch(d -> "meshonly".equals(d.name()) && d.code().equals("SG0012"));
    }

    @Test
    void matchGatewaysSelectPerGateway() {
        String yaml = BASE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: both, namespace: shop}
                spec:
                  hosts: ["*"]
                  gateways: [istio-system/public, local]
                  http:
                  - match: [{gateways: [local], uri: {prefix: /}}]
                    directResponse: {status: 418}
                  - match: [{sourceLabels: {istio: ingressgateway}}]
                    directResponse: {status: 200}
                  - route: [{destination: {host: web}}]
                """;
        RoutingSnapshot s = compile(yaml).snapshot();
        // Port 8081 only has public: the local-only match is skipped; sourceLabels match public's selector.
        RouteConfig r8081 = route(s, SimpleRequest.builder().authority("x").build(), 8081);
        assertThat(((io.shadowgate.config.snapshot.DirectResponseAction) r8081.action()).status()).isEqualTo(200);
    }

    @Test
    void errorsInBlocksForOtherGatewaysAreStillReported() {
        String yaml = BASE + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: v, namespace: shop}
                spec:
                  hosts: ["*"]
                  gateways: [local]
                  http:
                  - match: [{gateways: [elsewhere], uri: {regex: "("}}]
                    route: [{destination: {host: web}}]
                """;
        assertThat(compile(yaml).errors()).extracting(Diagnostic::field)
                .containsExactly("spec.http[0].match[0].uri.regex");
    }

    @Test
    void gatewayNameResolution() {
        assertThat(Listeners.resolveGatewayName("gw", "ns")).isEqualTo("ns/gw");
        assertThat(Listeners.resolveGatewayName("./gw", "ns")).isEqualTo("ns/gw");
        assertThat(Listeners.resolveGatewayName("other/gw", "ns")).isEqualTo("other/gw");
        assertThat(Listeners.resolveGatewayName("gw.other.svc.cluster.local", "ns")).isEqualTo("other/gw");
        assertThat(Listeners.resolveGatewayName("mesh", "ns")).isEqualTo("mesh");
    }

    @Test
    void hostIntersection() {
        assertThat(Listeners.serverHostIntersection("*", "a.example.com", "ns", "gw")).isEqualTo("a.example.com");
        assertThat(Listeners.serverHostIntersection("*.example.com", "*", "ns", "gw")).isEqualTo("*.example.com");
        assertThat(Listeners.serverHostIntersection("*.com", "*.example.com", "ns", "gw")).isEqualTo("*.example.com");
        assertThat(Listeners.serverHostIntersection("*.example.com", "example.com", "ns", "gw")).isNull();
        assertThat(Listeners.serverHostIntersection("ns/a.example.com", "a.example.com", "ns", "gw"))
                .isEqualTo("a.example.com");
        assertThat(Listeners.serverHostIntersection("other/a.example.com", "a.example.com", "ns", "gw")).isNull();
        assertThat(Listeners.serverHostIntersection("./a.example.com", "a.example.com", "gw", "gw"))
                .isEqualTo("a.example.com");
    }

    private static String origin(RouteConfig r) {
        assertThat(r).isNotNull();
        return r.origin().namespace() + "/" + r.origin().name();
    }

    @Test
    void aGatewayWithOnlyTlsServersListensOnNothingAndIsAnError() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: tls-only}
                spec:
                  servers:
                  - port: {number: 443, name: https, protocol: HTTPS}
                    hosts: ["*"]
                    tls: {mode: SIMPLE, credentialName: cert}
                """;
        CompileResult r = SnapshotCompiler.compile(new ConfigLoader().loadString("gw.yaml", yaml),
                CompileOptions.defaults());
        assertThat(r.snapshot()).isNull();
        assertThat(r.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("SG0015");
            assertThat(d.field()).isEqualTo("spec.servers");
            assertThat(d.message()).contains("443 (HTTPS)").contains("listen on no port");
        });
    }
}

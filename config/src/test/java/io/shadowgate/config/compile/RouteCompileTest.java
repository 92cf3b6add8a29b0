package io.shadowgate.config.compile;

import static io.shadowgate.config.compile.TestConfigs.compile;
import static io.shadowgate.config.compile.TestConfigs.forward;
import static io.shadowgate.config.compile.TestConfigs.route;
import static io.shadowgate.config.compile.TestConfigs.snapshot;
import static io.shadowgate.config.compile.TestConfigs.withCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.diagnostics.Diagnostic;
import io.shadowgate.config.snapshot.CorsConfig;
import io.shadowgate.config.snapshot.DirectResponseAction;
import io.shadowgate.config.snapshot.FaultConfig;
import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.ListenerConfig;
import io.shadowgate.config.snapshot.RedirectAction;
import io.shadowgate.config.snapshot.RetryConfig;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.SimpleRequest;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import io.shadowgate.config.snapshot.WeightedDestination;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteCompileTest {

    private static final String SERVICES = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: reviews}
            spec:
              hosts: [reviews.default.svc.cluster.local]
              ports: [{number: 9080, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints: [{address: 10.0.0.1, labels: {version: v1}}, {address: 10.0.0.2, labels: {version: v2}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: multi}
            spec:
              hosts: [multi.default.svc.cluster.local]
              ports: [{number: 8080, name: http, protocol: HTTP}, {number: 9090, name: grpc, protocol: GRPC}]
              resolution: STATIC
              endpoints: [{address: 10.0.1.1}]
            ---
            """;

    private static String vs(String http) {
        return SERVICES + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                """ + http.indent(2);
    }

    @Test
    void meshListenerAndShortDomains() {
        RoutingSnapshot s = snapshot(vs("- route: [{destination: {host: reviews, subset: v1}}]"));
        assertThat(s.version()).startsWith("sha256:").hasSize(19);
        assertThat(s.compiledAt()).isEqualTo(TestConfigs.OPTIONS.clock().instant());
        assertThat(s.sources()).containsExactly("test.yaml");
        ListenerConfig l = s.listener(8080);
        assertThat(l.name()).isEqualTo("0.0.0.0_8080");
        assertThat(l.bindHost()).isEqualTo("0.0.0.0");
        assertThat(l.gateways()).isEmpty();
        VirtualHostConfig vh = l.routes().virtualHosts().get(0);
        assertThat(vh.name()).isEqualTo("reviews.default.svc.cluster.local:8080");
        assertThat(vh.domains()).containsExactly("reviews.default.svc.cluster.local", "reviews", "reviews.default",
                "reviews.default.svc");
        for (String host : List.of("reviews", "reviews:9080", "reviews.default", "reviews.default.svc",
                "reviews.default.svc.cluster.local:80")) {
            assertThat(route(s, "http://" + host + "/x")).as(host).isNotNull();
        }
        ForwardAction a = forward(route(s, "http://reviews/"));
        WeightedDestination d = a.destinations().get(0);
        assertThat(d.cluster()).isEqualTo("outbound|9080|v1|reviews.default.svc.cluster.local");
        assertThat(d.port()).isEqualTo(9080);
        assertThat(d.subset()).isEqualTo("v1");
        assertThat(a.totalWeight()).isEqualTo(1);
        assertThat(a.timeout()).isEqualTo(Duration.ZERO);
        assertThat(a.retries()).isEqualTo(RetryConfig.ISTIO_DEFAULT);
        assertThat(a.fault()).isNull();
        assertThat(a.rewrite()).isNull();
        assertThat(a.compare()).isNull();
        // multi has no VirtualService: Istio's default route to the unsubsetted cluster of the listener port.
        ForwardAction def = forward(route(s, "http://multi:8080/"));
        assertThat(def.destinations().get(0).cluster()).isEqualTo("outbound|8080||multi.default.svc.cluster.local");
    }

    @Test
    void portSelection() {
        CompileResult r = compile(vs("""
                - match: [{uri: {prefix: /explicit}}]
                  route: [{destination: {host: multi, port: {number: 9090}}}]
                - match: [{uri: {prefix: /single}}]
                  route: [{destination: {host: reviews}}]
                - route: [{destination: {host: multi}}]
                """));
        RoutingSnapshot s = r.snapshot();
        assertThat(forward(route(s, "http://reviews/explicit")).destinations().get(0).cluster())
                .isEqualTo("outbound|9090||multi.default.svc.cluster.local");
        assertThat(forward(route(s, "http://reviews/single")).destinations().get(0).cluster())
                .isEqualTo("outbound|9080||reviews.default.svc.cluster.local");
        // Several ports and none chosen: the listener port.
        assertThat(forward(route(s, "http://reviews/other")).destinations().get(0).cluster())
                .isEqualTo("outbound|8080||multi.default.svc.cluster.local");
        assertThat(withCode(r.diagnostics(), "IST0112")).extracting(Diagnostic::field)
                .containsExactly("spec.http[2].route[0].destination");
    }

    @Test
    void unknownHostsAndSubsetsNameMissingClusters() {
        CompileResult r = compile(vs("""
                - match: [{uri: {prefix: /a}}]
                  route: [{destination: {host: ratings}}]
                - match: [{uri: {prefix: /b}}]
                  route: [{destination: {host: reviews, subset: v9}}]
                - route: [{destination: {host: reviews, port: {number: 1234}}}]
                """));
        assertThat(r.errors()).isEmpty();
        RoutingSnapshot s = r.snapshot();
        String c = forward(route(s, "http://reviews/a")).destinations().get(0).cluster();
        assertThat(c).isEqualTo("outbound|8080||ratings.default.svc.cluster.local");
        assertThat(s.cluster(c)).isNull();
        assertThat(forward(route(s, "http://reviews/b")).destinations().get(0).cluster())
                .isEqualTo("outbound|9080|v9|reviews.default.svc.cluster.local");
        List<Diagnostic> w = withCode(r.diagnostics(), "IST0101");
        assertThat(w).extracting(Diagnostic::field).containsExactly("spec.http[0].route[0].destination.host",
                "spec.http[1].route[0].destination.subset", "spec.http[2].route[0].destination.port");
        assertThat(w.get(0).message()).contains("503 (NC)");
        assertThat(w.get(1).message()).contains("subset v9");
    }

    @Test
    void shortNameHintWhenServiceEntryUsesTheShortName() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: s}
                spec:
                  hosts: [legacy]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: DNS
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: v}
                spec:
                  hosts: [front.example.com]
                  http: [{route: [{destination: {host: legacy}}]}]
                """;
        CompileResult r = compile(yaml);
        assertThat(withCode(r.diagnostics(), "IST0101").get(0).message())
                .contains("ServiceEntry hosts are taken literally");
    }

    @Test
    void weights() {
        RoutingSnapshot s = snapshot(vs("""
                - match: [{headers: {x: {exact: three}}}]
                  route:
                  - {destination: {host: reviews, subset: v1}, weight: 70}
                  - {destination: {host: reviews, subset: v2}, weight: 0}
                  - {destination: {host: reviews}, weight: 10}
                - match: [{headers: {x: {exact: one}}}]
                  route:
                  - {destination: {host: reviews, subset: v1}, weight: 0}
                  - {destination: {host: reviews, subset: v2}, weight: 5}
                - route:
                  - {destination: {host: reviews, subset: v2}, weight: 0}
                """));
        ForwardAction three = forward(route(s, SimpleRequest.builder().authority("reviews").header("x", "three")
                .build(), 8080));
        assertThat(three.destinations()).extracting(WeightedDestination::weight).containsExactly(70, 10);
        assertThat(three.totalWeight()).isEqualTo(80);
        assertThat(three.pick(69).subset()).isEqualTo("v1");
        assertThat(three.pick(70).subset()).isNull();
        ForwardAction one = forward(route(s, SimpleRequest.builder().authority("reviews").header("x", "one")
                .build(), 8080));
        assertThat(one.destinations()).extracting(WeightedDestination::subset).containsExactly("v2");
        assertThat(one.totalWeight()).isEqualTo(1);
        // A single destination takes everything whatever its weight.
        assertThat(forward(route(s, "http://reviews/")).destinations()).extracting(WeightedDestination::subset)
                .containsExactly("v2");

        CompileResult bad = compile(vs("""
                - route:
                  - {destination: {host: reviews, subset: v1}, weight: 0}
                  - {destination: {host: reviews, subset: v2}}
                - route: [{destination: {host: reviews}, weight: -1}]
                """));
        assertThat(bad.errors()).extracting(Diagnostic::field).containsExactly("spec.http[0].route",
                "spec.http[1].route[0].weight");
    }

    @Test
    void routesPerMatchBlockInOrderWithNamesAndCatchAllTruncation() {
        String yaml = vs("""
                - name: api
                  match:
                  - {name: v1, uri: {prefix: /v1}}
                  - uri: {exact: /v2}
                  route: [{destination: {host: reviews, subset: v1}}]
                - match: [{name: rest, uri: {prefix: /}}]
                  route: [{destination: {host: reviews, subset: v2}}]
                - route: [{destination: {host: reviews}}]
                """);
        CompileResult r = compile(yaml);
        List<RouteConfig> routes = r.snapshot().listener(8080).routes().virtualHosts().get(0).routes();
        assertThat(routes).extracting(RouteConfig::name).containsExactly("api.v1", "api", "rest");
        assertThat(routes).extracting(rc -> rc.origin().matchIndex()).containsExactly(0, 1, 0);
        assertThat(routes).extracting(rc -> rc.origin().httpIndex()).containsExactly(0, 0, 1);
        assertThat(routes.get(0).origin().key()).isEqualTo("default/reviews#0");
        assertThat(routes.get(0).origin().file()).isEqualTo("test.yaml");
        assertThat(routes.get(0).origin().line())
                .isEqualTo(List.of(yaml.split("\n")).indexOf("  - name: api") + 1);
        assertThat(routes.get(0).matcher().describe()).isEqualTo("uri prefix \"/v1\"");
        List<Diagnostic> w = withCode(r.diagnostics(), "IST0130");
        assertThat(w).extracting(Diagnostic::field).containsExactly("spec.http[2]");
    }

    @Test
    void matchPortGatewaysAndSourceSelectorsApplyAtCompileTime() {
        CompileResult r = compile(vs("""
                - match: [{uri: {prefix: /p}, port: 9999}]
                  route: [{destination: {host: reviews, subset: v1}}]
                - match: [{uri: {prefix: /p}, gateways: [some-gateway]}]
                  route: [{destination: {host: reviews, subset: v1}}]
                - match: [{uri: {prefix: /p}, sourceLabels: {app: client}}]
                  route: [{destination: {host: reviews, subset: v1}}]
                - match: [{uri: {prefix: /p}, port: 8080, gateways: [mesh]}]
                  route: [{destination: {host: reviews, subset: v2}}]
                """));
        assertThat(forward(route(r.snapshot(), "http://reviews/p")).destinations().get(0).subset()).isEqualTo("v2");
        assertThat(withCode(r.diagnostics(), "SG0012")).extracting(Diagnostic::field)
                .contains("spec.http[2].match[0].sourceLabels");
    }

    @Test
    void matchConditionsCompileToMatchers() {
        RoutingSnapshot s = snapshot(vs("""
                - match:
                  - uri: {regex: "/api/v[0-9]+/.*"}
                    method: {exact: POST}
                    headers:
                      x-user: {exact: jason}
                      x-present: {}
                      x-star: {regex: "*"}
                      "@request.auth.claims.group": {exact: admin}
                    withoutHeaders:
                      x-debug: {}
                    queryParams:
                      v: {regex: "\\\\d+"}
                  route: [{destination: {host: reviews, subset: v1}}]
                - match:
                  - uri: {prefix: /Case}
                    ignoreUriCase: true
                    authority: {prefix: reviews}
                    scheme: {exact: http}
                    queryParams: {flag: {exact: ""}}
                  route: [{destination: {host: reviews, subset: v2}}]
                """));
        RouteConfig first = s.listener(8080).routes().virtualHosts().get(0).routes().get(0);
        assertThat(first.matcher().describe()).isEqualTo("uri regex \"/api/v[0-9]+/.*\" and method exact \"POST\" and "
                + "never (JWT claim @request.auth.claims.group) and header x-present present and header x-star present "
                + "and header x-user exact \"jason\" and header x-debug absent and query v regex \"\\\\d+\"");
        RouteConfig second = s.listener(8080).routes().virtualHosts().get(0).routes().get(1);
        assertThat(second.matcher().matches(SimpleRequest.builder().authority("reviews:9080").path("/case/x?flag")
                .build())).isTrue();
        assertThat(second.matcher().matches(SimpleRequest.builder().authority("reviews").path("/case/x?flag=1")
                .build())).isFalse();
        assertThat(second.matcher().mismatch(SimpleRequest.builder().authority("other").path("/case?flag").build()))
                .isEqualTo("authority prefix \"reviews\" (request: \"other\")");
    }

    @Test
    void invalidRegexesAreErrors() {
        CompileResult r = compile(vs("""
                - match: [{uri: {regex: "(unclosed"}}, {headers: {x: {prefix: ""}}}]
                  route: [{destination: {host: reviews}}]
                """));
        assertThat(r.errors()).extracting(Diagnostic::field).containsExactly("spec.http[0].match[0].uri.regex",
                "spec.http[0].match[1].headers.x.prefix");
    }

    @Test
    void rewrites() {
        RoutingSnapshot s = snapshot(vs("""
                - match: [{uri: {prefix: /v1/}}]
                  rewrite: {uri: /api/, authority: backend.internal}
                  route: [{destination: {host: reviews}}]
                - match: [{uri: {exact: /login}}]
                  rewrite: {uri: /auth/login}
                  route: [{destination: {host: reviews}}]
                - match: [{uri: {regex: "/svc/([^/]+)/(.*)"}}]
                  rewrite: {uriRegexRewrite: {match: "^/svc/([^/]+)/(.*)$", rewrite: "/\\\\2/\\\\1$"}}
                  route: [{destination: {host: reviews}}]
                - match: [{uri: {regex: "/whole/.*"}}]
                  rewrite: {uri: /replaced}
                  route: [{destination: {host: reviews}}]
                - rewrite: {uri: /root/}
                  route: [{destination: {host: reviews}}]
                """));
        ForwardAction a = forward(route(s, "http://reviews/v1/users?x=1"));
        assertThat(a.rewrite().rewritePath("/v1/users?x=1")).isEqualTo("/api/users?x=1");
        assertThat(a.rewrite().authority()).isEqualTo("backend.internal");
        assertThat(a.destinations().get(0).hostRewrite()).isEqualTo("backend.internal");
        assertThat(forward(route(s, "http://reviews/login?next=/")).rewrite().rewritePath("/login?next=/"))
                .isEqualTo("/auth/login?next=/");
        ForwardAction regex = forward(route(s, "http://reviews/svc/foo/bar/baz"));
        assertThat(regex.rewrite().regexReplacement()).isEqualTo("/$2/$1\\$");
        assertThat(regex.rewrite().rewritePath("/svc/foo/bar/baz?q")).isEqualTo("/bar/baz/foo$?q");
        assertThat(forward(route(s, "http://reviews/whole/x")).rewrite().rewritePath("/whole/x?y"))
                .isEqualTo("/replaced?y");
        assertThat(forward(route(s, "http://reviews/other")).rewrite().rewritePath("/other")).isEqualTo("/root/other");
        assertThat(RouteCompiler.replacement("a\\1b$c\\\\d")).isEqualTo("a$1b\\$c\\\\d");
    }

    @Test
    void redirects() {
        CompileResult r = compile(vs("""
                - match: [{uri: {prefix: /old/}}]
                  redirect: {prefixRewrite: /new/, authority: new.example.com}
                  headers: {response: {set: {x-moved: "yes"}}}
                - match: [{uri: {prefix: /port}}]
                  redirect: {uri: /p, derivePort: FROM_REQUEST_PORT, redirectCode: 308}
                - match: [{uri: {prefix: /unsupported}}]
                  redirect: {uri: /x, redirectCode: 306}
                - route: [{destination: {host: reviews}}]
                """));
        assertThat(r.errors()).isEmpty();
        RoutingSnapshot s = r.snapshot();
        RedirectAction a = (RedirectAction) route(s, "http://reviews/old/page").action();
        assertThat(a.code()).isEqualTo(301);
        assertThat(a.matchedPrefix()).isEqualTo("/old/");
        assertThat(a.location(SimpleRequest.builder().url("http://reviews/old/page?q=1").build()))
                .isEqualTo("http://new.example.com/new/page?q=1");
        assertThat(a.headers().stages().get(0).set()).extracting(e -> e.name()).containsExactly("x-moved");
        RedirectAction p = (RedirectAction) route(s, "http://reviews/port").action();
        assertThat(p.code()).isEqualTo(308);
        assertThat(p.port()).isEqualTo(8080);
        assertThat(p.location(SimpleRequest.builder().url("http://reviews/port").build()))
                .isEqualTo("http://reviews:8080/p");
        // Code 306 is not supported by istiod: the route is dropped and the request falls through.
        assertThat(route(s, "http://reviews/unsupported").action()).isInstanceOf(ForwardAction.class);
        assertThat(withCode(r.diagnostics(), "SG0014")).extracting(Diagnostic::message)
                .anyMatch(m -> m.startsWith("Redirect Code 306 is not yet supported"));
        assertThat(compile(vs("- redirect: {uri: /x, redirectCode: 200}")).errors()).hasSize(1);
        assertThat(compile(vs("- redirect: {uri: /x}\n  route: [{destination: {host: reviews}}]")).errors())
                .extracting(Diagnostic::field).containsExactly("spec.http[0].redirect");
    }

    @Test
    void directResponses() {
        RoutingSnapshot s = snapshot(vs("""
                - match: [{uri: {prefix: /text}}]
                  directResponse: {status: 503, body: {string: "down for maintenance"}}
                - match: [{uri: {prefix: /bytes}}]
                  directResponse: {status: 200, body: {bytes: aGVsbG8=}}
                - directResponse: {status: 204}
                """));
        DirectResponseAction t = (DirectResponseAction) route(s, "http://reviews/text").action();
        assertThat(t.status()).isEqualTo(503);
        assertThat(new String(t.body(), StandardCharsets.UTF_8)).isEqualTo("down for maintenance");
        assertThat(new String(((DirectResponseAction) route(s, "http://reviews/bytes").action()).body(),
                StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(((DirectResponseAction) route(s, "http://reviews/x").action()).body()).isEmpty();
        assertThat(compile(vs("- directResponse: {status: 700}")).errors()).hasSize(1);
        assertThat(compile(vs("- directResponse: {status: 200, body: {bytes: \"***\"}}")).errors()).hasSize(1);
    }

    @Test
    void timeoutsRetriesFaults() {
        CompileResult r = compile(vs("""
                - match: [{uri: {prefix: /a}}]
                  timeout: 1.5s
                  retries: {attempts: 3, perTryTimeout: 500ms, retryOn: "5xx,503,gateway-error,429", backoff: 0.1s}
                  fault:
                    delay: {fixedDelay: 2s, percentage: {value: 0.57}}
                    abort: {httpStatus: 503, percentage: {value: 10}}
                  route: [{destination: {host: reviews}}]
                - match: [{uri: {prefix: /b}}]
                  retries: {attempts: 0}
                  fault: {delay: {fixedDelay: 1s, percent: 5}, abort: {grpcStatus: UNAVAILABLE}}
                  route: [{destination: {host: reviews}}]
                - match: [{uri: {prefix: /c}}]
                  retries: {attempts: 2, retryIgnorePreviousHosts: false, retryRemoteLocalities: true}
                  route: [{destination: {host: reviews}}]
                """));
        assertThat(r.errors()).isEmpty();
        RoutingSnapshot s = r.snapshot();
        ForwardAction a = forward(route(s, "http://reviews/a"));
        assertThat(a.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(a.retries()).isEqualTo(new RetryConfig(3, Duration.ofMillis(500),
                Set.of("5xx", "gateway-error", "retriable-status-codes"), Set.of(503, 429), false, true,
                Duration.ofMillis(100)));
        assertThat(a.fault()).isEqualTo(new FaultConfig(Duration.ofSeconds(2), 5699, 503, null, 100000));
        ForwardAction b = forward(route(s, "http://reviews/b"));
        assertThat(b.retries()).isEqualTo(RetryConfig.NONE);
        assertThat(b.fault()).isEqualTo(new FaultConfig(Duration.ofSeconds(1), 50000, 0, "UNAVAILABLE", 0));
        ForwardAction c = forward(route(s, "http://reviews/c"));
        assertThat(c.retries().retryOn()).isEqualTo(RetryConfig.ISTIO_DEFAULT.retryOn());
        assertThat(c.retries().ignorePreviousHosts()).isFalse();
        assertThat(c.retries().retryRemoteLocalities()).isTrue();

        CompileResult bad = compile(vs("""
                - timeout: ten seconds
                  retries: {attempts: 0, retryOn: 5xx}
                  fault: {abort: {httpStatus: 503, percentage: {value: 101}}}
                  route: [{destination: {host: reviews}}]
                """));
        assertThat(bad.errors()).extracting(Diagnostic::field).containsExactly("spec.http[0].timeout",
                "spec.http[0].retries.attempts", "spec.http[0].fault.abort.percentage.value");
        assertThat(bad.errors().get(0).code()).isEqualTo("SG0007");
    }

    @Test
    void cors() {
        RoutingSnapshot s = snapshot(vs("""
                - corsPolicy:
                    allowOrigins: [{exact: "https://a.example.com"}, {regex: "https://.*\\\\.b\\\\.com"}]
                    allowMethods: [GET, POST]
                    allowHeaders: [x-a, x-b]
                    exposeHeaders: [x-c]
                    maxAge: 24h
                    allowCredentials: true
                    unmatchedPreflights: IGNORE
                  route: [{destination: {host: reviews}}]
                """));
        CorsConfig c = route(s, "http://reviews/").cors();
        assertThat(c.allowOrigins()).hasSize(2);
        assertThat(c.allowOrigins().get(1).matches("https://x.b.com")).isTrue();
        assertThat(c.allowMethods()).isEqualTo("GET,POST");
        assertThat(c.allowHeaders()).isEqualTo("x-a,x-b");
        assertThat(c.exposeHeaders()).isEqualTo("x-c");
        assertThat(c.maxAgeSeconds()).isEqualTo(86400);
        assertThat(c.allowCredentials()).isTrue();
        assertThat(c.forwardUnmatchedPreflights()).isFalse();
        CorsConfig legacy = route(snapshot(vs("""
                - corsPolicy: {allowOrigin: ["https://old.example.com"]}
                  route: [{destination: {host: reviews}}]
                """)), "http://reviews/").cors();
        assertThat(legacy.allowOrigins().get(0).matches("https://old.example.com")).isTrue();
        assertThat(legacy.maxAgeSeconds()).isEqualTo(-1);
        assertThat(legacy.forwardUnmatchedPreflights()).isTrue();
    }

    @Test
    void severalVirtualServicesForOneHostAreMergedInOrder() {
        String yaml = vs("""
                - match: [{uri: {prefix: /a}}]
                  route: [{destination: {host: reviews, subset: v1}}]
                """) + """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews-b}
                spec:
                  hosts: [reviews.default.svc.cluster.local]
                  http:
                  - route: [{destination: {host: reviews, subset: v2}}]
                """;
        RoutingSnapshot s = snapshot(yaml);
        assertThat(s.listener(8080).routes().virtualHosts()).hasSize(2);
        VirtualHostConfig vh = s.listener(8080).routes().virtualHosts().get(0);
        assertThat(vh.routes()).extracting(rc -> rc.origin().name()).containsExactly("reviews", "reviews-b");
        assertThat(forward(route(s, "http://reviews/a")).destinations().get(0).subset()).isEqualTo("v1");
        assertThat(forward(route(s, "http://reviews/b")).destinations().get(0).subset()).isEqualTo("v2");
    }

    @Test
    void virtualServicesBoundOnlyToGatewaysAreNotServedInMeshMode() {
        String yaml = SERVICES + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: gw-only}
                spec:
                  hosts: [www.example.com]
                  gateways: [public]
                  http: [{route: [{destination: {host: reviews}}]}]
                """;
        CompileResult r = compile(yaml);
        assertThat(route(r.snapshot(), "http://www.example.com/")).isNull();
        assertThat(withCode(r.diagnostics(), "SG0012")).isNotEmpty();
    }

    @Test
    void duplicateResourcesKeepTheLastDefinition() {
        String yaml = vs("- route: [{destination: {host: reviews, subset: v1}}]") + "---\n"
                + vs("- route: [{destination: {host: reviews, subset: v2}}]").substring(SERVICES.length());
        CompileResult r = compile(yaml);
        assertThat(forward(route(r.snapshot(), "http://reviews/")).destinations().get(0).subset()).isEqualTo("v2");
        assertThat(withCode(r.diagnostics(), "SG0013")).hasSize(1);
    }
}

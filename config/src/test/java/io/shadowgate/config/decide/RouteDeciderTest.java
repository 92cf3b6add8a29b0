package io.shadowgate.config.decide;

import static io.shadowgate.config.compile.TestConfigs.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.config.snapshot.ForwardAction;
import io.shadowgate.config.snapshot.MirrorOptions;
import io.shadowgate.config.snapshot.MirrorPolicy;
import io.shadowgate.config.snapshot.RedirectAction;
import io.shadowgate.config.snapshot.RequestView;
import io.shadowgate.config.snapshot.RouteConfig;
import io.shadowgate.config.snapshot.RoutingSnapshot;
import io.shadowgate.config.snapshot.SimpleRequest;
import io.shadowgate.config.snapshot.VirtualHostConfig;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link RouteDecider#decide} without sockets: route, trace, weighted pick, hash key and mirror sampling. */
class RouteDeciderTest {

    private static final String SERVICES = """
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
            metadata: {name: app}
            spec:
              host: app
              subsets:
              - {name: v1, labels: {version: v1}}
              - name: v2
                labels: {version: v2}
                trafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: sticky, path: /, ttl: 1h}}}}
              - name: h
                labels: {version: v1}
                trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: X-User}}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: shadow}
            spec:
              host: shadow
              subsets: [{name: v2, labels: {version: v2}}]
            ---
            """;

    /** Four rules: a prefix (two match blocks), a header match, a redirect and a weighted catch-all with mirrors. */
    private static final RoutingSnapshot ROUTES = snapshot(SERVICES + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: app
              annotations:
                shadowgate.io/mirror-methods: "GET"
            spec:
              hosts: [app]
              http:
              - name: api
                match: [{uri: {prefix: /api}}, {uri: {prefix: /v1/api}}]
                route: [{destination: {host: app, subset: h}}]
              - name: jason
                match: [{headers: {x-user: {exact: jason}}}]
                route: [{destination: {host: app, subset: v2}}]
              - match: [{uri: {exact: /old}}]
                redirect: {uri: /new}
              - route:
                - {destination: {host: app, subset: v1}, weight: 90}
                - {destination: {host: app, subset: v2}, weight: 10}
                mirrors:
                - {destination: {host: shadow, subset: v2}, percentage: {value: 10}}
                - {destination: {host: shadow, subset: v2}, percentage: {value: 20}}
                - {destination: {host: shadow}, percentage: {value: 0.57}}
            """);

    private static SimpleRequest.Builder get(String path) {
        return SimpleRequest.builder().authority("app").path(path);
    }

    @Test
    void theFirstMatchInTableOrderAndATraceOfWhyEachEarlierRouteFailed() {
        DecisionTrace trace = new DecisionTrace();
        RouteDecision d = RouteDecider.decide(ROUTES, get("/shop/cart").build(), 5, trace);

        assertThat(d.outcome()).isEqualTo(RouteDecision.Outcome.FORWARD);
        assertThat(d.listener().port()).isEqualTo(8080);
        assertThat(d.virtualHost().domains()).contains("app.default.svc.cluster.local");
        List<RouteConfig> routes = d.virtualHost().routes();
        assertThat(d.route()).isSameAs(routes.get(4));
        assertThat(d.action()).isSameAs(d.forward()).isSameAs(routes.get(4).action());
        assertThat(trace.routes()).extracting(DecisionTrace.RouteStep::index).containsExactly(0, 1, 2, 3, 4);
        assertThat(trace.routes()).extracting(DecisionTrace.RouteStep::mismatch).containsExactly(
                "uri prefix \"/api\" (request path \"/shop/cart\")",
                "uri prefix \"/v1/api\" (request path \"/shop/cart\")",
                "header x-user exact \"jason\" (request: absent)",
                "uri exact \"/old\" (request path \"/shop/cart\")",
                null);
        // The route index never evaluates the two /api routes for /shop/cart: their prefix rules them out.
        assertThat(trace.routes()).extracting(DecisionTrace.RouteStep::indexCandidate)
                .containsExactly(false, false, true, false, true);
        assertThat(trace.routes().get(4).matched()).isTrue();
    }

    @Test
    void theTraceStopsAtTheMatchAndTheDecisionIsTheSameWithoutIt() {
        SimpleRequest jason = get("/api/x").header("x-user", "jason").build();
        DecisionTrace trace = new DecisionTrace();
        RouteDecision traced = RouteDecider.decide(ROUTES, jason, 77, trace);
        RouteDecision plain = RouteDecider.decide(ROUTES, jason, 77, null);
        assertThat(traced).isEqualTo(plain);
        assertThat(traced.route().name()).isEqualTo("api");
        assertThat(trace.routes()).hasSize(1);
        assertThat(trace.routes().get(0).matched()).isTrue();
        assertThat(trace.routes().get(0).indexCandidate()).isTrue();
    }

    @Test
    void redirectAndMissesAreOutcomesWithoutDestinationOrMirrors() {
        RouteDecision redirect = RouteDecider.decide(ROUTES, get("/old").build(), 1, null);
        assertThat(redirect.outcome()).isEqualTo(RouteDecision.Outcome.REDIRECT);
        assertThat(redirect.action()).isInstanceOf(RedirectAction.class);
        assertThat(redirect.forward()).isNull();
        assertThat(redirect.destination()).isNull();
        assertThat(redirect.hashKey()).isNull();
        assertThat(redirect.mirrors()).isSameAs(MirrorSampling.NONE);

        DecisionTrace trace = new DecisionTrace();
        RouteDecision noHost = RouteDecider.decide(ROUTES, get("/").authority("elsewhere").build(), 1, trace);
        assertThat(noHost.outcome()).isEqualTo(RouteDecision.Outcome.NO_VIRTUAL_HOST);
        assertThat(noHost.listener()).isNotNull();
        assertThat(trace.routes()).isEmpty();

        RouteDecision noListener = RouteDecider.decide(ROUTES, get("/").listenerPort(9).build(), 1, null);
        assertThat(noListener.outcome()).isEqualTo(RouteDecision.Outcome.NO_LISTENER);
        assertThat(noListener.route()).isNull();

        RoutingSnapshot onlyApi = snapshot(SERVICES + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: app}
                spec:
                  hosts: [app]
                  http:
                  - match: [{uri: {prefix: /api}}, {method: {exact: POST}}]
                    route: [{destination: {host: app}}]
                """);
        DecisionTrace all = new DecisionTrace();
        RouteDecision noRoute = RouteDecider.decide(onlyApi, get("/shop").build(), 1, all);
        assertThat(noRoute.outcome()).isEqualTo(RouteDecision.Outcome.NO_ROUTE);
        assertThat(noRoute.virtualHost()).isNotNull();
        assertThat(all.routes()).extracting(DecisionTrace.RouteStep::mismatch)
                .containsExactly("uri prefix \"/api\" (request path \"/shop\")",
                        "method exact \"POST\" (request: \"GET\")");
    }

    @Test
    void theWeightedPickIsTheRandomValueModuloTheTotalWeightUnsigned() {
        ForwardAction f = RouteDecider.decide(ROUTES, get("/").build(), 0, null).forward();
        assertThat(f.totalWeight()).isEqualTo(100);
        long[] randoms = {0, 89, 90, 99, 100, 189, 190, -1L, Long.MIN_VALUE};
        // unsigned: 2^64-1 % 100 = 15 -> v1; 2^63 % 100 = 8 -> v1
        String[] expected = {"v1", "v1", "v2", "v2", "v1", "v1", "v2", "v1", "v1"};
        for (int i = 0; i < randoms.length; i++) {
            RouteDecision d = RouteDecider.decide(ROUTES, get("/").build(), randoms[i], null);
            assertThat(d.random()).isEqualTo(randoms[i]);
            assertThat(d.destination().subset()).as("random %d", randoms[i]).isEqualTo(expected[i]);
            assertThat(d.destination()).isSameAs(f.pick(randoms[i]));
        }
    }

    @Test
    void hashKeysFollowTheDestinationClustersPolicy() {
        RouteDecision header = RouteDecider.decide(ROUTES, get("/api").header("x-user", "ann").build(), 3, null);
        assertThat(header.destination().subset()).isEqualTo("h");
        assertThat(header.hashKey()).isEqualTo(new HashKey("ann", Hashing.hash64("ann"), null));
        assertThat(RouteDecider.decide(ROUTES, get("/api").build(), 3, null).hashKey()).as("no header").isNull();

        // Cookie with a ttl and no cookie: generated from the connection, set on the response.
        SimpleRequest noCookie = get("/").header("x-user", "jason").remoteAddress("10.1.2.3").remotePort(4567).build();
        HashKey generated = RouteDecider.decide(ROUTES, noCookie, 3, null).hashKey();
        String value = String.format("%016x", Hashing.hash64("10.1.2.3:4567|8080"));
        assertThat(generated).isEqualTo(new HashKey(value, Hashing.hash64(value),
                "sticky=\"" + value + "\"; Max-Age=3600; Path=/; HttpOnly"));
        SimpleRequest withCookie = get("/").header("x-user", "jason").cookie("sticky", "abc").build();
        assertThat(RouteDecider.decide(ROUTES, withCookie, 3, null).hashKey())
                .isEqualTo(new HashKey("abc", Hashing.hash64("abc"), null));

        // v1 (least request): no hash key.
        assertThat(RouteDecider.decide(ROUTES, get("/").build(), 0, null).hashKey()).isNull();
    }

    @Test
    void mirrorsNestFromOneRandomValue() {
        // percentage 10, 20, 0.57 = 100000, 200000, 5699 (truncated) per million: a value sampled at 10% is sampled
        // at 20%.
        assertThat(sampledPercents(RouteDecider.decide(ROUTES, get("/").build(), 5, null)))
                .containsExactly(10.0, 20.0, 0.5699);
        assertThat(sampledPercents(RouteDecider.decide(ROUTES, get("/").build(), 150_000, null)))
                .containsExactly(20.0);
        assertThat(sampledPercents(RouteDecider.decide(ROUTES, get("/").build(), 200_000, null))).isEmpty();
        MirrorSampling post = RouteDecider.decide(ROUTES, get("/").method("POST").build(), 5, null).mirrors();
        assertThat(post.methodAllowed()).isFalse();
        assertThat(post.sampled()).hasSize(3);
        assertThat(post.sampled()).noneMatch(post::mirrors);
    }

    /**
     * The sampling the proxy's {@code MirrorDispatcher.start} did before the decision existed (value: the random
     * value, or the hash of the sample key when present; a policy starts when sampled and the method is allowed, and
     * is skipped with {@code skipped_method} when sampled and not), kept here as the oracle: over random values,
     * methods and keys the decision gives the same starts and skips in the same order.
     */
    @Test
    void samplingEquivalentToTheProxysFormerSampling() {
        RoutingSnapshot keyed = snapshot(SERVICES + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: app
                  annotations:
                    shadowgate.io/mirror-sample-key: "header:X-User-Id"
                    shadowgate.io/mirror-methods: "GET,HEAD"
                spec:
                  hosts: [app]
                  http:
                  - route: [{destination: {host: app, subset: v1}}]
                    mirrors:
                    - {destination: {host: shadow, subset: v2}, percentage: {value: 33.3333}}
                    - {destination: {host: shadow}, percentage: {value: 50}}
                    - {destination: {host: shadow, subset: v2}}
                """);
        Random r = new Random(12);
        String[] methods = {"GET", "HEAD", "POST"};
        int started = 0;
        for (RoutingSnapshot s : List.of(ROUTES, keyed)) {
            for (int i = 0; i < 20_000; i++) {
                SimpleRequest.Builder b = get("/").method(methods[r.nextInt(3)]);
                if (r.nextBoolean()) {
                    b.header("x-user-id", "user-" + r.nextInt(1000));
                }
                SimpleRequest request = b.build();
                long random = r.nextLong();
                RouteDecision d = RouteDecider.decide(s, request, random, null);
                List<String> now = new ArrayList<>();
                for (MirrorPolicy p : d.mirrors().sampled()) {
                    now.add((d.mirrors().methodAllowed() ? "start " : "skipped_method ") + p.cluster());
                }
                List<String> before = formerDispatcher(d.forward(), request, random);
                assertThat(now).as("request %d %s random %d", i, request, random).isEqualTo(before);
                started += (int) now.stream().filter(x -> x.startsWith("start")).count();
            }
        }
        assertThat(started).as("some mirrors start").isGreaterThan(10_000);
    }

    @Test
    void aSampleKeyDecidesInsteadOfTheRandomValue() {
        RoutingSnapshot keyed = snapshot(SERVICES + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: app
                  annotations: {shadowgate.io/mirror-sample-key: "cookie:uid"}
                spec:
                  hosts: [app]
                  http:
                  - route: [{destination: {host: app, subset: v1}}]
                    mirror: {host: shadow}
                    mirrorPercentage: {value: 50}
                """);
        SimpleRequest ann = get("/").cookie("uid", "ann").build();
        MirrorSampling first = RouteDecider.decide(keyed, ann, 1, null).mirrors();
        assertThat(first.value()).isEqualTo(Hashing.hash64("ann"));
        assertThat(first.sampleKey()).isEqualTo(new MirrorOptions.SampleKey("cookie", "uid"));
        for (long random = 0; random < 200; random++) {
            assertThat(RouteDecider.decide(keyed, ann, random, null).mirrors().sampled())
                    .isEqualTo(first.sampled());
        }
        MirrorSampling anonymous = RouteDecider.decide(keyed, get("/").build(), 42, null).mirrors();
        assertThat(anonymous.sampleKey()).isNull();
        assertThat(anonymous.value()).isEqualTo(42);
        assertThat(anonymous.sampled()).hasSize(1); // 42 % 1e6 < 500000
    }

    @Test
    void theTraceAgreesWithALinearScanOnRandomRequests() {
        Random r = new Random(3);
        String[] paths = {"/", "/api", "/API/x", "/v1/api/y", "/old", "/old?x", "/shop", "/v1"};
        for (int i = 0; i < 2_000; i++) {
            SimpleRequest.Builder b = get(paths[r.nextInt(paths.length)]);
            if (r.nextBoolean()) {
                b.header("x-user", r.nextBoolean() ? "jason" : "ann");
            }
            SimpleRequest request = b.build();
            DecisionTrace trace = new DecisionTrace();
            RouteDecision d = RouteDecider.decide(ROUTES, request, r.nextLong(), trace);
            VirtualHostConfig vh = d.virtualHost();
            int first = -1;
            for (int k = 0; k < vh.routes().size() && first < 0; k++) {
                if (vh.routes().get(k).matcher().matches(request)) {
                    first = k;
                }
            }
            assertThat(d.route()).as("%s", request).isSameAs(first < 0 ? null : vh.routes().get(first));
            assertThat(trace.routes()).hasSize(first < 0 ? vh.routes().size() : first + 1);
            for (DecisionTrace.RouteStep step : trace.routes()) {
                assertThat(step.mismatch()).isEqualTo(step.route().matcher().mismatch(request));
            }
            // Every route that matches is one the index evaluates (else the index could lose it).
            BitSet candidates = d.listener().routes().indexCandidates(request);
            for (int k = 0; k < vh.routes().size(); k++) {
                if (vh.routes().get(k).matcher().matches(request)) {
                    assertThat(candidates.get(k)).as("route %d for %s", k, request).isTrue();
                }
            }
        }
    }

    private static List<Double> sampledPercents(RouteDecision d) {
        return d.mirrors().sampled().stream().filter(d.mirrors()::mirrors).map(MirrorPolicy::percent).toList();
    }

    /** The former {@code MirrorDispatcher.start} sampling loop, verbatim but for the side effects (the oracle). */
    private static List<String> formerDispatcher(ForwardAction forward, RequestView view, long random) {
        MirrorOptions mo = forward.mirrorOptions() == null ? MirrorOptions.DEFAULTS : forward.mirrorOptions();
        long value = random;
        if (mo.sampleKey() != null) {
            String key = mo.sampleKey().valueIn(view);
            if (key != null) {
                value = Hashing.hash64(key);
            }
        }
        List<String> out = new ArrayList<>();
        for (MirrorPolicy policy : forward.mirrors()) {
            if (!policy.sampled(value)) {
                continue;
            }
            if (!mo.allowsMethod(view.method())) {
                out.add("skipped_method " + policy.cluster());
                continue;
            }
            out.add("start " + policy.cluster());
        }
        return out;
    }
}

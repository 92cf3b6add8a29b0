package io.shadowgate.config.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-request behaviour of the contract types, as the proxy sees it. */
class SnapshotContractTest {

    private static VirtualHostConfig vh(String name, String... domains) {
        return new VirtualHostConfig(name, List.of(domains), List.of());
    }

    @Test
    void hostSelectionPrefersExactThenLongestSuffixThenPrefixThenCatchAll() {
        RouteTable t = new RouteTable(List.of(vh("star", "*"), vh("wild", "*.example.com"),
                vh("deeper", "*.api.example.com"), vh("exact", "www.example.com"), vh("pre", "foo.*")));
        assertThat(t.selectVirtualHost("www.example.com").name()).isEqualTo("exact");
        assertThat(t.selectVirtualHost("WWW.Example.com:8080").name()).as("case and port").isEqualTo("exact");
        assertThat(t.selectVirtualHost("a.example.com").name()).isEqualTo("wild");
        assertThat(t.selectVirtualHost("v1.api.example.com").name()).isEqualTo("deeper");
        assertThat(t.selectVirtualHost("example.com").name()).as("wildcard needs a label").isEqualTo("star");
        assertThat(t.selectVirtualHost("foo.bar").name()).isEqualTo("pre");
        assertThat(t.selectVirtualHost("other:81").name()).isEqualTo("star");
        assertThat(t.selectVirtualHost("[::1]:80").name()).isEqualTo("star");
        RouteTable noStar = new RouteTable(List.of(vh("exact", "www.example.com")));
        assertThat(noStar.selectVirtualHost("nope")).isNull();
        // The first virtual host to claim a domain keeps it.
        RouteTable dup = new RouteTable(List.of(vh("first", "a"), vh("second", "a")));
        assertThat(dup.selectVirtualHost("a").name()).isEqualTo("first");
    }

    private static WeightedDestination wd(String cluster, int weight) {
        return new WeightedDestination(cluster, "h", null, 80, weight, HeaderOps.NONE, HeaderOps.NONE, null);
    }

    @Test
    void weightedPickUsesRandomModuloTotalOverIntervals() {
        ForwardAction a = new ForwardAction(List.of(wd("a", 25), wd("b", 70), wd("c", 5)), 100, null, Duration.ZERO,
                RetryConfig.ISTIO_DEFAULT, null, List.of(), MirrorOptions.DEFAULTS, null);
        assertThat(a.pick(0).cluster()).isEqualTo("a");
        assertThat(a.pick(24).cluster()).isEqualTo("a");
        assertThat(a.pick(25).cluster()).isEqualTo("b");
        assertThat(a.pick(94).cluster()).isEqualTo("b");
        assertThat(a.pick(95).cluster()).isEqualTo("c");
        assertThat(a.pick(99).cluster()).isEqualTo("c");
        assertThat(a.pick(100).cluster()).isEqualTo("a");
        assertThat(a.pick(1_000_000_095L).cluster()).isEqualTo("c");
        // The random value is unsigned: -1 is 2^64-1, and 2^64-1 % 100 = 15.
        assertThat(a.pick(-1).cluster()).isEqualTo("a");
        int[] counts = new int[3];
        for (long r = 0; r < 1000; r++) {
            counts[a.pick(r).cluster().charAt(0) - 'a']++;
        }
        assertThat(counts).containsExactly(250, 700, 50);
        // Weights need not add up to 100.
        ForwardAction b = new ForwardAction(List.of(wd("a", 1), wd("b", 2)), 3, null, Duration.ZERO,
                RetryConfig.ISTIO_DEFAULT, null, List.of(), MirrorOptions.DEFAULTS, null);
        assertThat(List.of(b.pick(0), b.pick(1), b.pick(2), b.pick(3))).extracting(WeightedDestination::cluster)
                .containsExactly("a", "b", "b", "a");
    }

    @Test
    void mirrorSamplingSharesTheRandomValue() {
        MirrorPolicy ten = new MirrorPolicy("m", "h", null, 80, 100_000, 1_000_000);
        MirrorPolicy twenty = new MirrorPolicy("m", "h", null, 80, 200_000, 1_000_000);
        for (long r = 0; r < 10_000; r++) {
            if (ten.sampled(r)) {
                assertThat(twenty.sampled(r)).isTrue();
            }
        }
        assertThat(new MirrorPolicy("m", "h", null, 80, 5699, 1_000_000).percent()).isEqualTo(0.5699);
    }

    private static RedirectAction redirect(String uri, String prefixRewrite, String matched, String authority, int port,
                                           String derive, String scheme, int code) {
        return new RedirectAction(uri, prefixRewrite, matched, authority, port, derive, scheme, code, HeaderOps.NONE);
    }

    @Test
    void redirectLocation() {
        SimpleRequest r = SimpleRequest.builder().url("http://shop.example.com:8080/old/page?x=1").listenerPort(8080)
                .build();
        assertThat(redirect("/new", null, null, null, 0, null, null, 301).location(r))
                .isEqualTo("http://shop.example.com:8080/new?x=1");
        assertThat(redirect(null, null, null, "other.example.com", 0, null, null, 301).location(r))
                .isEqualTo("http://other.example.com/old/page?x=1");
        assertThat(redirect(null, null, null, null, 0, null, "https", 301).location(r))
                .isEqualTo("https://shop.example.com/old/page?x=1");
        assertThat(redirect(null, null, null, null, 443, null, "https", 301).location(r))
                .as(":443 dropped for https").isEqualTo("https://shop.example.com/old/page?x=1");
        assertThat(redirect(null, null, null, null, 9000, null, null, 301).location(r))
                .isEqualTo("http://shop.example.com:9000/old/page?x=1");
        assertThat(redirect(null, null, null, "a.example.com", 0, "FROM_REQUEST_PORT", null, 301).location(r))
                .isEqualTo("http://a.example.com:8080/old/page?x=1");
        assertThat(redirect(null, "/v2/", "/old/", null, 0, null, null, 302).location(r))
                .isEqualTo("http://shop.example.com:8080/v2/page?x=1");
        assertThat(redirect("/n?y=2", null, null, null, 0, null, null, 301).location(r))
                .as("a uri with a query replaces it").isEqualTo("http://shop.example.com:8080/n?y=2");
        SimpleRequest plain = SimpleRequest.builder().url("http://a.example.com/p").build();
        assertThat(redirect(null, null, null, null, 80, null, null, 301).location(plain))
                .as(":80 dropped for http").isEqualTo("http://a.example.com/p");
    }

    @Test
    void rewritePath() {
        RewriteConfig prefix = new RewriteConfig("/v2/", "/v1/", null, null, null);
        assertThat(prefix.rewritePath("/v1/users?x=1")).isEqualTo("/v2/users?x=1");
        assertThat(prefix.rewritePath("/other")).isEqualTo("/other");
        RewriteConfig whole = new RewriteConfig("/", "/login", null, null, null);
        assertThat(whole.rewritePath("/login")).isEqualTo("/");
        RewriteConfig noMatch = new RewriteConfig("/api/", null, null, null, null);
        assertThat(noMatch.rewritePath("/x")).isEqualTo("/api/x");
        RewriteConfig regex = new RewriteConfig(null, null, Pattern.compile("^/service/([^/]+)(/.*)$"), "$2/instance/$1",
                null);
        assertThat(regex.rewritePath("/service/foo/v1/api?q")).isEqualTo("/v1/api/instance/foo?q");
        assertThat(regex.rewritesPath()).isTrue();
        assertThat(new RewriteConfig(null, null, null, null, "a").rewritesPath()).isFalse();
    }

    @Test
    void simpleRequest() {
        SimpleRequest r = SimpleRequest.builder().url("https://h:8443/p/q?a=1&b&c=x=y#f").header("Cookie", "s=1; t=\"2\"")
                .header("X-A", "1").header("x-a", "2").build();
        assertThat(r.scheme()).isEqualTo("https");
        assertThat(r.authority()).isEqualTo("h:8443");
        assertThat(r.path()).isEqualTo("/p/q?a=1&b&c=x=y#f");
        assertThat(r.queryParam("a")).isEqualTo("1");
        assertThat(r.queryParam("b")).isEqualTo("");
        assertThat(r.queryParam("c")).isEqualTo("x=y");
        assertThat(r.queryParam("f")).isNull();
        assertThat(r.cookie("s")).isEqualTo("1");
        assertThat(r.cookie("t")).isEqualTo("2");
        assertThat(r.cookie("u")).isNull();
        assertThat(r.header("X-A")).isEqualTo("1,2");
        assertThat(SimpleRequest.builder().url("http://h?x=1").build().path()).isEqualTo("/?x=1");
    }

    @Test
    void routeOriginKeyIsComputedOnce() {
        RouteOrigin o = new RouteOrigin("default", "reviews", 2, 0, null, null, 0);
        assertThat(o.key()).isEqualTo("default/reviews#2").isSameAs(o.key());
        assertThat(new RouteOrigin("default", "reviews", 2, 0, null, null, 0, "default/reviews#2")).isEqualTo(o);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new RouteOrigin("default", "reviews", 2, 0, null, null, 0, "other"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

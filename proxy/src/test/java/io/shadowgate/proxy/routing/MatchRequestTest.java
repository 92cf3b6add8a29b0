package io.shadowgate.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowgate.testkit.backend.TestBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every {@code HTTPMatchRequest} field over real sockets. Each rule forwards to the same backend and tags the
 * response with {@code x-route: <rule>} (a route-level response header set), so a test sees which rule won and that
 * the request really went upstream.
 */
class MatchRequestTest {

    private static final String HOST = "match.example.com";
    private static TestBackend backend;
    private static YamlGateway gw;
    private static final HttpClient client = Http.client();

    private static String rule(String name, String match) {
        return """
                - name: %s
                  match: %s
                  route: [{destination: {host: m.backends.internal}}]
                  headers: {response: {set: {x-route: %s}}}
                """.formatted(name, match, name);
    }

    @BeforeAll
    static void start() {
        backend = TestBackend.start("m");
        String rules = String.join("",
                rule("exact", "[{uri: {exact: /exact}}]"),
                rule("prefix", "[{uri: {prefix: /pre}}]"),
                rule("regex", "[{uri: {regex: \"/re/[0-9]+\"}}]"),
                rule("case", "[{uri: {exact: /Case/Path}, ignoreUriCase: true}]"),
                rule("caseprefix", "[{uri: {prefix: /CP/}, ignoreUriCase: true}]"),
                rule("caseregex", "[{uri: {regex: \"/cr/[a-z]+\"}, ignoreUriCase: true}]"),
                rule("post", "[{uri: {prefix: /m/}, method: {exact: POST}}]"),
                rule("m-regex", "[{uri: {prefix: /m/}, method: {regex: \"PU.\"}}]"),
                rule("m-other", "[{uri: {prefix: /m/}}]"),
                rule("scheme-https", "[{uri: {prefix: /scheme}, scheme: {exact: https}}]"),
                rule("scheme-http", "[{uri: {prefix: /scheme}, scheme: {exact: http}}]"),
                rule("auth-alt", "[{uri: {prefix: /auth}, authority: {exact: alt.example.com}}]"),
                rule("auth-prefix", "[{uri: {prefix: /auth}, authority: {prefix: alt.}}]"),
                rule("auth-other", "[{uri: {prefix: /auth}}]"),
                rule("h-exact", "[{uri: {prefix: /h}, headers: {x-e: {exact: v}}}]"),
                rule("h-prefix", "[{uri: {prefix: /h}, headers: {x-p: {prefix: pre}}}]"),
                rule("h-regex", "[{uri: {prefix: /h}, headers: {x-r: {regex: \"a+b\"}}}]"),
                rule("h-present", "[{uri: {prefix: /h}, headers: {x-any: {}}}]"),
                rule("h-and", "[{uri: {prefix: /h}, headers: {x-one: {exact: \"1\"}, x-two: {exact: \"2\"}}}]"),
                rule("h-none", "[{uri: {prefix: /h}}]"),
                rule("wo-not-bad", "[{uri: {prefix: /wo}, withoutHeaders: {x-w: {exact: bad}}}]"),
                rule("wo-fallback", "[{uri: {prefix: /wo}}]"),
                rule("wp-absent", "[{uri: {prefix: /wp}, withoutHeaders: {x-w: {}}}]"),
                rule("wp-fallback", "[{uri: {prefix: /wp}}]"),
                rule("q-exact", "[{uri: {prefix: /q}, queryParams: {a: {exact: \"1\"}}}]"),
                rule("q-regex", "[{uri: {prefix: /q}, queryParams: {b: {regex: \"\\\\d+\"}}}]"),
                rule("q-prefix", "[{uri: {prefix: /q}, queryParams: {p: {prefix: ab}}}]"),
                rule("q-present", "[{uri: {prefix: /q}, queryParams: {c: {}}}]"),
                rule("q-empty", "[{uri: {prefix: /q}, queryParams: {d: {exact: \"\"}}}]"),
                rule("q-none", "[{uri: {prefix: /q}}]"),
                rule("or", "[{uri: {exact: /or1}}, {uri: {exact: /or2}}, {headers: {x-or: {exact: \"yes\"}}}]"),
                rule("fm-first", "[{uri: {prefix: /fm}}]"),
                rule("fm-second", "[{uri: {exact: /fm/deeper}}]"),
                """
                - name: default
                  route: [{destination: {host: m.backends.internal}}]
                  headers: {response: {set: {x-route: default}}}
                """);
        String yaml = Yaml.serviceEntry("m", "m.backends.internal", backend) + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: match, namespace: default}
                spec:
                  hosts: [match.example.com, alt.example.com]
                  http:
                """ + rules.indent(2);
        gw = YamlGateway.start(yaml);
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    private static String routeOf(HttpRequest request) {
        HttpResponse<String> r = Http.send(client, request);
        assertThat(r.statusCode()).as(request.method() + " " + request.uri()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-backend")).as("forwarded").hasValue("m");
        return r.headers().firstValue("x-route").orElse("<none>");
    }

    private static String get(String pathAndQuery, String... headers) {
        HttpRequest.Builder b = Http.request(gw.port(), HOST, pathAndQuery);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return routeOf(b.build());
    }

    @Nested
    class Uri {
        @Test
        void exactIgnoresTheQueryButNothingElse() {
            assertThat(get("/exact")).isEqualTo("exact");
            assertThat(get("/exact?x=1&y")).isEqualTo("exact");
            assertThat(get("/exact/")).isEqualTo("default");
            assertThat(get("/exactly")).isEqualTo("default");
            assertThat(get("/EXACT")).as("case-sensitive by default").isEqualTo("default");
        }

        @Test
        void prefixIsARawStringPrefix() {
            assertThat(get("/pre")).isEqualTo("prefix");
            assertThat(get("/pre/x/y?z")).isEqualTo("prefix");
            assertThat(get("/prefix")).as("/pre also matches /prefix (not path-separated)").isEqualTo("prefix");
            assertThat(get("/pr")).isEqualTo("default");
            assertThat(get("/x/pre")).isEqualTo("default");
            assertThat(get("/Pre")).isEqualTo("default");
        }

        @Test
        void regexMustMatchTheWholePathWithoutQuery() {
            assertThat(get("/re/123")).isEqualTo("regex");
            assertThat(get("/re/123?q=abc")).as("query excluded").isEqualTo("regex");
            assertThat(get("/re/123x")).as("full match").isEqualTo("default");
            assertThat(get("/x/re/1")).as("anchored at the start").isEqualTo("default");
            assertThat(get("/re/")).isEqualTo("default");
        }

        @Test
        void ignoreUriCaseAppliesToExactAndPrefixNotRegex() {
            assertThat(get("/case/path")).isEqualTo("case");
            assertThat(get("/CASE/PATH?x")).isEqualTo("case");
            assertThat(get("/cp/anything")).isEqualTo("caseprefix");
            assertThat(get("/Cp/x")).isEqualTo("caseprefix");
            assertThat(get("/cr/abc")).isEqualTo("caseregex");
            // Envoy applies case_sensitive to path and prefix only; a regex stays case-sensitive.
            assertThat(get("/cr/ABC")).isEqualTo("default");
        }
    }

    @Nested
    class Pseudo {
        @Test
        void method() {
            HttpRequest post = Http.request(gw.port(), HOST, "/m/1").POST(HttpRequest.BodyPublishers.ofString("x"))
                    .build();
            assertThat(routeOf(post)).isEqualTo("post");
            HttpRequest put = Http.request(gw.port(), HOST, "/m/1").PUT(HttpRequest.BodyPublishers.ofString("x"))
                    .build();
            assertThat(routeOf(put)).isEqualTo("m-regex");
            assertThat(get("/m/1")).isEqualTo("m-other");
            HttpRequest delete = Http.request(gw.port(), HOST, "/m/1").DELETE().build();
            assertThat(routeOf(delete)).isEqualTo("m-other");
        }

        @Test
        void schemeIsHttpOnAPlainListener() {
            assertThat(get("/scheme")).isEqualTo("scheme-http");
        }

        @Test
        void authorityMatchesTheHostHeaderAsSent() {
            assertThat(routeOf(Http.request(gw.port(), "alt.example.com", "/auth").build())).isEqualTo("auth-alt");
            // :authority includes the port when the client sent one: exact fails, the prefix still matches.
            assertThat(routeOf(Http.request(gw.port(), "alt.example.com:8080", "/auth").build()))
                    .isEqualTo("auth-prefix");
            assertThat(get("/auth")).isEqualTo("auth-other");
        }
    }

    @Nested
    class Headers {
        @Test
        void exactPrefixRegexAndPresence() {
            assertThat(get("/h", "x-e", "v")).isEqualTo("h-exact");
            assertThat(get("/h", "X-E", "v")).as("header names are case-insensitive").isEqualTo("h-exact");
            assertThat(get("/h", "x-e", "V")).as("values are case-sensitive").isEqualTo("h-none");
            assertThat(get("/h", "x-e", "vv")).isEqualTo("h-none");
            assertThat(get("/h", "x-p", "prefix-and-more")).isEqualTo("h-prefix");
            assertThat(get("/h", "x-p", "xpre")).isEqualTo("h-none");
            assertThat(get("/h", "x-r", "aaab")).isEqualTo("h-regex");
            assertThat(get("/h", "x-r", "aaabc")).as("regex is a full match").isEqualTo("h-none");
            assertThat(get("/h", "x-any", "")).as("presence: even an empty value").isEqualTo("h-present");
            assertThat(get("/h", "x-any", "whatever")).isEqualTo("h-present");
            assertThat(get("/h")).isEqualTo("h-none");
        }

        @Test
        void conditionsInOneBlockAreAnded() {
            assertThat(get("/h", "x-one", "1", "x-two", "2")).isEqualTo("h-and");
            assertThat(get("/h", "x-one", "1")).isEqualTo("h-none");
            assertThat(get("/h", "x-two", "2")).isEqualTo("h-none");
        }

        @Test
        void withoutHeadersMatchesMissingOrDifferent() {
            assertThat(get("/wo")).as("missing counts as empty, which is not 'bad'").isEqualTo("wo-not-bad");
            assertThat(get("/wo", "x-w", "good")).isEqualTo("wo-not-bad");
            assertThat(get("/wo", "x-w", "bad")).isEqualTo("wo-fallback");
        }

        @Test
        void withoutHeadersPresenceMeansAbsent() {
            assertThat(get("/wp")).isEqualTo("wp-absent");
            assertThat(get("/wp", "x-w", "anything")).isEqualTo("wp-fallback");
            assertThat(get("/wp", "x-w", "")).isEqualTo("wp-fallback");
        }
    }

    @Nested
    class Query {
        @Test
        void exactRegexPrefixPresenceAndEmpty() {
            assertThat(get("/q?a=1")).isEqualTo("q-exact");
            assertThat(get("/q?z=0&a=1")).isEqualTo("q-exact");
            assertThat(get("/q?a=12")).isEqualTo("q-none");
            assertThat(get("/q?b=123")).isEqualTo("q-regex");
            assertThat(get("/q?b=a123")).as("regex is a full match").isEqualTo("q-none");
            assertThat(get("/q?b=123a")).isEqualTo("q-none");
            assertThat(get("/q?p=abc")).isEqualTo("q-prefix");
            assertThat(get("/q?p=xab")).isEqualTo("q-none");
            assertThat(get("/q?c=anything")).isEqualTo("q-present");
            assertThat(get("/q?c")).isEqualTo("q-present");
            assertThat(get("/q?c=")).isEqualTo("q-present");
            assertThat(get("/q?d")).as("exact \"\" matches a key without value").isEqualTo("q-empty");
            assertThat(get("/q?d=")).isEqualTo("q-empty");
            assertThat(get("/q?d=x")).isEqualTo("q-none");
            assertThat(get("/q")).isEqualTo("q-none");
            assertThat(get("/q?A=1")).as("parameter names are case-sensitive").isEqualTo("q-none");
        }
    }

    @Nested
    class PathNormalization {
        /** The rule that matched and the path the backend received. */
        private String[] routeAndUpstreamPath(String pathAndQuery) {
            HttpResponse<String> r = Http.send(client, Http.request(gw.port(), HOST, pathAndQuery).build());
            assertThat(r.statusCode()).isEqualTo(200);
            return new String[] {r.headers().firstValue("x-route").orElse("<none>"),
                r.body().replaceAll(".*\"path\":\"([^\"]*)\".*", "$1")};
        }

        @Test
        void dotSegmentsAreRemovedBeforeMatchingAndForwarding() {
            // Istio's default normalize_path: RFC 3986 dot segments, %2e counting as a dot (Envoy's canonicalizer).
            assertThat(routeAndUpstreamPath("/fm/../exact")).containsExactly("exact", "/exact");
            assertThat(routeAndUpstreamPath("/fm/%2e%2e/exact?q=1")).containsExactly("exact", "/exact?q=1");
            assertThat(routeAndUpstreamPath("/fm/%2E%2E/re/12")).containsExactly("regex", "/re/12");
            assertThat(routeAndUpstreamPath("/fm/.%2e/pre/x")).containsExactly("prefix", "/pre/x");
            assertThat(routeAndUpstreamPath("/%2e/pre/./x")).containsExactly("prefix", "/pre/x");
            // Escapes that are not dot segments stay as they are.
            assertThat(routeAndUpstreamPath("/pre/a%2eb/%2F%2f")).containsExactly("prefix", "/pre/a%2eb/%2F%2f");
        }
    }

    @Nested
    class Ordering {
        @Test
        void matchBlocksAreOred() {
            assertThat(get("/or1")).isEqualTo("or");
            assertThat(get("/or2?x")).isEqualTo("or");
            assertThat(get("/elsewhere", "x-or", "yes")).isEqualTo("or");
            assertThat(get("/or3")).isEqualTo("default");
        }

        @Test
        void firstMatchWins() {
            assertThat(get("/fm/deeper")).as("an earlier, broader rule wins").isEqualTo("fm-first");
            assertThat(get("/exact?a=1")).as("uri rule before the query rule").isEqualTo("exact");
        }
    }
}

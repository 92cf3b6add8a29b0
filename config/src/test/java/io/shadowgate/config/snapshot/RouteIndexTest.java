package io.shadowgate.config.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.shadowgate.config.compile.CompileOptions;
import io.shadowgate.config.compile.CompileResult;
import io.shadowgate.config.compile.SnapshotCompiler;
import io.shadowgate.config.load.ConfigLoader;
import io.shadowgate.config.match.RequestMatchers;
import io.shadowgate.config.match.StringMatchers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The indexed {@link RouteTable#route} answers exactly as a linear scan of the virtual host's routes (Envoy's first
 * match), on random tables and random requests.
 */
class RouteIndexTest {

    private static final String[] PIECES = {"/", "/api", "/API", "/a", "b", "/v1", "1", "-", ".", "k", "K", "\u212A",
        "\u00e9", "x", "?q=1", "#f", "?", "|", "]", "/svc1", "/items/", "42"};
    private static final String[] REGEX_ATOMS = {"/api", "/a", "b", "/v1", "K", "k", "\\.", "\\/", "\\-", "[a-z]",
        "[^/]", "[]a]", "[\\]|]", "\\d", "\\w", ".", "(a|b)", "(?:/x|/y)", "(?i)a", "(?i:ab)", "\\Q|\\E", "[[:alpha:]|]",
        "/svc1", "/items/", "\u00e9"};
    private static final String[] QUANTIFIERS = {"", "", "", "", "?", "*", "+", "{2}", "{0,1}", "{1,}"};
    private static final String[] METHODS = {"GET", "POST", "PUT"};

    /** The reference: Envoy's linear first-match scan. */
    private static RouteConfig linear(RouteTable table, RequestView request) {
        VirtualHostConfig vh = table.selectVirtualHost(request.authority());
        if (vh == null) {
            return null;
        }
        for (RouteConfig r : vh.routes()) {
            if (r.matcher().matches(request)) {
                return r;
            }
        }
        return null;
    }

    @Test
    void sameRouteAsTheLinearScanOnRandomTables() {
        for (long seed : new long[] {1, 2, 3, 42, 2024}) {
            Random r = new Random(seed);
            int hits = 0;
            for (int t = 0; t < 20; t++) {
                List<RouteConfig> routes = new ArrayList<>();
                List<String> literals = new ArrayList<>();
                int size = 1 + r.nextInt(t < 10 ? 20 : 300);
                for (int i = 0; i < size; i++) {
                    routes.add(route("r" + i, randomMatcher(r, literals)));
                }
                RouteTable table = new RouteTable(List.of(
                        new VirtualHostConfig("a:80", List.of("a.example.com"), routes.subList(0, size / 2)),
                        new VirtualHostConfig("any:80", List.of("*"), routes)));
                for (int q = 0; q < 500; q++) {
                    SimpleRequest req = randomRequest(r, literals);
                    RouteConfig expected = linear(table, req);
                    assertThat(table.route(req)).as("seed %d, %s", seed, req).isSameAs(expected);
                    hits += expected == null ? 0 : 1;
                }
            }
            assertThat(hits).as("requests that some route matched, seed %d", seed).isGreaterThan(2_000);
        }
    }

    @Test
    void sameRouteAsTheLinearScanOnCompiledVirtualServicesWithSeveralMatchBlocks() {
        for (long seed : new long[] {5, 6, 7}) {
            Random r = new Random(seed);
            List<String> literals = new ArrayList<>();
            StringBuilder y = new StringBuilder("apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
                    + "metadata: {name: vs, namespace: default}\nspec:\n  hosts: [\"*\"]\n  http:\n");
            int rules = 150;
            for (int i = 0; i < rules; i++) {
                y.append("  - name: rule").append(i).append("\n");
                int blocks = r.nextInt(4); // 0: a rule without match (only the last one, as Istio requires)
                if (blocks == 0 && i < rules - 1) {
                    blocks = 1;
                }
                if (blocks > 0) {
                    y.append("    match:\n");
                }
                for (int b = 0; b < blocks; b++) {
                    y.append("    - ignoreUriCase: ").append(r.nextInt(4) == 0).append("\n");
                    String value = randomPath(r, literals, 3);
                    // Not prefix "/" alone: a catch-all ends route generation (istiod's rule), leaving a short table.
                    int kind = value.isEmpty() || value.equals("/") ? 0 : r.nextInt(4);
                    switch (kind) {
                        case 0 -> y.append("      uri: {exact: ").append(yamlString(value)).append("}\n");
                        case 1 -> y.append("      uri: {prefix: ").append(yamlString(value)).append("}\n");
                        case 2 -> y.append("      uri: {regex: ").append(yamlString(randomRegex(r))).append("}\n");
                        default -> { }
                    }
                    literals.add(value);
                    if (r.nextInt(3) == 0) {
                        y.append("      method: {exact: ").append(METHODS[r.nextInt(METHODS.length)]).append("}\n");
                    }
                    if (r.nextInt(3) == 0) {
                        y.append("      headers: {x-t: {regex: \"t[0-9]\"}}\n");
                    }
                    if (r.nextInt(5) == 0) {
                        y.append("      withoutHeaders: {x-t: {exact: t1}}\n");
                    }
                    if (r.nextInt(5) == 0) {
                        y.append("      queryParams: {q: {exact: \"1\"}}\n");
                    }
                    if (r.nextInt(6) == 0) {
                        y.append("      authority: {prefix: a.}\n");
                    }
                }
                y.append("    route: [{destination: {host: svc").append(i).append(".default.svc.cluster.local}}]\n");
            }
            CompileResult result = SnapshotCompiler.compile(new ConfigLoader().loadString("vs.yaml", y.toString()),
                    CompileOptions.defaults());
            assertThat(result.snapshot()).as(result.errors().toString()).isNotNull();
            RouteTable table = result.snapshot().listeners().get(0).routes();
            assertThat(table.virtualHosts().get(0).routes().size()).isGreaterThan(rules);
            int hits = 0;
            for (int q = 0; q < 3_000; q++) {
                SimpleRequest req = randomRequest(r, literals);
                RouteConfig expected = linear(table, req);
                assertThat(table.route(req)).as("seed %d, %s", seed, req).isSameAs(expected);
                hits += expected == null ? 0 : 1;
            }
            assertThat(hits).isGreaterThan(500);
        }
    }

    @Test
    void firstMatchWinsAcrossPrefixesOfDifferentLengths() {
        RouteConfig deep = route("deep", RequestMatchers.pathPrefix("/api/v1", false));
        RouteConfig shallow = route("shallow", RequestMatchers.pathPrefix("/api", false));
        RouteConfig regex = route("regex", RequestMatchers.pathRegex("/api/v[0-9]+"));
        RouteConfig any = route("any", RequestMatcher.ANY);
        RouteTable t = new RouteTable(List.of(new VirtualHostConfig("h", List.of("*"),
                List.of(shallow, deep, regex, any))));
        assertThat(t.route(SimpleRequest.get("h", "/api/v1"))).isSameAs(shallow);
        t = new RouteTable(List.of(new VirtualHostConfig("h", List.of("*"), List.of(regex, deep, shallow, any))));
        assertThat(t.route(SimpleRequest.get("h", "/api/v1"))).isSameAs(regex);
        assertThat(t.route(SimpleRequest.get("h", "/api/v1x"))).isSameAs(deep);
        assertThat(t.route(SimpleRequest.get("h", "/api/x?/api/v1"))).isSameAs(shallow);
        assertThat(t.route(SimpleRequest.get("h", "/other"))).isSameAs(any);
        assertThat(t.route(SimpleRequest.get("h", ""))).isSameAs(any);
    }

    @Test
    void ignoreCasePrefixesMatchWhateverTheCaseOfThePath() {
        RouteConfig kelvin = route("k", RequestMatchers.pathPrefix("/kelvin", true));
        RouteConfig exact = route("e", RequestMatchers.pathExact("/ABC", true));
        RouteTable t = new RouteTable(List.of(new VirtualHostConfig("h", List.of("*"), List.of(kelvin, exact))));
        assertThat(t.route(SimpleRequest.get("h", "/KELVIN/x"))).isSameAs(kelvin);
        // U+212A KELVIN SIGN equals "k" ignoring case, as String.regionMatches sees it.
        assertThat(t.route(SimpleRequest.get("h", "/\u212Aelvin"))).isSameAs(kelvin);
        assertThat(t.route(SimpleRequest.get("h", "/abc?x"))).isSameAs(exact);
        assertThat(t.route(SimpleRequest.get("h", "/\u00e9"))).isNull();
    }

    @Test
    void foldTableAgreesWithRegionMatchesIgnoringCase() {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            if (Character.isSurrogate((char) c)) {
                continue;
            }
            // Both of String's representations: Latin-1 when possible, and UTF-16 (a wide character first).
            String one = String.valueOf((char) c);
            String wide = "\u0100" + (char) c;
            for (int a = 0; a < 128; a++) {
                String ascii = String.valueOf((char) a);
                boolean equal = one.regionMatches(true, 0, ascii, 0, 1);
                assertThat(wide.regionMatches(true, 1, ascii, 0, 1)).isEqualTo(equal);
                if (equal) {
                    assertThat(RouteIndex.fold((char) c)).as("U+%04X vs %s", c, ascii)
                            .isEqualTo(RouteIndex.fold((char) a)).isNotNegative();
                }
            }
        }
    }

    private static RouteConfig route(String name, RequestMatcher matcher) {
        return new RouteConfig(name, new RouteOrigin("default", "vs", 0, -1, null, null, 0), matcher, null, null);
    }

    private static RequestMatcher randomMatcher(Random r, List<String> literals) {
        List<RequestMatcher> all = new ArrayList<>();
        boolean ignoreCase = r.nextInt(4) == 0;
        String value = randomPath(r, literals, 3);
        literals.add(value);
        switch (r.nextInt(5)) {
            case 0 -> all.add(RequestMatchers.pathExact(value, ignoreCase));
            case 1 -> all.add(RequestMatchers.pathPrefix(value, ignoreCase));
            case 2, 3 -> {
                String re = randomRegex(r);
                all.add(RequestMatchers.pathRegex(re));
            }
            default -> { }
        }
        if (r.nextInt(3) == 0) {
            all.add(RequestMatchers.header(RequestMatchers.Source.METHOD, ":method",
                    StringMatchers.exact(METHODS[r.nextInt(METHODS.length)], false), false, false));
        }
        if (r.nextInt(4) == 0) {
            all.add(RequestMatchers.header("x-t", r.nextBoolean() ? null : StringMatchers.regex("t[0-9]")));
        }
        if (r.nextInt(5) == 0) {
            all.add(RequestMatchers.withoutHeader("x-t", StringMatchers.exact("t1", false)));
        }
        if (r.nextInt(5) == 0) {
            all.add(RequestMatchers.queryParam("q", r.nextBoolean() ? null : StringMatchers.prefix("1", false)));
        }
        if (r.nextInt(6) == 0) {
            all.add(RequestMatchers.header(RequestMatchers.Source.AUTHORITY, ":authority",
                    StringMatchers.prefix("a.", false), false, false));
        }
        if (r.nextInt(40) == 0) {
            all.add(RequestMatchers.never("test"));
        }
        // Conditions in random order: the index must not depend on the path condition coming first.
        java.util.Collections.shuffle(all, r);
        return RequestMatchers.allOf(all);
    }

    /** A valid RE2 regex mixing literals with everything that ends or defeats a literal prefix. */
    static String randomRegex(Random r) {
        while (true) {
            StringBuilder re = new StringBuilder(r.nextInt(5) == 0 ? "^" : "");
            int n = 1 + r.nextInt(5);
            for (int k = 0; k < n; k++) {
                if (k > 0 && r.nextInt(10) == 0) {
                    re.append('|');
                }
                re.append(REGEX_ATOMS[r.nextInt(REGEX_ATOMS.length)]);
                re.append(QUANTIFIERS[r.nextInt(QUANTIFIERS.length)]);
            }
            if (r.nextInt(3) == 0) {
                re.append(".*");
            }
            try {
                Pattern.compile(re.toString());
                return re.toString();
            } catch (PatternSyntaxException e) {
                // try another
            }
        }
    }

    private static String randomPath(Random r, List<String> literals, int maxPieces) {
        StringBuilder p = new StringBuilder();
        if (!literals.isEmpty() && r.nextInt(3) != 0) {
            String base = literals.get(r.nextInt(literals.size()));
            p.append(r.nextBoolean() ? base : base.substring(0, r.nextInt(base.length() + 1)));
        }
        int n = r.nextInt(maxPieces + 1);
        for (int k = 0; k < n; k++) {
            String piece = PIECES[r.nextInt(PIECES.length)];
            p.append(r.nextInt(6) == 0 ? piece.toUpperCase(java.util.Locale.ROOT) : piece);
        }
        return p.toString();
    }

    private static SimpleRequest randomRequest(Random r, List<String> literals) {
        SimpleRequest.Builder b = SimpleRequest.builder()
                .authority(r.nextBoolean() ? "a.example.com" : "b.example.com:8080")
                .method(METHODS[r.nextInt(METHODS.length)])
                .path(randomPath(r, literals, 4));
        if (r.nextBoolean()) {
            b.header("x-t", "t" + r.nextInt(3));
        }
        return b.build();
    }

    private static String yamlString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}

package io.shadowgate.config.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowgate.config.snapshot.RequestMatcher;
import io.shadowgate.config.snapshot.SimpleRequest;
import io.shadowgate.config.snapshot.StringMatcher;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchersTest {

    private static SimpleRequest path(String p) {
        return SimpleRequest.builder().path(p).build();
    }

    @Test
    void stringMatchers() {
        assertThat(StringMatchers.exact("a", false).matches("a")).isTrue();
        assertThat(StringMatchers.exact("a", false).matches("A")).isFalse();
        assertThat(StringMatchers.exact("a", true).matches("A")).isTrue();
        assertThat(StringMatchers.prefix("ab", false).matches("abc")).isTrue();
        assertThat(StringMatchers.prefix("ab", false).matches("a")).isFalse();
        assertThat(StringMatchers.prefix("AB", true).matches("abc")).isTrue();
        // RE2 regex is a full match.
        StringMatcher re = StringMatchers.regex("\\d+$");
        assertThat(re.matches("123")).isTrue();
        assertThat(re.matches("a123")).isFalse();
        assertThat(StringMatchers.regex("v[0-9]+").describe()).isEqualTo("regex \"v[0-9]+\"");
        assertThatThrownBy(() -> StringMatchers.regex("(")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid RE2");
        // Backreferences are not RE2.
        assertThatThrownBy(() -> StringMatchers.regex("(a)\\1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uriExactIgnoresQueryAndHonoursIgnoreCase() {
        RequestMatcher m = RequestMatchers.pathExact("/api", false);
        assertThat(m.matches(path("/api"))).isTrue();
        assertThat(m.matches(path("/api?x=1"))).isTrue();
        assertThat(m.matches(path("/api#frag"))).isTrue();
        assertThat(m.matches(path("/api/"))).isFalse();
        assertThat(m.matches(path("/API"))).isFalse();
        assertThat(m.matches(path("/ap"))).isFalse();
        assertThat(RequestMatchers.pathExact("/api", true).matches(path("/API?q"))).isTrue();
        assertThat(m.mismatch(path("/x?y=1"))).isEqualTo("uri exact \"/api\" (request path \"/x\")");
        assertThat(m.mismatch(path("/api"))).isNull();
    }

    @Test
    void uriPrefixIsARawStringPrefixOfThePathWithoutQuery() {
        RequestMatcher m = RequestMatchers.pathPrefix("/foo", false);
        assertThat(m.matches(path("/foo"))).isTrue();
        assertThat(m.matches(path("/foobar"))).isTrue();
        assertThat(m.matches(path("/foo/bar?x"))).isTrue();
        assertThat(m.matches(path("/fo?o=1"))).isFalse();
        assertThat(m.matches(path("/Foo"))).isFalse();
        assertThat(RequestMatchers.pathPrefix("/foo", true).matches(path("/FOObar"))).isTrue();
        // The query string never counts toward the prefix.
        assertThat(RequestMatchers.pathPrefix("/a?b", false).matches(path("/a?b"))).isFalse();
    }

    @Test
    void uriRegexIsAFullCaseSensitiveMatchOfThePathWithoutQuery() {
        RequestMatcher m = RequestMatchers.pathRegex("/api/v[0-9]+/.*");
        assertThat(m.matches(path("/api/v2/users?x=1"))).isTrue();
        assertThat(m.matches(path("/x/api/v2/users"))).isFalse();
        assertThat(m.matches(path("/API/v2/users"))).isFalse();
        assertThat(RequestMatchers.pathRegex("/a").matches(path("/ab"))).isFalse();
    }

    @Test
    void headerExactPrefixRegexPresent() {
        SimpleRequest r = SimpleRequest.builder().header("X-User", "jason").header("x-multi", "a")
                .header("x-multi", "b").build();
        assertThat(RequestMatchers.header("x-user", StringMatchers.exact("jason", false)).matches(r)).isTrue();
        assertThat(RequestMatchers.header("x-user", StringMatchers.exact("Jason", false)).matches(r)).isFalse();
        assertThat(RequestMatchers.header("x-user", StringMatchers.prefix("ja", false)).matches(r)).isTrue();
        assertThat(RequestMatchers.header("x-user", StringMatchers.regex("j.*n")).matches(r)).isTrue();
        assertThat(RequestMatchers.header("x-user", StringMatchers.regex("j")).matches(r)).isFalse();
        assertThat(RequestMatchers.header("x-user", null).matches(r)).isTrue();
        assertThat(RequestMatchers.header("x-none", null).matches(r)).isFalse();
        // A missing header never matches a value condition, not even an empty regex-able one.
        assertThat(RequestMatchers.header("x-none", StringMatchers.regex(".*")).matches(r)).isFalse();
        // Repeated headers are joined with "," as Envoy's matcher sees them.
        assertThat(RequestMatchers.header("x-multi", StringMatchers.exact("a,b", false)).matches(r)).isTrue();
        assertThat(RequestMatchers.header("x-none", StringMatchers.exact("v", false)).mismatch(r))
                .isEqualTo("header x-none exact \"v\" (request: absent)");
    }

    @Test
    void withoutHeadersTreatMissingAsEmptyUnlessPresenceForm() {
        RequestMatcher notA = RequestMatchers.withoutHeader("x", StringMatchers.exact("a", false));
        assertThat(notA.matches(SimpleRequest.builder().build())).as("missing").isTrue();
        assertThat(notA.matches(SimpleRequest.builder().header("x", "b").build())).isTrue();
        assertThat(notA.matches(SimpleRequest.builder().header("x", "a").build())).isFalse();
        // Missing counts as "", and "" matches .*, so the inverted condition fails.
        RequestMatcher notAnything = RequestMatchers.withoutHeader("x", StringMatchers.regex(".*"));
        assertThat(notAnything.matches(SimpleRequest.builder().build())).isFalse();
        // Missing counts as "": withoutHeaders {x: {exact: ""}} fails on a missing header.
        RequestMatcher notEmpty = RequestMatchers.withoutHeader("x", StringMatchers.exact("", false));
        assertThat(notEmpty.matches(SimpleRequest.builder().build())).isFalse();
        assertThat(notEmpty.matches(SimpleRequest.builder().header("x", "v").build())).isTrue();
        // {} = must be absent.
        RequestMatcher absent = RequestMatchers.withoutHeader("x", null);
        assertThat(absent.matches(SimpleRequest.builder().build())).isTrue();
        assertThat(absent.matches(SimpleRequest.builder().header("x", "").build())).isFalse();
        assertThat(absent.matches(SimpleRequest.builder().header("x", "v").build())).isFalse();
        assertThat(absent.describe()).isEqualTo("header x absent");
        assertThat(notA.describe()).isEqualTo("without header x exact \"a\"");
    }

    @Test
    void queryParams() {
        RequestMatcher present = RequestMatchers.queryParam("debug", null);
        assertThat(present.matches(path("/?debug"))).isTrue();
        assertThat(present.matches(path("/?debug=1"))).isTrue();
        assertThat(present.matches(path("/?x=1"))).isFalse();
        assertThat(present.matches(path("/"))).isFalse();
        RequestMatcher emptyExact = RequestMatchers.queryParam("key", StringMatchers.exact("", false));
        assertThat(emptyExact.matches(path("/?key"))).isTrue();
        assertThat(emptyExact.matches(path("/?key="))).isTrue();
        assertThat(emptyExact.matches(path("/?key=v"))).isFalse();
        RequestMatcher digits = RequestMatchers.queryParam("id", StringMatchers.regex("\\d+$"));
        assertThat(digits.matches(path("/?id=123"))).isTrue();
        assertThat(digits.matches(path("/?id=a123"))).isFalse();
        // The first value counts; values are not percent-decoded.
        RequestMatcher first = RequestMatchers.queryParam("a", StringMatchers.exact("1", false));
        assertThat(first.matches(path("/?a=1&a=2"))).isTrue();
        assertThat(first.matches(path("/?a=2&a=1"))).isFalse();
        assertThat(RequestMatchers.queryParam("q", StringMatchers.exact("a b", false)).matches(path("/?q=a%20b")))
                .isFalse();
        assertThat(digits.mismatch(path("/?id=x"))).isEqualTo("query id regex \"\\\\d+$\" (request: \"x\")");
    }

    @Test
    void schemeMethodAuthority() {
        SimpleRequest r = SimpleRequest.builder().method("POST").scheme("https").authority("api.example.com:8443")
                .build();
        assertThat(RequestMatchers.header(RequestMatchers.Source.METHOD, ":method",
                StringMatchers.exact("POST", false), false, false).matches(r)).isTrue();
        assertThat(RequestMatchers.header(RequestMatchers.Source.METHOD, ":method",
                StringMatchers.exact("GET", false), false, false).matches(r)).isFalse();
        assertThat(RequestMatchers.header(RequestMatchers.Source.SCHEME, ":scheme",
                StringMatchers.exact("https", false), false, false).matches(r)).isTrue();
        // :authority is matched as sent, port included.
        assertThat(RequestMatchers.header(RequestMatchers.Source.AUTHORITY, ":authority",
                StringMatchers.exact("api.example.com", false), false, false).matches(r)).isFalse();
        assertThat(RequestMatchers.header(RequestMatchers.Source.AUTHORITY, ":authority",
                StringMatchers.prefix("api.example.com", false), false, false).matches(r)).isTrue();
    }

    @Test
    void allOfExplainsTheFirstFailingCondition() {
        RequestMatcher m = RequestMatchers.allOf(List.of(RequestMatchers.pathPrefix("/api", false),
                RequestMatchers.header("x-user", StringMatchers.exact("jason", false))));
        assertThat(m.describe()).isEqualTo("uri prefix \"/api\" and header x-user exact \"jason\"");
        assertThat(m.matches(SimpleRequest.builder().path("/api/x").header("x-user", "jason").build())).isTrue();
        assertThat(m.mismatch(SimpleRequest.builder().path("/api/x").header("x-user", "bob").build()))
                .isEqualTo("header x-user exact \"jason\" (request: \"bob\")");
        assertThat(RequestMatchers.allOf(List.of())).isSameAs(RequestMatcher.ANY);
        assertThat(RequestMatchers.never("JWT").matches(path("/"))).isFalse();
    }

    @Test
    void literalPrefixOfARegexIsWhatEveryFullMatchStartsWith() {
        assertThat(StringMatchers.literalPrefix("/svc12/[a-z]+")).isEqualTo("/svc12/");
        assertThat(StringMatchers.literalPrefix("^/api/v1?/x")).isEqualTo("/api/v");
        assertThat(StringMatchers.literalPrefix("/a*")).isEqualTo("/");
        assertThat(StringMatchers.literalPrefix("/a{0,2}")).isEqualTo("/");
        assertThat(StringMatchers.literalPrefix("/a+b")).isEqualTo("/a");
        assertThat(StringMatchers.literalPrefix("/a\\.json")).isEqualTo("/a.json");
        assertThat(StringMatchers.literalPrefix("/a\\.?x")).isEqualTo("/a");
        assertThat(StringMatchers.literalPrefix("/a(b|c)")).isEqualTo("/a");
        assertThat(StringMatchers.literalPrefix("/a[|]b")).isEqualTo("/a");
        assertThat(StringMatchers.literalPrefix("/a|/b")).isEmpty();
        assertThat(StringMatchers.literalPrefix("/a(b)|/b")).isEmpty();
        assertThat(StringMatchers.literalPrefix("/a[]|]|/b")).isEmpty();
        assertThat(StringMatchers.literalPrefix("/a\\Q|\\E")).isEmpty();
        assertThat(StringMatchers.literalPrefix("/a[[:alpha:](]|x")).isEmpty();
        assertThat(StringMatchers.literalPrefix("(?i)/a")).isEmpty();
        assertThat(StringMatchers.literalPrefix("/a\\d")).isEqualTo("/a");
        assertThat(StringMatchers.literalPrefix("/\u00e9x")).isEqualTo("/");
        assertThat(StringMatchers.literalPrefix("^*/a")).isEmpty();
    }

    @Test
    void everyFullMatchStartsWithTheLiteralPrefixOnRandomRegexes() {
        String[] atoms = {"/a", "b", "K", "\\.", "\\/", "[a-z]", "[^/]", "[]a]", "[\\]|]", "\\d", ".", "(a|b)",
            "(?:/x|/y)", "(?i)a", "(?i:ab)", "\\Q|\\E", "[[:alpha:]|]", "\u00e9", "$", "^"};
        String[] quantifiers = {"", "", "", "?", "*", "+", "{2}", "{0,1}", "{1,}"};
        String alphabet = "/abKk.|]x1\u00e9";
        java.util.Random r = new java.util.Random(11);
        int matched = 0;
        for (int p = 0; p < 3000; p++) {
            StringBuilder re = new StringBuilder(r.nextInt(4) == 0 ? "^" : "");
            for (int k = 0, n = 1 + r.nextInt(5); k < n; k++) {
                if (k > 0 && r.nextInt(10) == 0) {
                    re.append('|');
                }
                re.append(atoms[r.nextInt(atoms.length)]).append(quantifiers[r.nextInt(quantifiers.length)]);
            }
            com.google.re2j.Pattern ref;
            try {
                ref = com.google.re2j.Pattern.compile(re.toString());
            } catch (com.google.re2j.PatternSyntaxException e) {
                continue;
            }
            String prefix = StringMatchers.literalPrefix(re.toString());
            for (int t = 0; t < 100; t++) {
                StringBuilder in = new StringBuilder(r.nextBoolean() ? prefix : "");
                for (int k = 0, n = r.nextInt(6); k < n; k++) {
                    in.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                if (ref.matches(in.toString())) {
                    matched++;
                    assertThat(in.toString()).as(re.toString()).startsWith(prefix);
                }
            }
        }
        assertThat(matched).isGreaterThan(5_000);
    }

    @Test
    void allOfEvaluatesCheapConditionsFirstButExplainsInDeclaredOrder() {
        int[] calls = {0};
        RequestMatcher costly = new RequestMatcher() {
            @Override
            public boolean matches(io.shadowgate.config.snapshot.RequestView request) {
                calls[0]++;
                return false;
            }

            @Override
            public String describe() {
                return "costly";
            }
        };
        RequestMatcher m = RequestMatchers.allOf(List.of(RequestMatchers.pathRegex("/a/[0-9]+"), costly,
                RequestMatchers.header("x-user", StringMatchers.exact("jason", false)),
                RequestMatchers.pathPrefix("/a", false)));
        assertThat(m.matches(path("/b/1"))).isFalse();
        assertThat(m.matches(SimpleRequest.builder().path("/a/1").build())).isFalse();
        assertThat(calls[0]).as("the literal conditions failed first").isZero();
        SimpleRequest jason = SimpleRequest.builder().path("/a/1").header("x-user", "jason").build();
        assertThat(m.matches(jason)).isFalse();
        assertThat(calls[0]).isEqualTo(1);
        assertThat(m.describe()).isEqualTo("uri regex \"/a/[0-9]+\" and costly and header x-user exact \"jason\" "
                + "and uri prefix \"/a\"");
        assertThat(m.mismatch(path("/b/1"))).startsWith("uri regex");
        assertThat(m.mismatch(jason)).isEqualTo("costly");
        assertThat(m.requiredPathPrefix()).isEqualTo("/a/");
    }
}

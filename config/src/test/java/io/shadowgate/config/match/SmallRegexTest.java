package io.shadowgate.config.match;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The linear-time matcher answers exactly as RE2/J's full match, on fixed cases and on random patterns and inputs. */
class SmallRegexTest {

    @Test
    void fixedCases() {
        check("/svc989/[a-z]+/[0-9]+", "/svc989/items/12345", "/svc989/items/", "/svc98/items/1", "/svc989/Items/1");
        check("/api/v[0-9]{1,2}/users/[^/]+", "/api/v1/users/bob", "/api/v123/users/x", "/api/v1/users/",
                "/api/v1/users/a/b");
        check("a*b?c+", "", "c", "ac", "aabcc", "abbc", "b");
        check("x{2,}y{0,3}\\d", "xx1", "x1", "xxxxyyy9", "xxyyyy9");
        check("\\w+\\.json", "data_1.json", "data.jsn", ".json");
        check("[]a-]+", "]a-", "b");
        check(".+", "abc", "", "a\nb");
        check("[^a]", "\n", "a", "b");
        check("[\\d\\s]+", "1 2\t3", "1a");
        check("tenant-989(-[a-z]+)?", "tenant-989", "tenant-989-eu", "tenant-989-", "tenant-98", "tenant-989-EU");
        check("/(v1|v2|beta)/(users|items)(/.*)?", "/v1/users", "/beta/items/x/y", "/v3/users", "/v1/users/");
        check("^/a(b|)c$", "/abc", "/ac", "/abbc");
        check("(a*)*b", "aaab", "b", "aaa");
        check("(?:ab){2,3}", "abab", "ababab", "ab", "abababab");
        check("a{0}b", "b", "ab");
        assertThat(SmallRegex.compile("a^b")).isNull();
        assertThat(SmallRegex.compile("a$b")).isNull();
        assertThat(SmallRegex.compile("(?P<x>a)")).isNull();
        assertThat(SmallRegex.compile("(a")).isNull();
        assertThat(SmallRegex.compile("a)")).isNull();
        assertThat(SmallRegex.compile("(?i)abc")).isNull();
        assertThat(SmallRegex.compile("a+?")).isNull();
        assertThat(SmallRegex.compile("\\pL")).isNull();
        assertThat(SmallRegex.compile("\\bx")).isNull();
        assertThat(SmallRegex.compile("[[:alpha:]]")).isNull();
        assertThat(SmallRegex.compile("a{1,100}")).isNull();
        assertThat(SmallRegex.compile("(a{16}){4}")).as("more than 63 states").isNull();
        assertThat(SmallRegex.compile("/\u00e9")).isNull();
        assertThat(SmallRegex.compile("/a").match("/\u00e9", 0, 2)).isEqualTo(SmallRegex.UNKNOWN);
        assertThat(SmallRegex.compile("/a.").match("x/ab?q", 1, 4)).isEqualTo(1);
    }

    @Test
    void compiledRegexFallsBackToRe2jForNonAsciiInputAndUnsupportedPatterns() {
        CompiledRegex dot = CompiledRegex.compile("/a.");
        assertThat(dot.hasFastPath()).isTrue();
        assertThat(dot.matches("/a\u00e9")).as("RE2's '.' matches any code point").isTrue();
        assertThat(dot.matches("/a\uD83D\uDE00")).as("one code point, two chars").isTrue();
        assertThat(dot.matches("x/ab?", 1, 4)).isTrue();
        CompiledRegex unicode = CompiledRegex.compile("/\\pL+");
        assertThat(unicode.hasFastPath()).isFalse();
        assertThat(unicode.matches("/\u00e9t\u00e9")).isTrue();
        assertThat(unicode.matches("/1")).isFalse();
    }

    @Test
    void agreesWithRe2jOnRandomPatternsAndInputs() {
        String[] atoms = {"a", "b", "/", ".", "[a-c]", "[^a]", "\\d", "\\w", "\\.", "[0-9_]", "\\s", "-", "(a|b/)",
            "(?:ab|c)", "(a*|-)", "()", "\\S", "\\W", "[\\]a]", "[^\\d/]", "[.-]", "\\D", "^", "$", "(?i)a", "\\pL",
            "\u00e9", "[[:digit:]]", "\\b"};
        String[] quants = {"", "", "", "?", "*", "+", "{2}", "{1,3}", "{2,}", "{0,2}", "{0}", "*?", "{3,17}"};
        String alphabet = "ab/c.0_9- \n\tAB]\u00e9";
        int compared = 0;
        int fast = 0;
        for (long seed : new long[] {7, 8, 9, 10}) {
            Random r = new Random(seed);
            for (int p = 0; p < 400; p++) {
                StringBuilder re = new StringBuilder();
                int len = 1 + r.nextInt(6);
                for (int k = 0; k < len; k++) {
                    if (k > 0 && r.nextInt(8) == 0) {
                        re.append('|');
                    }
                    re.append(atoms[r.nextInt(atoms.length)]).append(quants[r.nextInt(quants.length)]);
                }
                if (r.nextInt(4) == 0) {
                    re.insert(0, "(").append(")").append(quants[r.nextInt(quants.length)]);
                }
                Pattern ref;
                try {
                    ref = Pattern.compile(re.toString());
                } catch (PatternSyntaxException e) {
                    continue; // not RE2: never reaches a matcher
                }
                CompiledRegex compiled = CompiledRegex.compile(re.toString());
                fast += compiled.hasFastPath() ? 1 : 0;
                for (int t = 0; t < 150; t++) {
                    StringBuilder in = new StringBuilder();
                    int n = r.nextInt(9);
                    for (int k = 0; k < n; k++) {
                        in.append(alphabet.charAt(r.nextInt(alphabet.length())));
                    }
                    String s = in.toString();
                    assertThat(compiled.matches(s)).as(re + " on [" + s + "]").isEqualTo(ref.matches(s));
                    // The same input inside a longer string, as a path before its query.
                    String framed = "x" + s + "?y";
                    assertThat(compiled.matches(framed, 1, 1 + s.length())).as(re + " on [" + s + "] framed")
                            .isEqualTo(ref.matches(s));
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(150_000);
        assertThat(fast).as("patterns the fast path handled").isGreaterThan(400);
    }

    private static void check(String regex, String... inputs) {
        SmallRegex s = SmallRegex.compile(regex);
        assertThat(s).as(regex).isNotNull();
        Pattern ref = Pattern.compile(regex);
        for (String in : inputs) {
            assertThat(s.match(in, 0, in.length()) == 1).as(regex + " on " + in).isEqualTo(ref.matches(in));
        }
    }
}

package io.shadowgate.benchmarks.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The prototype answers exactly as RE2/J does, on fixed cases and on random regexes and inputs. */
class SimpleRegexTest {

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
        check("[\\d\\s]+", "1 2\t3", "1a");
        check("tenant-989(-[a-z]+)?", "tenant-989", "tenant-989-eu", "tenant-989-", "tenant-98", "tenant-989-EU");
        check("/(v1|v2|beta)/(users|items)(/.*)?", "/v1/users", "/beta/items/x/y", "/v3/users", "/v1/users/");
        check("^/a(b|)c$", "/abc", "/ac", "/abbc");
        check("(a*)*b", "aaab", "b", "aaa");
        check("(?:ab){2,3}", "abab", "ababab", "ab", "abababab");
        assertThat(SimpleRegex.compile("a^b")).isNull();
        assertThat(SimpleRegex.compile("a$b")).isNull();
        assertThat(SimpleRegex.compile("(?P<x>a)")).isNull();
        assertThat(SimpleRegex.compile("(a")).isNull();
        assertThat(SimpleRegex.compile("a)")).isNull();
        assertThat(SimpleRegex.compile("(?i)abc")).isNull();
        assertThat(SimpleRegex.compile("a+?")).isNull();
        assertThat(SimpleRegex.compile("\\pL")).isNull();
        assertThat(SimpleRegex.compile("[[:alpha:]]")).isNull();
        assertThat(SimpleRegex.compile("a{1,100}")).isNull();
        assertThat(SimpleRegex.compile("/é")).isNull();
        assertThat(SimpleRegex.compile("/a").match("/é")).isEqualTo(SimpleRegex.UNKNOWN);
    }

    @Test
    void agreesWithRe2jOnRandomPatternsAndInputs() {
        Random r = new Random(7);
        String[] atoms = {"a", "b", "/", ".", "[a-c]", "[^a]", "\\d", "\\w", "\\.", "[0-9_]", "\\s", "-", "(a|b/)",
            "(?:ab|c)", "(a*|-)", "()"};
        String[] quants = {"", "", "", "?", "*", "+", "{2}", "{1,3}", "{2,}", "{0,2}"};
        String alphabet = "ab/c.0_9- \n";
        int compared = 0;
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
            SimpleRegex s = SimpleRegex.compile(re.toString());
            if (s == null) {
                continue; // more than 63 states: RE2/J keeps it
            }
            Pattern ref = Pattern.compile(re.toString());
            for (int t = 0; t < 200; t++) {
                StringBuilder in = new StringBuilder();
                int n = r.nextInt(9);
                for (int k = 0; k < n; k++) {
                    in.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                assertThat(s.match(in) == 1).as(re + " on [" + in + "]").isEqualTo(ref.matches(in.toString()));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(60_000);
    }

    private static void check(String regex, String... inputs) {
        SimpleRegex s = SimpleRegex.compile(regex);
        assertThat(s).as(regex).isNotNull();
        Pattern ref = Pattern.compile(regex);
        for (String in : inputs) {
            assertThat(s.match(in) == 1).as(regex + " on " + in).isEqualTo(ref.matches(in));
        }
    }
}

package io.shadowgate.compare.diff;

import static io.shadowgate.compare.Fixtures.deflate;
import static io.shadowgate.compare.Fixtures.gzip;
import static io.shadowgate.compare.Fixtures.json;
import static io.shadowgate.compare.Fixtures.response;
import static io.shadowgate.compare.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowgate.compare.capture.CapturedResponse;
import io.shadowgate.compare.noise.IgnoreRules;
import io.shadowgate.compare.settings.CompareSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExchangeDifferTest {

    private final CompareSettings settings = CompareSettings.defaults();
    private final ExchangeDiffer differ = new ExchangeDiffer(settings);
    private final IgnoreRules rules = settings.ignoreRules();

    private List<Difference> diff(CapturedResponse a, CapturedResponse b) {
        return differ.diff(a, b, rules).differences();
    }

    private Difference only(CapturedResponse a, CapturedResponse b) {
        List<Difference> d = diff(a, b);
        assertThat(d).hasSize(1);
        return d.get(0);
    }

    @Test
    void identicalJsonHasNoDifferencesRegardlessOfKeyOrderAndNumberSpelling() {
        assertThat(diff(json(200, "{\"a\":1,\"b\":[1,2],\"c\":{\"x\":null}}"),
                json(200, "{\"c\":{\"x\":null},\"b\":[1.0,2],\"a\":1.00}"))).isEmpty();
    }

    @Test
    void statusChange() {
        Difference d = only(json(200, "{}"), json(201, "{}"));
        assertThat(d.path()).isEqualTo("status");
        assertThat(d.kind()).isEqualTo(DiffKind.STATUS_CHANGED);
        assertThat(d.detail()).isEqualTo("200→201");
        assertThat(d.primaryValue()).isEqualTo("200");
        assertThat(d.mirrorValue()).isEqualTo("201");
    }

    @Test
    void statusClassChangeDoesNotAlsoReportTheErrorPageAsABodyDifference() {
        List<Difference> d = diff(json(200, "{\"a\":1}"), text(503, "text/html", "<h1>down</h1>"));
        assertThat(d).extracting(Difference::path).containsExactly("status", "header:content-type");
    }

    @Test
    void headersChangedAddedRemovedAndDefaultIgnoredOnes() {
        CapturedResponse a = json(200, "{}", "x-a", "1", "x-gone", "g", "date", "Mon, 01 Jan 2024 00:00:00 GMT",
                "x-request-id", "r1", "x-b3-traceid", "abc", "set-cookie", "s=1", "cache-control", "no-store");
        CapturedResponse b = json(200, "{}", "x-a", "2", "x-new", "n", "date", "Tue, 02 Jan 2024 00:00:00 GMT",
                "x-request-id", "r2", "x-b3-traceid", "def", "set-cookie", "s=2", "cache-control", "no-store");
        List<Difference> d = diff(a, b);
        assertThat(d).extracting(Difference::path, Difference::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("header:x-a", DiffKind.VALUE_CHANGED),
                org.assertj.core.groups.Tuple.tuple("header:x-gone", DiffKind.REMOVED),
                org.assertj.core.groups.Tuple.tuple("header:x-new", DiffKind.ADDED));
        assertThat(d.get(1).mirrorValue()).isNull();
        assertThat(d.get(2).primaryValue()).isNull();
    }

    @Test
    void repeatedHeaderValuesAreComparedInOrder() {
        Difference d = only(json(200, "{}", "vary", "a", "vary", "b"), json(200, "{}", "vary", "b", "vary", "a"));
        assertThat(d.primaryValue()).isEqualTo("a, b");
        assertThat(d.mirrorValue()).isEqualTo("b, a");
    }

    @Test
    void userIgnoredHeaderAndReenabledDefaultHeader() {
        CompareSettings s = CompareSettings.builder().ignoreHeader("X-App-Build").compareHeader("set-cookie").build();
        List<Difference> d = new ExchangeDiffer(s).diff(json(200, "{}", "x-app-build", "1", "set-cookie", "a=1"),
                json(200, "{}", "x-app-build", "2", "set-cookie", "a=2"), s.ignoreRules()).differences();
        assertThat(d).extracting(Difference::path).containsExactly("header:set-cookie");
    }

    @Test
    void jsonValueChanged() {
        Difference d = only(json(200, "{\"name\":\"Mug\"}"), json(200, "{\"name\":\"Cup\"}"));
        assertThat(d.path()).isEqualTo("$.name");
        assertThat(d.kind()).isEqualTo(DiffKind.VALUE_CHANGED);
        assertThat(d.primaryValue()).isEqualTo("\"Mug\"");
        assertThat(d.mirrorValue()).isEqualTo("\"Cup\"");
    }

    @Test
    void jsonTypeChanged() {
        Difference d = only(json(200, "{\"price\":19.99}"), json(200, "{\"price\":\"19.99 EUR\"}"));
        assertThat(d.kind()).isEqualTo(DiffKind.TYPE_CHANGED);
        assertThat(d.detail()).isEqualTo("number→string");
        assertThat(d.primaryValue()).isEqualTo("19.99");
        assertThat(d.mirrorValue()).isEqualTo("\"19.99 EUR\"");
        assertThat(only(json(200, "{\"a\":null}"), json(200, "{\"a\":{}}")).detail()).isEqualTo("null→object");
    }

    @Test
    void jsonFieldAddedAndRemovedAsWholeSubtrees() {
        List<Difference> d = diff(json(200, "{\"inStock\":true,\"meta\":{\"a\":1}}"),
                json(200, "{\"available\":true,\"extra\":{\"b\":{\"c\":2}},\"meta\":{\"a\":1}}"));
        assertThat(d).extracting(Difference::path, Difference::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("$.inStock", DiffKind.REMOVED),
                org.assertj.core.groups.Tuple.tuple("$.available", DiffKind.ADDED),
                org.assertj.core.groups.Tuple.tuple("$.extra", DiffKind.ADDED));
        assertThat(d.get(0).primaryValue()).isEqualTo("true");
        assertThat(d.get(0).mirrorValue()).isNull();
        assertThat(d.get(2).mirrorValue()).isEqualTo("{\"b\":{\"c\":2}}");
    }

    @Test
    void arrayLengthChangeStillComparesTheCommonPrefix() {
        List<Difference> d = diff(json(200, "{\"items\":[{\"id\":1},{\"id\":2},{\"id\":3}]}"),
                json(200, "{\"items\":[{\"id\":1,\"new\":true},{\"id\":2,\"new\":true}]}"));
        assertThat(d).extracting(Difference::path, Difference::concretePath, Difference::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("$.items", "$.items", DiffKind.ARRAY_LENGTH_CHANGED),
                org.assertj.core.groups.Tuple.tuple("$.items[*].new", "$.items[0].new", DiffKind.ADDED),
                org.assertj.core.groups.Tuple.tuple("$.items[*].new", "$.items[1].new", DiffKind.ADDED));
        assertThat(d.get(0).primaryValue()).startsWith("3 items: ");
        assertThat(d.get(0).mirrorValue()).startsWith("2 items: ");
    }

    @Test
    void arrayOrderChangeIsOneDifference() {
        Difference d = only(json(200, "{\"tags\":[\"a\",\"b\",{\"x\":1,\"y\":2}]}"),
                json(200, "{\"tags\":[{\"y\":2,\"x\":1.0},\"a\",\"b\"]}"));
        assertThat(d.path()).isEqualTo("$.tags");
        assertThat(d.kind()).isEqualTo(DiffKind.ARRAY_ORDER_CHANGED);
    }

    @Test
    void sameLengthDifferentElementsAreComparedElementByElementWithConcreteAndGroupedPaths() {
        List<Difference> d = diff(json(200, "{\"items\":[{\"id\":1},{\"id\":2},{\"id\":3},{\"id\":4}]}"),
                json(200, "{\"items\":[{\"id\":1},{\"id\":2},{\"id\":3},{\"id\":40}]}"));
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("$.items[*].id");
            assertThat(x.concretePath()).isEqualTo("$.items[3].id");
        });
    }

    @Test
    void oddKeysAndIdLikeKeysInPaths() {
        Difference d = only(json(200, "{\"prices\":{\"12345\":{\"x-y\":1}}}"), json(200, "{\"prices\":{\"12345\":{\"x-y\":2}}}"));
        assertThat(d.concretePath()).isEqualTo("$.prices['12345']['x-y']");
        assertThat(d.path()).isEqualTo("$.prices[*]['x-y']");
    }

    @Test
    void ignorePointersWithWildcard() {
        IgnoreRules r = rules.plus(IgnoreRules.of(List.of(), List.of("/generatedAt", "/items/*/ts")));
        List<Difference> d = differ.diff(
                json(200, "{\"generatedAt\":\"a\",\"items\":[{\"ts\":1,\"v\":1},{\"ts\":2,\"v\":2}]}"),
                json(200, "{\"generatedAt\":\"b\",\"items\":[{\"ts\":3,\"v\":1},{\"ts\":4,\"v\":3}]}"), r).differences();
        assertThat(d).extracting(Difference::concretePath).containsExactly("$.items[1].v");
    }

    @Test
    void ignoredFieldsDoNotTurnAReorderIntoADifference() {
        IgnoreRules r = IgnoreRules.of(List.of(), List.of("/items/*/ts"));
        List<Difference> d = differ.diff(json(200, "{\"items\":[{\"id\":1,\"ts\":1},{\"id\":2,\"ts\":2}]}"),
                json(200, "{\"items\":[{\"id\":2,\"ts\":9},{\"id\":1,\"ts\":8}]}"), r).differences();
        assertThat(d).extracting(Difference::kind).containsExactly(DiffKind.ARRAY_ORDER_CHANGED);
    }

    @Test
    void watchedLocationsPresentOnBothSidesAreReportedEqualOrNot() {
        Set<String> watched = Set.of("$.generatedAt", "$.items[*].ts", "$.items[*].gone", "$.meta.ts", "$.absent",
                "header:x-trace", "header:x-only-primary", "body", "$.prices[*].at");
        String a = "{\"generatedAt\":\"t1\",\"items\":[{\"id\":1,\"ts\":1},{\"id\":2,\"ts\":2}],"
                + "\"meta\":{\"ts\":5},\"prices\":{\"12345\":{\"at\":1}}}";
        ExchangeDiff same = differ.diff(json(200, a, "x-trace", "abc", "x-only-primary", "1"),
                json(200, a, "x-trace", "abc"), rules, watched);
        // Inside the array found equal as a whole too; absent or one-sided locations are not observed.
        assertThat(same.observed()).containsExactlyInAnyOrder("$.generatedAt", "$.items[*].ts", "$.meta.ts",
                "header:x-trace", "$.prices[*].at");
        assertThat(same.differences()).extracting(Difference::path).containsExactly("header:x-only-primary");

        ExchangeDiff reordered = differ.diff(json(200, "{\"items\":[{\"ts\":1},{\"ts\":2}]}"),
                json(200, "{\"items\":[{\"ts\":2},{\"ts\":1}]}"), rules, watched);
        assertThat(reordered.observed()).containsExactly("$.items[*].ts");

        ExchangeDiff differing = differ.diff(json(200, "{\"generatedAt\":\"t1\",\"items\":[{\"ts\":1}]}"),
                json(200, "{\"generatedAt\":\"t2\",\"items\":[{\"ts\":1},{\"ts\":3}],\"absent\":1}"), rules,
                watched);
        assertThat(differing.observed()).containsExactlyInAnyOrder("$.generatedAt", "$.items[*].ts");

        IgnoreRules ignoring = rules.plus(IgnoreRules.of(List.of(), List.of("/items/*/ts")));
        assertThat(differ.diff(json(200, a), json(200, a), ignoring, watched).observed())
                .doesNotContain("$.items[*].ts");
        assertThat(differ.diff(text(200, "text/plain", "a"), text(200, "text/plain", "b"), rules, watched).observed())
                .containsExactly("body");
        assertThat(differ.diff(json(200, a), json(200, a), rules).observed()).isEmpty();
    }

    @Test
    void jsonDetectedByParsingWhenContentTypeIsMissing() {
        Difference d = only(response(200, null, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                response(200, null, "{\"a\":2}".getBytes(StandardCharsets.UTF_8)));
        assertThat(d.path()).isEqualTo("$.a");
    }

    @Test
    void textReportsFirstDifferingLineAndOffset() {
        Difference d = only(text(200, "text/plain; charset=utf-8", "line one\nline two\nline three\n"),
                text(200, "text/plain; charset=utf-8", "line one\nline 2\nline three\n"));
        assertThat(d.kind()).isEqualTo(DiffKind.TEXT_CHANGED);
        assertThat(d.path()).isEqualTo("body");
        assertThat(d.concretePath()).isEqualTo("body:line 2, offset 14");
        assertThat(d.primaryValue()).isEqualTo("line two");
        assertThat(d.mirrorValue()).isEqualTo("line 2");
    }

    @Test
    void longTextLineIsWindowedAroundTheDifference() {
        String prefix = "x".repeat(1_000);
        Difference d = only(text(200, "application/xml", "<a>" + prefix + "OLD</a>"),
                text(200, "application/xml", "<a>" + prefix + "NEW</a>"));
        assertThat(d.primaryValue()).startsWith("…").contains("OLD").hasSizeLessThanOrEqualTo(200);
        assertThat(d.mirrorValue()).contains("NEW");
    }

    @Test
    void binaryComparedByDigest() {
        byte[] a = {1, 2, 3, 0, (byte) 0xff};
        byte[] b = {1, 2, 3, 0, (byte) 0xfe};
        assertThat(diff(response(200, "image/png", a), response(200, "image/png", a.clone()))).isEmpty();
        Difference d = only(response(200, "image/png", a), response(200, "image/png", b));
        assertThat(d.kind()).isEqualTo(DiffKind.DIGEST_CHANGED);
        assertThat(d.primaryValue()).startsWith("sha256:").endsWith("(5 bytes)");
        assertThat(d.primaryValue()).isNotEqualTo(d.mirrorValue());
    }

    @Test
    void gzipAndDeflateBodiesAreDecodedBeforeComparing() {
        String body = "{\"a\":1,\"b\":\"x\"}";
        CapturedResponse plain = json(200, body);
        CapturedResponse gz = response(200, "application/json", gzip(body), "content-encoding", "gzip");
        CapturedResponse zlib = response(200, "application/json", deflate(body, false), "content-encoding", "deflate");
        CapturedResponse raw = response(200, "application/json", deflate(body, true), "content-encoding", "deflate");
        assertThat(diff(zlib, raw)).isEmpty();
        // Only the encoding header differs; the decoded bodies are the same.
        assertThat(diff(gz, zlib)).extracting(Difference::path).containsExactly("header:content-encoding");
        assertThat(diff(plain, gz)).extracting(Difference::path).containsExactly("header:content-encoding");
        Difference d = only(gz, response(200, "application/json", gzip("{\"a\":2,\"b\":\"x\"}"), "content-encoding", "gzip"));
        assertThat(d.path()).isEqualTo("$.a");
    }

    @Test
    void brotliIsComparedByDigest() {
        CapturedResponse a = response(200, "application/json", new byte[] {1, 2, 3}, "content-encoding", "br");
        CapturedResponse b = response(200, "application/json", new byte[] {1, 2, 4}, "content-encoding", "br");
        assertThat(diff(a, a)).isEmpty();
        assertThat(only(a, b).kind()).isEqualTo(DiffKind.DIGEST_CHANGED);
    }

    @Test
    void corruptGzipFallsBackToDigest() {
        CapturedResponse a = response(200, "application/json", new byte[] {1, 2, 3}, "content-encoding", "gzip");
        CapturedResponse b = response(200, "application/json", new byte[] {1, 2, 4}, "content-encoding", "gzip");
        assertThat(only(a, b).kind()).isEqualTo(DiffKind.DIGEST_CHANGED);
    }

    @Test
    void truncatedBodyIsSkippedButStatusAndHeadersStillCompared() {
        byte[] part = "{\"a\":".getBytes(StandardCharsets.UTF_8);
        CapturedResponse big = new CapturedResponse(200, List.of(Map.entry("content-type", "application/json"),
                Map.entry("x-v", "1")), part, true, 10_000_000, 5, null);
        CapturedResponse other = json(200, "{\"a\":2}", "x-v", "2");
        ExchangeDiff d = differ.diff(big, other, rules);
        assertThat(d.bodySkipped()).isEqualTo(ExchangeDiff.OVERSIZED);
        assertThat(d.differences()).extracting(Difference::path).containsExactly("header:x-v");
    }

    @Test
    void decompressionBombIsSkippedAsOversized() {
        ExchangeDiffer small = new ExchangeDiffer(1_024, 100, 200);
        CapturedResponse bomb = response(200, "text/plain", gzip("a".repeat(100_000)), "content-encoding", "gzip");
        ExchangeDiff d = small.diff(bomb, bomb, rules);
        assertThat(d.bodySkipped()).isEqualTo(ExchangeDiff.OVERSIZED);
        assertThat(d.differences()).isEmpty();
    }

    @Test
    void formatChangeIsOneTypeChangeAtBody() {
        Difference d = only(json(200, "{\"a\":1}", "x", "1"), text(200, "application/json", "<html>oops</html>", "x", "1"));
        assertThat(d.path()).isEqualTo("body");
        assertThat(d.kind()).isEqualTo(DiffKind.TYPE_CHANGED);
        assertThat(d.detail()).isEqualTo("json→text");
        assertThat(only(json(200, "{\"a\":1}"), response(200, "application/json", new byte[0])).detail())
                .isEqualTo("json→empty");
    }

    @Test
    void failedMirrorIsAFindingAndFailedPrimaryIsSkipped() {
        Difference d = only(json(200, "{}"), CapturedResponse.failure("timeout", 3_000_000_000L));
        assertThat(d.kind()).isEqualTo(DiffKind.MIRROR_FAILED);
        assertThat(d.detail()).isEqualTo("timeout");
        ExchangeDiff skipped = differ.diff(CapturedResponse.failure("reset", 1), json(200, "{}"), rules);
        assertThat(skipped.compared()).isFalse();
        assertThat(skipped.skipReason()).isEqualTo(ExchangeDiff.PRIMARY_FAILED);
    }

    @Test
    void differencesPerExchangeAreBoundedAndValuesCut() {
        ExchangeDiffer bounded = new ExchangeDiffer(1 << 20, 5, 20);
        StringBuilder a = new StringBuilder("{");
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < 50; i++) {
            a.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":\"").append("v".repeat(50)).append('"');
            b.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":\"").append("w".repeat(50)).append('"');
        }
        ExchangeDiff d = bounded.diff(json(200, a.append('}').toString()), json(200, b.append('}').toString()), rules);
        assertThat(d.differences()).hasSize(5);
        assertThat(d.differencesTruncated()).isTrue();
        assertThat(d.differences().get(0).primaryValue()).hasSize(20).endsWith("…");
    }

    @Test
    void capturedResponseValidatesWithHelpfulMessages() {
        assertThatThrownBy(() -> CapturedResponse.of(42, List.of(), null, 0))
                .hasMessageContaining("100..999").hasMessageContaining("42");
        assertThatThrownBy(() -> new CapturedResponse(200, List.of(), new byte[10], false, 5, 0, null))
                .hasMessageContaining("10").hasMessageContaining("got 5");
        CapturedResponse r = CapturedResponse.of(200, List.of(Map.entry("Content-Type", "a/b")), new byte[] {1}, 0);
        assertThat(r.header("content-type")).isEqualTo("a/b");
        byte[] body = r.body();
        body[0] = 9;
        assertThat(r.body()[0]).isEqualTo((byte) 1);
    }
}

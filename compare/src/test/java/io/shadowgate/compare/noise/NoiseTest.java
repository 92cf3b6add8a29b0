package io.shadowgate.compare.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoiseTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"2024-05-01T10:00:00.123Z\" | ISO_TIMESTAMP",
        "2024-05-01 10:00:00+02:00 | ISO_TIMESTAMP",
        "Tue, 15 Nov 1994 08:12:31 GMT | HTTP_DATE",
        "1714557600123 | EPOCH_MILLIS",
        "1714557600 | EPOCH_SECONDS",
        "\"550e8400-e29b-41d4-a716-446655440000\" | UUID",
        "5f2b9c0d1e3a4b6c | HEX_ID",
        "eyJhbGciOiJIUzI1NiJ9.abc123 | OPAQUE_TOKEN",
        "123456789012345 | OPAQUE_TOKEN",
        "19.99 | OTHER",
        "\"Mug\" | OTHER",
        "\"2024-05-01\" | OTHER",
        "true | OTHER",
    })
    void shapes(String raw, ValueShape expected) {
        assertThat(ValueShape.classify(raw)).isEqualTo(expected);
    }

    @Test
    void sameInstantInAnotherFormatIsRelated() {
        assertThat(ValueShape.looksUnrelated("\"2024-05-01T10:00:00Z\"", "\"2024-05-01T12:00:00+02:00\"")).isFalse();
        assertThat(ValueShape.looksUnrelated("\"2024-05-01T10:00:00Z\"", "\"2024-05-01T10:00:00.004Z\"")).isTrue();
        assertThat(ValueShape.looksUnrelated("\"Mug\"", "\"Cup\"")).isFalse();
    }

    @Test
    void pointerPatterns() {
        JsonPointerPattern p = JsonPointerPattern.parse("/items/*/ts");
        assertThat(p.covers(List.of("items", 3, "ts"))).isTrue();
        assertThat(p.covers(List.of("items", 3, "ts", "nested"))).isTrue();
        assertThat(p.covers(List.of("items", 3, "id"))).isFalse();
        assertThat(p.covers(List.of("items"))).isFalse();
        assertThat(JsonPointerPattern.parse("/a~1b/~0c").covers(List.of("a/b", "~c"))).isTrue();
        assertThat(JsonPointerPattern.parse("/list/0").covers(List.of("list", 0))).isTrue();
        assertThatThrownBy(() -> JsonPointerPattern.parse("generatedAt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'generatedAt'").hasMessageContaining("start with '/'");
    }

    @Test
    void headerRules() {
        IgnoreRules r = IgnoreRules.of(List.of("X-B3-*", "date"), List.of());
        assertThat(r.ignoresHeader("x-b3-traceid")).isTrue();
        assertThat(r.ignoresHeader("date")).isTrue();
        assertThat(r.ignoresHeader("x-b4")).isFalse();
        assertThatThrownBy(() -> IgnoreRules.of(List.of(" "), List.of())).hasMessageContaining("' '");
    }

    /** {@code 2024-05-01T10:00:00.000Z} plus {@code millis}, as a JSON string. */
    private static String ts(long millis) {
        return "\"" + DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.parse("2024-05-01T10:00:00Z").plusMillis(millis)) + "\"";
    }

    @Test
    void statisticalNoiseNeedsEnoughObservationsMostlyDifferingWithUnrelatedFreshValues() {
        PathNoise p = new PathNoise("$.ts", false);
        for (int i = 1; i <= 19; i++) {
            p.recordDifference(ts(i * 1000L), ts(i * 1000L + 3));
            assertThat(p.status(NoisePolicy.DEFAULTS).noise()).as("after %d", i).isFalse();
        }
        p.recordDifference(ts(20_000), ts(20_002));
        NoiseStatus s = p.status(NoisePolicy.DEFAULTS);
        assertThat(s.noise()).isTrue();
        assertThat(s.reason()).contains("100%").contains("20 requests").contains("timestamp");
        // Equal observations (same millisecond on both sides) dilute the evidence: 20 of 40 still is half...
        for (int i = 0; i < 20; i++) {
            p.recordEqual();
        }
        assertThat(p.observations()).isEqualTo(40);
        assertThat(p.status(NoisePolicy.DEFAULTS).reason()).contains("50%").contains("40 requests");
        // ...but differing in fewer than half of the observations is not noise any more.
        p.recordEqual();
        assertThat(p.status(NoisePolicy.DEFAULTS).noise()).isFalse();
    }

    @Test
    void timestampsEqualInAQuarterOfTheExchangesAreStillNoise() {
        PathNoise p = new PathNoise("$.generatedAt", false);
        for (int i = 0; i < 28; i++) {
            if (i % 4 == 0) {
                p.recordEqual();
            } else {
                p.recordDifference(ts(i * 37L), ts(i * 37L + 1 + i % 3));
            }
        }
        NoiseStatus s = p.status(NoisePolicy.DEFAULTS);
        assertThat(s.noise()).isTrue();
        assertThat(s.reason()).isEqualTo("likely noise: differs on 75% of 28 requests with unrelated timestamp values");
        // 20 observations are needed, equal ones included.
        PathNoise young = new PathNoise("$.generatedAt", false);
        for (int i = 0; i < 19; i++) {
            young.recordDifference(ts(i * 37L), ts(i * 37L + 1));
        }
        assertThat(young.status(NoisePolicy.DEFAULTS).noise()).isFalse();
        young.recordEqual();
        assertThat(young.status(NoisePolicy.DEFAULTS).noise()).isTrue();
    }

    @Test
    void repeatedPrimaryValuesAreNotNoiseEvenWithAGeneratedShape() {
        PathNoise p = new PathNoise("$.ownerId", false);
        for (int i = 1; i <= 50; i++) {
            p.recordDifference("\"550e8400-e29b-41d4-a716-446655440000\"", "\"00000000-e29b-41d4-a716-446655440000\"");
        }
        assertThat(p.status(NoisePolicy.DEFAULTS).noise()).isFalse();
    }

    @Test
    void aMirrorStuckOnOneValueIsNotNoise() {
        PathNoise p = new PathNoise("$.generatedAt", false);
        for (int i = 1; i <= 50; i++) {
            p.recordDifference(ts(i * 1000L), ts(0));
        }
        assertThat(p.status(NoisePolicy.DEFAULTS).noise()).isFalse();
    }

    @Test
    void aTimestampThatChangedFormatIsNotNoiseEvenWhenItsInstantChangesEveryTime() {
        for (String format : List.of("yyyy-MM-dd'T'HH:mm:ssXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'",
                "yyyy-MM-dd HH:mm:ss.SSS'Z'", "yyyy-MM-dd'T'HH:mm:ss.SSS")) {
            DateTimeFormatter f = DateTimeFormatter.ofPattern(format).withZone(ZoneOffset.ofHours(2));
            PathNoise p = new PathNoise("$.generatedAt", false);
            for (int i = 1; i <= 50; i++) {
                Instant t = Instant.parse("2024-05-01T10:00:00Z").plusMillis(i * 1_001L);
                p.recordDifference(ts(i * 1_001L), "\"" + f.format(t.plusMillis(2)) + "\"");
            }
            assertThat(p.status(NoisePolicy.DEFAULTS).noise()).as(format).isFalse();
        }
        // Epoch milliseconds → epoch seconds, and ISO → epoch.
        PathNoise epoch = new PathNoise("$.ts", false);
        PathNoise iso = new PathNoise("$.ts", false);
        for (int i = 1; i <= 50; i++) {
            long millis = 1_714_557_600_000L + i * 1_001L;
            epoch.recordDifference(Long.toString(millis), Long.toString(millis / 1000 + 1));
            iso.recordDifference(ts(i * 1_001L), "\"" + (millis + 2) + "\"");
        }
        assertThat(epoch.status(NoisePolicy.DEFAULTS).noise()).isFalse();
        assertThat(iso.status(NoisePolicy.DEFAULTS).noise()).isFalse();
    }

    @Test
    void formatsAndSkew() {
        // Same format; a zero fraction dropped (Instant.toString) is not a format change.
        assertThat(ValueShape.sameFormat("\"2024-05-01T10:00:00.123Z\"", "\"2024-05-01T10:00:01.456Z\"")).isTrue();
        assertThat(ValueShape.sameFormat("\"2024-05-01T10:00:00Z\"", "\"2024-05-01T10:00:00.004Z\"")).isTrue();
        assertThat(ValueShape.sameFormat("1714557600123", "1714557600999")).isTrue();
        assertThat(ValueShape.sameFormat("\"550e8400-e29b-41d4-a716-446655440000\"",
                "\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\"")).isTrue();
        // Format changes.
        assertThat(ValueShape.sameFormat("\"2024-05-01T10:00:00.123Z\"", "\"2024-05-01T10:00:00.123456Z\"")).isFalse();
        assertThat(ValueShape.sameFormat("\"2024-05-01T10:00:00.123Z\"", "\"2024-05-01T12:00:00.125+02:00\"")).isFalse();
        assertThat(ValueShape.sameFormat("\"2024-05-01T10:00:00.123Z\"", "\"2024-05-01 10:00:00.125Z\"")).isFalse();
        assertThat(ValueShape.sameFormat("\"2024-05-01T10:00:00.123Z\"", "\"2024-05-01T10:00:00,125Z\"")).isFalse();
        assertThat(ValueShape.sameFormat("\"2024-05-01T10:00:00.123Z\"", "\"2024-05-01T10:00Z\"")).isFalse();
        assertThat(ValueShape.sameFormat("1714557600123", "1714557600")).isFalse();
        assertThat(ValueShape.sameFormat("\"550e8400-e29b-41d4-a716-446655440000\"",
                "\"6BA7B810-9DAD-11D1-80B4-00C04FD430C8\"")).isFalse();
        // A few milliseconds apart is noise; hours apart (a time-zone bug) is not.
        assertThat(ValueShape.looksUnrelated("\"2024-05-01T10:00:00.123Z\"", "\"2024-05-01T10:00:00.125Z\"")).isTrue();
        assertThat(ValueShape.looksUnrelated("\"2024-05-01T10:00:00.123Z\"", "\"2024-05-01T12:00:00.125Z\"")).isFalse();
        assertThat(ValueShape.looksUnrelated("\"2024-05-01T10:00:00.123Z\"", "\"2024-05-01T10:00:00.123+00:00\""))
                .isFalse();
    }

    @Test
    void learnedNoiseAndNeverNoise() {
        PathNoise p = new PathNoise("$.x", false);
        p.markLearnedFromSample();
        assertThat(p.status(NoisePolicy.DEFAULTS).reason()).startsWith("learned");
        assertThat(p.status(new NoisePolicy(true, false, 20, 0.9, 0.9)).noise()).isFalse();
        PathNoise status = new PathNoise("status", true);
        status.markLearnedFromSample();
        assertThat(status.status(NoisePolicy.DEFAULTS).noise()).isFalse();
        assertThatThrownBy(() -> new NoisePolicy(true, true, 0, 0.9, 0.9)).hasMessageContaining("got 0");
    }
}
